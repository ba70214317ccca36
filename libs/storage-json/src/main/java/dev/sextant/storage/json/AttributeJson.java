package dev.sextant.storage.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sextant.model.Labels;
import dev.sextant.model.SpanEvent;
import dev.sextant.model.SpanLink;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attribute maps, values, span events and links, labels and string maps and lists as JSON text,
 * written and read with jackson-core's streaming API, keeping every value's Java type: JSON
 * integers are {@code Long}, JSON numbers with a fraction or exponent are {@code Double}, {@code
 * true}/{@code false} are {@code Boolean}, strings, arrays and objects are {@code String}, {@code
 * List} and {@code Map}; object key order is kept. The SQLite and PostgreSQL backends store this
 * text.
 *
 * <p>A double that a JSON number cannot carry — NaN, the infinities, -0.0 (SQLite's JSON functions
 * also read {@code -0.0} as 0) — is written as an object with the single key {@value
 * #DOUBLE_MARKER} and Java's text for the value: {@code {"$double":"NaN"}}. So that a real map can
 * never look like one, keys of nested maps that start with {@code $} get one more {@code $} in
 * front. Top-level attribute keys are written as they are: the top level is always a map, never a
 * marker.
 *
 * <p>Two options, for what PostgreSQL cannot hold; each changes the stored text, so a backend keeps
 * the options it wrote with:
 *
 * <ul>
 *   <li>{@link #escapingNul()}: every string and key (not the hex ids of links, nor the fixed field
 *       names) passes through {@link NulEscape}, because {@code jsonb} refuses U+0000.
 *   <li>{@link #markingExponentDoubles()}: a double whose Java text has an exponent ({@code
 *       1.0E20}) is a marker too, because {@code jsonb} keeps numbers as {@code numeric}, which
 *       prints 1e20 as {@code 100000000000000000000}, an integer. Every double stored as a number
 *       then prints back as exactly its {@code Double.toString}.
 * </ul>
 *
 * <p>Writing keeps one generator per thread that writes value after value (creating one per value
 * was a fifth of ingest's CPU per span), shared by every instance: the options only choose what is
 * written to it. Instances are immutable and thread-safe.
 */
public final class AttributeJson {
  public static final String DOUBLE_MARKER = "$double";

  /** No option: the text the SQLite backend stores. */
  public static final AttributeJson STANDARD = new AttributeJson(false, false);

  // No separator between root values: one generator per thread writes value after value (below).
  private static final JsonFactory JSON =
      new JsonFactoryBuilder().rootValueSeparator((String) null).build();

  private static final ThreadLocal<Encoder> ENCODER = ThreadLocal.withInitial(Encoder::new);

  private final boolean escapeNul;
  private final boolean markExponents;

  private AttributeJson(boolean escapeNul, boolean markExponents) {
    this.escapeNul = escapeNul;
    this.markExponents = markExponents;
  }

  /**
   * The same, with every string and key escaped by {@link NulEscape} (and unescaped on reading).
   */
  public AttributeJson escapingNul() {
    return new AttributeJson(true, markExponents);
  }

  /** The same, with doubles whose Java text has an exponent written as markers. */
  public AttributeJson markingExponentDoubles() {
    return new AttributeJson(escapeNul, true);
  }

  /** Whether the double is stored as a JSON number (else as a {@value #DOUBLE_MARKER} object). */
  public boolean isNumber(double d) {
    return Double.isFinite(d)
        && !(d == 0 && Double.doubleToRawLongBits(d) != 0)
        && !(markExponents && Double.toString(d).indexOf('E') >= 0);
  }

  private String text(String text) {
    return escapeNul ? NulEscape.escape(text) : text;
  }

  private String stored(String text) {
    return escapeNul ? NulEscape.unescape(text) : text;
  }

  // ------------------------------------------------------------------ writing

  /** A top-level attribute map. */
  public String attributes(Map<String, Object> attributes) {
    if (attributes.isEmpty()) {
      return "{}";
    }
    return write(g -> writeAttributes(g, attributes));
  }

  /** One attribute value, e.g. a log body. */
  public String value(Object value) {
    return write(g -> writeValue(g, value));
  }

  public String events(List<SpanEvent> events) {
    if (events.isEmpty()) {
      return "[]";
    }
    return write(
        g -> {
          g.writeStartArray();
          for (SpanEvent event : events) {
            g.writeStartObject();
            g.writeStringField("name", text(event.name()));
            g.writeNumberField("time", event.timeUnixNanos());
            g.writeFieldName("attributes");
            writeAttributes(g, event.attributes());
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  public String links(List<SpanLink> links) {
    if (links.isEmpty()) {
      return "[]";
    }
    return write(
        g -> {
          g.writeStartArray();
          for (SpanLink link : links) {
            g.writeStartObject();
            g.writeStringField("traceId", link.traceId());
            g.writeStringField("spanId", link.spanId());
            g.writeFieldName("attributes");
            writeAttributes(g, link.attributes());
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  /** A metric series' labels: an object of strings. */
  public String labels(Labels labels) {
    return stringMap(labels.asMap());
  }

  /** A map of strings as a JSON object. */
  public String stringMap(Map<String, String> strings) {
    return write(
        g -> {
          g.writeStartObject();
          for (Map.Entry<String, String> entry : strings.entrySet()) {
            g.writeStringField(text(entry.getKey()), text(entry.getValue()));
          }
          g.writeEndObject();
        });
  }

  /** A list of strings as a JSON array. */
  public String stringList(Iterable<String> strings) {
    return write(
        g -> {
          g.writeStartArray();
          for (String string : strings) {
            g.writeString(text(string));
          }
          g.writeEndArray();
        });
  }

  /** The stored form of a double that {@link #isNumber} refuses, given as Java's text of it. */
  public String doubleMarker(String javaText) {
    return write(g -> writeMarker(g, javaText));
  }

  private interface Writing {
    void to(JsonGenerator generator) throws IOException;
  }

  private static String write(Writing writing) {
    Encoder encoder = ENCODER.get();
    try {
      writing.to(encoder.generator);
      encoder.generator.flush();
      return encoder.out.take();
    } catch (IOException e) {
      ENCODER.remove();
      throw new UncheckedIOException("writing JSON to a string", e);
    } catch (RuntimeException e) {
      ENCODER.remove(); // a value failed halfway: the generator's state is unknown
      throw e;
    }
  }

  private static final class Encoder {
    final TextBuffer out = new TextBuffer();
    final JsonGenerator generator;

    Encoder() {
      try {
        generator = JSON.createGenerator(out);
      } catch (IOException e) {
        throw new UncheckedIOException("creating a JSON generator", e);
      }
    }
  }

  /** An unsynchronised writer into a StringBuilder that is emptied by {@link #take()}. */
  private static final class TextBuffer extends Writer {
    private static final int KEEP_CAPACITY = 64 * 1024;
    private StringBuilder text = new StringBuilder(512);

    @Override
    public void write(char[] chars, int offset, int length) {
      text.append(chars, offset, length);
    }

    @Override
    public void write(String string, int offset, int length) {
      text.append(string, offset, offset + length);
    }

    String take() {
      String result = text.toString();
      if (text.capacity() > KEEP_CAPACITY) {
        text = new StringBuilder(512); // do not hold on to one huge value's buffer
      } else {
        text.setLength(0);
      }
      return result;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private void writeAttributes(JsonGenerator g, Map<String, Object> attributes) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, Object> attribute : attributes.entrySet()) {
      g.writeFieldName(text(attribute.getKey()));
      writeValue(g, attribute.getValue());
    }
    g.writeEndObject();
  }

  private void writeValue(JsonGenerator g, Object value) throws IOException {
    switch (value) {
      case null -> g.writeNull();
      case String s -> g.writeString(text(s));
      case Boolean b -> g.writeBoolean(b);
      case Long l -> g.writeNumber(l);
      case Integer i -> g.writeNumber((long) i);
      case Double d -> {
        if (isNumber(d)) {
          g.writeNumber(d);
        } else {
          writeMarker(g, Double.toString(d));
        }
      }
      case List<?> list -> {
        g.writeStartArray();
        for (Object element : list) {
          writeValue(g, element);
        }
        g.writeEndArray();
      }
      case Map<?, ?> map -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          String key = text(String.valueOf(entry.getKey()));
          g.writeFieldName(key.startsWith("$") ? "$" + key : key);
          writeValue(g, entry.getValue());
        }
        g.writeEndObject();
      }
      default ->
          throw new StorageException(
              Code.INVALID_ARGUMENT,
              "an attribute value cannot be a " + value.getClass().getName());
    }
  }

  private static void writeMarker(JsonGenerator g, String javaText) throws IOException {
    g.writeStartObject();
    g.writeStringField(DOUBLE_MARKER, javaText);
    g.writeEndObject();
  }

  // ------------------------------------------------------------------ reading

  /** A top-level attribute map; null (a column without a value) reads as an empty one. */
  public Map<String, Object> readAttributes(String json) {
    if (json == null || json.equals("{}")) {
      return Map.of();
    }
    return read(json, p -> readAttributes(p, p.nextToken()));
  }

  public Object readValue(String json) {
    return read(json, p -> readValue(p, p.nextToken()));
  }

  /** Events; null reads as none. */
  public List<SpanEvent> readEvents(String json) {
    if (json == null || json.equals("[]")) {
      return List.of();
    }
    return read(
        json,
        p -> {
          List<SpanEvent> events = new ArrayList<>();
          expect(p.nextToken(), JsonToken.START_ARRAY);
          while (p.nextToken() == JsonToken.START_OBJECT) {
            String name = "";
            long time = 0;
            Map<String, Object> attributes = Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              JsonToken token = p.nextToken();
              switch (field) {
                case "name" -> name = stored(p.getText());
                case "time" -> time = p.getLongValue();
                case "attributes" -> attributes = readAttributes(p, token);
                default -> p.skipChildren();
              }
            }
            events.add(new SpanEvent(name, time, attributes));
          }
          return events;
        });
  }

  /** Links; null reads as none. */
  public List<SpanLink> readLinks(String json) {
    if (json == null || json.equals("[]")) {
      return List.of();
    }
    return read(
        json,
        p -> {
          List<SpanLink> links = new ArrayList<>();
          expect(p.nextToken(), JsonToken.START_ARRAY);
          while (p.nextToken() == JsonToken.START_OBJECT) {
            String traceId = "";
            String spanId = "";
            Map<String, Object> attributes = Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              JsonToken token = p.nextToken();
              switch (field) {
                case "traceId" -> traceId = p.getText();
                case "spanId" -> spanId = p.getText();
                case "attributes" -> attributes = readAttributes(p, token);
                default -> p.skipChildren();
              }
            }
            links.add(new SpanLink(traceId, spanId, attributes));
          }
          return links;
        });
  }

  public Labels readLabels(String json) {
    return Labels.of(readStringMap(json));
  }

  /** A JSON object of strings written by {@link #stringMap}, sorted by key. */
  public Map<String, String> readStringMap(String json) {
    return read(
        json,
        p -> {
          Map<String, String> strings = new TreeMap<>();
          expect(p.nextToken(), JsonToken.START_OBJECT);
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = stored(p.currentName());
            p.nextToken();
            strings.put(name, stored(p.getText()));
          }
          return strings;
        });
  }

  /** A JSON array of strings written by {@link #stringList}. */
  public List<String> readStringList(String json) {
    return read(
        json,
        p -> {
          expect(p.nextToken(), JsonToken.START_ARRAY);
          List<String> strings = new ArrayList<>();
          while (p.nextToken() == JsonToken.VALUE_STRING) {
            strings.add(stored(p.getText()));
          }
          return strings;
        });
  }

  private interface Reading<T> {
    T from(JsonParser parser) throws IOException;
  }

  private static <T> T read(String json, Reading<T> reading) {
    try (JsonParser parser = JSON.createParser(json)) {
      return reading.from(parser);
    } catch (IOException | NumberFormatException e) {
      throw new StorageException(Code.INTERNAL, "stored JSON is corrupt: " + e.getMessage(), e);
    }
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + expected + " but found " + actual);
    }
  }

  /** A top-level attribute object: its keys are stored as they are, never marked. */
  private Map<String, Object> readAttributes(JsonParser p, JsonToken start) throws IOException {
    expect(start, JsonToken.START_OBJECT);
    Map<String, Object> attributes = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = stored(p.currentName());
      attributes.put(key, readValue(p, p.nextToken()));
    }
    return attributes;
  }

  private Object readValue(JsonParser p, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> stored(p.getText());
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      case VALUE_NUMBER_INT -> p.getLongValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          list.add(readValue(p, next));
        }
        yield Collections.unmodifiableList(list);
      }
      case START_OBJECT -> readNestedObject(p);
      default -> throw new IOException("unexpected " + token);
    };
  }

  /** A nested map, or a double written as a marker object. */
  private Object readNestedObject(JsonParser p) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken token = p.nextToken();
      if (key.equals(DOUBLE_MARKER) && map.isEmpty() && token == JsonToken.VALUE_STRING) {
        double value = Double.parseDouble(p.getText());
        expect(p.nextToken(), JsonToken.END_OBJECT);
        return value;
      }
      map.put(stored(key.startsWith("$") ? key.substring(1) : key), readValue(p, token));
    }
    return Collections.unmodifiableMap(map);
  }
}
