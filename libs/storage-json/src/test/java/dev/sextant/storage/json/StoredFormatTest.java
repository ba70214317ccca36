package dev.sextant.storage.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Labels;
import dev.sextant.model.SpanEvent;
import dev.sextant.model.SpanLink;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The text each backend stored before the codecs were one: the constants below were written by
 * storage-sqlite's {@code AttributeJson} and storage-postgres's {@code JsonCodec} as they were at
 * commit f54d906 (their last version), from the values built here. The one codec, with the options
 * each backend uses, must write exactly that text and read it back to the same values, so data
 * either backend stored reads back unchanged.
 */
class StoredFormatTest {
  private static final AttributeJson SQLITE = AttributeJson.STANDARD;
  private static final AttributeJson POSTGRES =
      AttributeJson.STANDARD.escapingNul().markingExponentDoubles();

  private static final String STANDARD_ATTRIBUTES =
      "{\"s\":\"plain\",\"nul\":\"a\\u0000b\",\"pua\":\"x\ue000y\ue001\",\"key\\u0000nul\":\"v\",\"$top\":\"dollar\",\"unicode\":\"\u00e9\u20ac\ud83d\ude00\\\"\\\\\\n\\t\",\"long\":42,\"min\":-9223372036854775808,\"quarter\":0.25,\"integral\":3.0,\"big\":1.0E20,\"tiny\":1.0E-7,\"nan\":{\"$double\":\"NaN\"},\"inf\":{\"$double\":\"Infinity\"},\"ninf\":{\"$double\":\"-Infinity\"},\"nzero\":{\"$double\":\"-0.0\"},\"zero\":0.0,\"yes\":true,\"no\":false,\"nothing\":null,\"list\":[\"a\\u0000\",1,2.5,1.0E300,false,null,[],{\"a\":1,\"b\":\"two\"}],\"nested\":{\"$$double\":\"NaN\",\"$$$x\":1,\"k\\u0000\":\"v\\u0000\ue000\",\"d\":{\"$double\":\"NaN\"},\"e\":1.0E20,\"z\":{\"$double\":\"-0.0\"}}}";

  private static final String STANDARD_EVENTS =
      "[{\"name\":\"ev\\u0000ent\",\"time\":1767225600000000123,\"attributes\":{\"s\":\"plain\",\"nul\":\"a\\u0000b\",\"pua\":\"x\ue000y\ue001\",\"key\\u0000nul\":\"v\",\"$top\":\"dollar\",\"unicode\":\"\u00e9\u20ac\ud83d\ude00\\\"\\\\\\n\\t\",\"long\":42,\"min\":-9223372036854775808,\"quarter\":0.25,\"integral\":3.0,\"big\":1.0E20,\"tiny\":1.0E-7,\"nan\":{\"$double\":\"NaN\"},\"inf\":{\"$double\":\"Infinity\"},\"ninf\":{\"$double\":\"-Infinity\"},\"nzero\":{\"$double\":\"-0.0\"},\"zero\":0.0,\"yes\":true,\"no\":false,\"nothing\":null,\"list\":[\"a\\u0000\",1,2.5,1.0E300,false,null,[],{\"a\":1,\"b\":\"two\"}],\"nested\":{\"$$double\":\"NaN\",\"$$$x\":1,\"k\\u0000\":\"v\\u0000\ue000\",\"d\":{\"$double\":\"NaN\"},\"e\":1.0E20,\"z\":{\"$double\":\"-0.0\"}}}},{\"name\":\"second\",\"time\":0,\"attributes\":{}}]";

  private static final String STANDARD_LINKS =
      "[{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"00f067aa0ba902b7\",\"attributes\":{\"k\":\"v\\u0000\"}},{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\",\"attributes\":{}}]";

  private static final String STANDARD_LABELS =
      "{\"__name__\":\"gen_ai_client_token_usage\",\"job\":\"a\\u0000b\",\"x\ue000\":\"\u00e9\"}";

  private static final String STANDARD_BODY =
      "{\"message\":\"hello\\u0000\",\"$$count\":3,\"ratio\":1.0E-5,\"items\":[1,\"two\",{\"$double\":\"-Infinity\"}]}";

