package dev.sextant.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.testkit.Fixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stored JSON form; the conformance suite checks the round trip through the store. */
class AttributeJsonTest {

  @Test
  void everyValueTypeRoundTrips() {
    Map<String, Object> attributes = Fixtures.everyValueType();

    assertThat(AttributeJson.readAttributes(AttributeJson.attributes(attributes)))
        .isEqualTo(attributes)
        .containsExactlyEntriesOf(attributes);
  }

  @Test
  void doublesJsonCannotCarryAreMarkerObjects() {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("nan", Double.NaN);
    attributes.put("inf", Double.NEGATIVE_INFINITY);
    attributes.put("negative.zero", -0.0);
    attributes.put("zero", 0.0);
    attributes.put("integral", 3.0);

    assertThat(AttributeJson.attributes(attributes))
        .isEqualTo(
            "{\"nan\":{\"$double\":\"NaN\"},\"inf\":{\"$double\":\"-Infinity\"},"
                + "\"negative.zero\":{\"$double\":\"-0.0\"},\"zero\":0.0,\"integral\":3.0}");
  }

  @Test
  void nestedKeysStartingWithDollarAreEscapedSoTheyNeverLookLikeMarkers() {
    Map<String, Object> attributes = Map.of("m", Map.of("$double", "NaN"));

    String json = AttributeJson.attributes(attributes);

    assertThat(json).isEqualTo("{\"m\":{\"$$double\":\"NaN\"}}");
    assertThat(AttributeJson.readAttributes(json)).isEqualTo(attributes);
  }

  @Test
  void bodiesOfAnyShapeRoundTrip() {
    for (Object body : List.of("text", 42L, 2.5, true, List.of("a", 1L), Map.of("k", List.of()))) {
      assertThat(AttributeJson.readValue(AttributeJson.value(body))).isEqualTo(body);
    }
  }

  @Test
  void canonicalNumberTextsAreExactlyJavasOwn() {
    assertThat(AttributeFilterSql.canonicalLong("42")).isEqualTo(42L);
    assertThat(AttributeFilterSql.canonicalLong("042")).isNull();
    assertThat(AttributeFilterSql.canonicalLong("+42")).isNull();
    assertThat(AttributeFilterSql.canonicalLong("-0")).isNull();
    assertThat(AttributeFilterSql.canonicalDouble("0.25")).isEqualTo(0.25);
    assertThat(AttributeFilterSql.canonicalDouble("1.0E20")).isEqualTo(1e20);
    assertThat(AttributeFilterSql.canonicalDouble("1e20")).isNull();
    assertThat(AttributeFilterSql.canonicalDouble("3")).isNull();
    assertThat(AttributeFilterSql.canonicalDouble("NaN")).isNaN();
    assertThat(AttributeFilterSql.canonicalDouble("0x1p3")).isNull();
    assertThat(AttributeFilterSql.canonicalDouble("1.0d")).isNull();
  }

  @Test
  void valuesWrittenOneAfterAnotherOnAThreadStaySeparate() {
    assertThat(AttributeJson.attributes(Map.of("a", 1L))).isEqualTo("{\"a\":1}");
    assertThat(AttributeJson.value("text")).isEqualTo("\"text\"");
    assertThat(AttributeJson.value(List.of(1L, "x"))).isEqualTo("[1,\"x\"]");
    assertThat(AttributeJson.attributes(Map.of("b", true))).isEqualTo("{\"b\":true}");
  }

  @Test
  void aValueThatFailsHalfwayLeavesNothingBehindForTheNext() {
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("ok", "first");
    bad.put("bad", new Object());

    assertThatThrownBy(() -> AttributeJson.attributes(bad))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("java.lang.Object");
    assertThat(AttributeJson.attributes(Map.of("next", 2L))).isEqualTo("{\"next\":2}");
  }

  @Test
  void aHugeValueIsWrittenWholeAndTheNextSmallOneAfterIt() {
    String huge = "x".repeat(200_000);
    assertThat(AttributeJson.value(huge)).hasSize(200_002).startsWith("\"xx").endsWith("xx\"");
    assertThat(AttributeJson.value("small")).isEqualTo("\"small\"");
  }
}
