package dev.sextant.tracespec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.LoaderOptions;

/** The two text forms of a spec, with the limits that keep a hostile document cheap to read. */
public enum SpecFormat {
  YAML,
  JSON;

  /** Largest spec text accepted, in characters. */
  public static final int MAX_CHARS = 1_000_000;

  /** Deepest nesting of a spec document (a matcher level takes about two). */
  static final int MAX_NESTING = 128;

  private static final StreamReadConstraints CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxNestingDepth(MAX_NESTING)
          .maxStringLength(MAX_CHARS)
          .maxNumberLength(50)
          .build();

  static final ObjectMapper JSON_MAPPER = jsonMapper();
  static final ObjectMapper YAML_MAPPER = yamlMapper();

  /** JSON when the media type says json, else YAML (of which JSON is mostly a subset). */
  public static SpecFormat ofMediaType(String mediaType) {
    return mediaType != null && mediaType.toLowerCase(java.util.Locale.ROOT).contains("json")
        ? JSON
        : YAML;
  }

  ObjectMapper mapper() {
    return this == JSON ? JSON_MAPPER : YAML_MAPPER;
  }

  private static ObjectMapper jsonMapper() {
    JsonMapper mapper =
        JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    mapper.getFactory().setStreamReadConstraints(CONSTRAINTS);
    return mapper;
  }

  private static ObjectMapper yamlMapper() {
    LoaderOptions loader = new LoaderOptions();
    // Billion-laughs documents expand aliases: allow a handful, never a tree of them.
    loader.setMaxAliasesForCollections(20);
    loader.setNestingDepthLimit(MAX_NESTING);
    loader.setCodePointLimit(MAX_CHARS);
    loader.setAllowDuplicateKeys(false);
    YAMLFactory factory =
        YAMLFactory.builder()
            .loaderOptions(loader)
            .streamReadConstraints(CONSTRAINTS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            // Every string is quoted: with minimal quoting the writer leaves "1e3" bare and the
            // reader takes it for a number, so a recorded string attribute would change type.
            .build();
    return new YAMLMapper(factory);
  }
}