  private static final String POSTGRES_ATTRIBUTES =
      "{\"s\":\"plain\",\"nul\":\"a\ue000\ue001b\",\"pua\":\"x\ue000\ue000y\ue001\",\"key\ue000\ue001nul\":\"v\",\"$top\":\"dollar\",\"unicode\":\"\u00e9\u20ac\ud83d\ude00\\\"\\\\\\n\\t\",\"long\":42,\"min\":-9223372036854775808,\"quarter\":0.25,\"integral\":3.0,\"big\":{\"$double\":\"1.0E20\"},\"tiny\":{\"$double\":\"1.0E-7\"},\"nan\":{\"$double\":\"NaN\"},\"inf\":{\"$double\":\"Infinity\"},\"ninf\":{\"$double\":\"-Infinity\"},\"nzero\":{\"$double\":\"-0.0\"},\"zero\":0.0,\"yes\":true,\"no\":false,\"nothing\":null,\"list\":[\"a\ue000\ue001\",1,2.5,{\"$double\":\"1.0E300\"},false,null,[],{\"a\":1,\"b\":\"two\"}],\"nested\":{\"$$double\":\"NaN\",\"$$$x\":1,\"k\ue000\ue001\":\"v\ue000\ue001\ue000\ue000\",\"d\":{\"$double\":\"NaN\"},\"e\":{\"$double\":\"1.0E20\"},\"z\":{\"$double\":\"-0.0\"}}}";

  private static final String POSTGRES_EVENTS =
      "[{\"name\":\"ev\ue000\ue001ent\",\"time\":1767225600000000123,\"attributes\":{\"s\":\"plain\",\"nul\":\"a\ue000\ue001b\",\"pua\":\"x\ue000\ue000y\ue001\",\"key\ue000\ue001nul\":\"v\",\"$top\":\"dollar\",\"unicode\":\"\u00e9\u20ac\ud83d\ude00\\\"\\\\\\n\\t\",\"long\":42,\"min\":-9223372036854775808,\"quarter\":0.25,\"integral\":3.0,\"big\":{\"$double\":\"1.0E20\"},\"tiny\":{\"$double\":\"1.0E-7\"},\"nan\":{\"$double\":\"NaN\"},\"inf\":{\"$double\":\"Infinity\"},\"ninf\":{\"$double\":\"-Infinity\"},\"nzero\":{\"$double\":\"-0.0\"},\"zero\":0.0,\"yes\":true,\"no\":false,\"nothing\":null,\"list\":[\"a\ue000\ue001\",1,2.5,{\"$double\":\"1.0E300\"},false,null,[],{\"a\":1,\"b\":\"two\"}],\"nested\":{\"$$double\":\"NaN\",\"$$$x\":1,\"k\ue000\ue001\":\"v\ue000\ue001\ue000\ue000\",\"d\":{\"$double\":\"NaN\"},\"e\":{\"$double\":\"1.0E20\"},\"z\":{\"$double\":\"-0.0\"}}}},{\"name\":\"second\",\"time\":0,\"attributes\":{}}]";

  private static final String POSTGRES_LINKS =
      "[{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"00f067aa0ba902b7\",\"attributes\":{\"k\":\"v\ue000\ue001\"}},{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\",\"attributes\":{}}]";

  private static final String POSTGRES_LABELS =
      "{\"__name__\":\"gen_ai_client_token_usage\",\"job\":\"a\ue000\ue001b\",\"x\ue000\ue000\":\"\u00e9\"}";

  private static final String POSTGRES_BODY =
      "{\"message\":\"hello\ue000\ue001\",\"$$count\":3,\"ratio\":{\"$double\":\"1.0E-5\"},\"items\":[1,\"two\",{\"$double\":\"-Infinity\"}]}";

  private static final String POSTGRES_KEY_ORDER =
      "[\"s\",\"nul\",\"pua\",\"key\ue000\ue001nul\",\"$top\",\"unicode\",\"long\",\"min\",\"quarter\",\"integral\",\"big\",\"tiny\",\"nan\",\"inf\",\"ninf\",\"nzero\",\"zero\",\"yes\",\"no\",\"nothing\",\"list\",\"nested\"]";

