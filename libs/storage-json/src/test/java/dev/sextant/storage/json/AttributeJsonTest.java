package dev.sextant.storage.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.testkit.Fixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stored JSON form without options (SQLite's); the conformance suite checks the round trip
 * through each store.
 */
class AttributeJsonTest {
  private static final AttributeJson JSON = AttributeJson.STANDARD;

  @Test
  void everyValueTypeRoundTrips() {
    Map<String, Object> attributes = Fixtures.everyValueType();

    assertThat(JSON.readAttributes(JSON.attributes(attributes)))
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

    assertThat(JSON.attributes(attributes))
        .isEqualTo(
            "{\"nan\":{\"$double\":\"NaN\"},\"inf\":{\"$double\":\"-Infinity\"},"
                + "\"negative.zero\":{\"$double\":\"-0.0\"},\"zero\":0.0,\"integral\":3.0}");
  }

  @Test
  void nestedKeysStartingWithDollarAreEscapedSoTheyNeverLookLikeMarkers() {
    Map<String, Object> attributes = Map.of("m", Map.of("$double", "NaN"));

    String json = JSON.attributes(attributes);

    assertThat(json).isEqualTo("{\"m\":{\"$$double\":\"NaN\"}}");
    assertThat(JSON.readAttributes(json)).isEqualTo(attributes);
  }

  @Test
  void bodiesOfAnyShapeRoundTrip() {
    for (Object body : List.of("text", 42L, 2.5, true, List.of("a", 1L), Map.of("k", List.of()))) {
      assertThat(JSON.readValue(JSON.value(body))).isEqualTo(body);
    }
  }

  @Test
  void valuesWrittenOneAfterAnotherOnAThreadStaySeparate() {
    assertThat(JSON.attributes(Map.of("a", 1L))).isEqualTo("{\"a\":1}");
    assertThat(JSON.value("text")).isEqualTo("\"text\"");
    assertThat(JSON.value(List.of(1L, "x"))).isEqualTo("[1,\"x\"]");
    assertThat(JSON.attributes(Map.of("b", true))).isEqualTo("{\"b\":true}");
  }

  @Test
  void aValueThatFailsHalfwayLeavesNothingBehindForTheNext() {
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("ok", "first");
    bad.put("bad", new Object());

    assertThatThrownBy(() -> JSON.attributes(bad))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("java.lang.Object");
    assertThat(JSON.attributes(Map.of("next", 2L))).isEqualTo("{\"next\":2}");
  }

  @Test
  void aHugeValueIsWrittenWholeAndTheNextSmallOneAfterIt() {
    String huge = "x".repeat(200_000);
    assertThat(JSON.value(huge)).hasSize(200_002).startsWith("\"xx").endsWith("xx\"");
    assertThat(JSON.value("small")).isEqualTo("\"small\"");
  }
}
