package dev.sextant.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.testkit.Fixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A record's attributes stored once (schema v3): the texts of {@code filter_attributes} plus {@code
 * attribute_types} give back every value with its type, its exact bits and the record's order,
 * whatever the resource holds.
 */
class AttributesStoredOnceTest {

  /** What ClickHouse returns for the map column: its entries in the order they were written. */
  private static String[] stored(Map<String, Object> attributes, Map<String, Object> resource) {
    RowBinaryOutput out = new RowBinaryOutput(256);
    FilterAttributes.write(out, FilterAttributes.of(attributes, resource));
    return FilterAttributes.read(new RowBinaryInput(out.toByteArray()));
  }

  private static Map<String, Object> roundTrip(
      Map<String, Object> attributes, Map<String, Object> resource) {
    return AttributeCodec.readAttributes(
        new byte[0], AttributeCodec.types(attributes), stored(attributes, resource));
  }

  private static List<Map.Entry<String, Object>> entries(Map<String, Object> map) {
    return List.copyOf(map.entrySet());
  }

  @Test
  void everyValueTypeComesBackExactlyAndInOrder() {
    Map<String, Object> attributes = Fixtures.everyValueType();
    Map<String, Object> read = roundTrip(attributes, Map.of());
    assertThat(entries(read)).containsExactlyElementsOf(entries(attributes));
    // Exact bits where equals() would not tell: -0.0 against 0.0.
    assertThat(Double.doubleToRawLongBits((Double) read.get("double.negative.zero")))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void resourceKeysNeitherShiftNorReplaceTheRecordsOwn() {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("shared", 7L); // shadows the resource's text
    attributes.put("list", List.of("x", 2L)); // no text: the resource's "list" must not show
    attributes.put("own", "a");
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("service.name", "checkout");
    resource.put("shared", "from the resource");
    resource.put("list", "resource text");
    resource.put("host", 3.5);

    assertThat(entries(roundTrip(attributes, resource)))
        .containsExactlyElementsOf(entries(attributes));
    // The search map still holds the resource's unshadowed keys, the record's values first.
    assertThat(stored(attributes, resource))
        .containsExactly("shared", "7", "own", "a", "service.name", "checkout", "host", "3.5");
  }

  @Test
  void aNanWithAPayloadIsKeptWholeAndStaysSearchable() {
    double payloadNan = Double.longBitsToDouble(0x7ff8_0000_0000_0001L);
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("before", "b");
    attributes.put("nan", payloadNan);
    attributes.put("after", 1.5);

    Map<String, Object> read = roundTrip(attributes, Map.of("r", "x"));
    assertThat(read.keySet()).containsExactly("before", "nan", "after");
    assertThat(Double.doubleToRawLongBits((Double) read.get("nan")))
        .isEqualTo(0x7ff8_0000_0000_0001L);
    assertThat(read.get("after")).isEqualTo(1.5);
    assertThat(stored(attributes, Map.of())).contains("nan", "NaN");
  }

  @Test
  void noAttributesIsNotARowOfTheOldFormat() {
    byte[] types = AttributeCodec.types(Map.of());
    assertThat(types).isNotEmpty();
    assertThat(
            AttributeCodec.readAttributes(new byte[0], types, stored(Map.of(), Map.of("a", "b"))))
        .isEmpty();
  }

  @Test
  void aRowWrittenBeforeVersionThreeReadsItsWholeEncoding() {
    Map<String, Object> attributes = Fixtures.everyValueType();
    Map<String, Object> read =
        AttributeCodec.readAttributes(
            AttributeCodec.attributes(attributes), new byte[0], new String[0]);
    assertThat(entries(read)).containsExactlyElementsOf(entries(attributes));
  }

  @Test
  void typesThatPromiseMoreTextsThanStoredAreReportedCorrupt() {
    byte[] types = AttributeCodec.types(Map.of("a", "x", "b", "y"));
    assertThatThrownBy(
            () -> AttributeCodec.readAttributes(new byte[0], types, new String[] {"a", "x"}))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("corrupt");
  }
}