  private static final String POSTGRES_STRING_MAP =
      "{\"__name__\":\"gen_ai_client_token_usage\",\"job\":\"a\ue000\ue001b\",\"x\ue000\ue000\":\"\u00e9\"}";

  private static final String POSTGRES_STRING_LIST = "[\"a\",\"b\ue000\ue001\",\"\ue000\ue000\"]";

  private static final String POSTGRES_LABEL = "{\"job\ue000\ue001\":\"x\"}";

  private static final String POSTGRES_MARKER = "{\"$double\":\"1.0E20\"}";

  @Test
  void sqliteTextIsWrittenAsBefore() {
    assertThat(SQLITE.attributes(attributes())).isEqualTo(STANDARD_ATTRIBUTES);
    assertThat(SQLITE.events(events())).isEqualTo(STANDARD_EVENTS);
    assertThat(SQLITE.links(links())).isEqualTo(STANDARD_LINKS);
    assertThat(SQLITE.labels(labels())).isEqualTo(STANDARD_LABELS);
    assertThat(SQLITE.value(body())).isEqualTo(STANDARD_BODY);
  }

  @Test
  void sqliteTextReadsBackAsBefore() {
    assertThat(SQLITE.readAttributes(STANDARD_ATTRIBUTES))
        .isEqualTo(attributes())
        .containsExactlyEntriesOf(attributes());
    assertThat(SQLITE.readEvents(STANDARD_EVENTS)).isEqualTo(events());
    assertThat(SQLITE.readLinks(STANDARD_LINKS)).isEqualTo(links());
    assertThat(SQLITE.readLabels(STANDARD_LABELS)).isEqualTo(labels());
    assertThat(SQLITE.readValue(STANDARD_BODY)).isEqualTo(body());
  }

  @Test
  void postgresTextIsWrittenAsBefore() {
    assertThat(POSTGRES.attributes(attributes())).isEqualTo(POSTGRES_ATTRIBUTES);
    assertThat(POSTGRES.events(events())).isEqualTo(POSTGRES_EVENTS);
    assertThat(POSTGRES.links(links())).isEqualTo(POSTGRES_LINKS);
    assertThat(POSTGRES.labels(labels())).isEqualTo(POSTGRES_LABELS);
    assertThat(POSTGRES.value(body())).isEqualTo(POSTGRES_BODY);
    assertThat(POSTGRES.stringList(attributes().keySet())).isEqualTo(POSTGRES_KEY_ORDER);
    assertThat(POSTGRES.stringMap(labels().asMap())).isEqualTo(POSTGRES_STRING_MAP);
    assertThat(POSTGRES.stringList(List.of("a", "b\u0000", "\ue000")))
        .isEqualTo(POSTGRES_STRING_LIST);
    assertThat(POSTGRES.stringMap(Map.of("job\u0000", "x"))).isEqualTo(POSTGRES_LABEL);
    assertThat(POSTGRES.doubleMarker("1.0E20")).isEqualTo(POSTGRES_MARKER);
  }

  @Test
  void postgresTextReadsBackAsBefore() {
    assertThat(POSTGRES.readAttributes(POSTGRES_ATTRIBUTES))
        .isEqualTo(attributes())
        .containsExactlyEntriesOf(attributes());
    assertThat(POSTGRES.readEvents(POSTGRES_EVENTS)).isEqualTo(events());
    assertThat(POSTGRES.readLinks(POSTGRES_LINKS)).isEqualTo(links());
    assertThat(POSTGRES.readLabels(POSTGRES_LABELS)).isEqualTo(labels());
    assertThat(POSTGRES.readValue(POSTGRES_BODY)).isEqualTo(body());
    assertThat(POSTGRES.readStringList(POSTGRES_KEY_ORDER))
        .containsExactlyElementsOf(attributes().keySet());
    assertThat(POSTGRES.readStringMap(POSTGRES_STRING_MAP)).isEqualTo(labels().asMap());
    assertThat(POSTGRES.readStringList(POSTGRES_STRING_LIST))
        .containsExactly("a", "b\u0000", "\ue000");
  }

  /** {@code jsonb} prints its own text back: keys sorted, a space after each colon and comma. */
  @Test
  void postgresReadsJsonbsPrintedForm() {
    Map<String, Object> read =
        POSTGRES.readAttributes(
            "{\"a\": 1, \"z\": \"x\ue000\ue001\", \"big\": {\"$double\": \"1.0E20\"},"
                + " \"list\": [0.25, 0.0], \"nested\": {\"$$k\": 3.0}}");

    assertThat(read)
        .containsExactly(
            Map.entry("a", 1L),
            Map.entry("z", "x\u0000"),
            Map.entry("big", 1e20),
            Map.entry("list", List.of(0.25, 0.0)),
            Map.entry("nested", Map.of("$k", 3.0)));
  }

  @Test
  void theTwoFormatsDifferOnlyInTheOptions() {
    assertThat(SQLITE.isNumber(1e20)).isTrue();
    assertThat(POSTGRES.isNumber(1e20)).isFalse();
    for (AttributeJson json : List.of(SQLITE, POSTGRES)) {
      assertThat(json.isNumber(0.25)).isTrue();
      assertThat(json.isNumber(3.0)).isTrue();
      assertThat(json.isNumber(0.0)).isTrue();
      assertThat(json.isNumber(-0.0)).isFalse();
      assertThat(json.isNumber(Double.NaN)).isFalse();
      assertThat(json.isNumber(Double.NEGATIVE_INFINITY)).isFalse();
    }
  }

  @Test
  void bothShareTheirThreadsGeneratorWithoutMixingTheirTexts() {
    assertThat(POSTGRES.value(1e20)).isEqualTo("{\"$double\":\"1.0E20\"}");
    assertThat(SQLITE.value(1e20)).isEqualTo("1.0E20");
    assertThat(POSTGRES.value("a\u0000")).isEqualTo("\"a\ue000\ue001\"");
    assertThat(SQLITE.value("a\u0000")).isEqualTo("\"a\\u0000\"");
  }

  private static Map<String, Object> attributes() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("$double", "NaN");
    nested.put("$$x", 1L);
    nested.put("k\u0000", "v\u0000\ue000");
    nested.put("d", Double.NaN);
    nested.put("e", 1e20);
    nested.put("z", -0.0);
    Map<String, Object> inList = new LinkedHashMap<>();
    inList.put("a", 1L);
    inList.put("b", "two");
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("s", "plain");
    a.put("nul", "a\u0000b");
    a.put("pua", "x\ue000y\ue001");
    a.put("key\u0000nul", "v");
    a.put("$top", "dollar");
    a.put("unicode", "é€😀\"\\\n\t");
    a.put("long", 42L);
    a.put("min", Long.MIN_VALUE);
    a.put("quarter", 0.25);
    a.put("integral", 3.0);
    a.put("big", 1e20);
    a.put("tiny", 1e-7);
    a.put("nan", Double.NaN);
    a.put("inf", Double.POSITIVE_INFINITY);
    a.put("ninf", Double.NEGATIVE_INFINITY);
    a.put("nzero", -0.0);
    a.put("zero", 0.0);
    a.put("yes", true);
    a.put("no", false);
    a.put("nothing", null);
    a.put("list", Arrays.asList("a\u0000", 1L, 2.5, 1e300, false, null, List.of(), inList));
    a.put("nested", nested);
    return a;
  }

  private static List<SpanEvent> events() {
    return List.of(
        new SpanEvent("ev\u0000ent", 1_767_225_600_000_000_123L, attributes()),
        new SpanEvent("second", 0, Map.of()));
  }

  private static List<SpanLink> links() {
    return List.of(
        new SpanLink(
            "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", Map.of("k", "v\u0000")),
        new SpanLink("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", Map.of()));
  }

  private static Labels labels() {
    Map<String, String> m = new TreeMap<>();
    m.put("__name__", "gen_ai_client_token_usage");
    m.put("job", "a\u0000b");
    m.put("x\ue000", "é");
    return Labels.of(m);
  }

  private static Object body() {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("message", "hello\u0000");
    b.put("$count", 3L);
    b.put("ratio", 1.0E-5);
    b.put("items", List.of(1L, "two", Double.NEGATIVE_INFINITY));
    return b;
  }
}
