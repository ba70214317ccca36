package dev.sextant.ingest.otlp;

/**
 * What a limit cut from a record that was otherwise stored (DESIGN §2.7). The tag is the {@code
 * reason} label of {@code sextant_ingest_truncations_total}; each occurrence counts one.
 */
public enum TruncationReason {
  /** An attribute beyond {@code max-attributes-per-record}, dropped. */
  ATTRIBUTE_COUNT("attribute_count"),
  /** A string value longer than {@code max-attribute-value-bytes}, cut at a character boundary. */
  ATTRIBUTE_VALUE_LENGTH("attribute_value_length"),
  /** An attribute that no longer fit in {@code max-attribute-bytes-per-record}, dropped. */
  RECORD_ATTRIBUTE_BYTES("record_attribute_bytes"),
  /** A second attribute with a key already seen in the same map, dropped. */
  DUPLICATE_ATTRIBUTE("duplicate_attribute"),
  /** An attribute (or list element) whose AnyValue holds no value, dropped. */
  EMPTY_ATTRIBUTE_VALUE("empty_attribute_value"),
  /** A span name longer than {@code max-attribute-value-bytes}, cut. */
  NAME_LENGTH("name_length"),
  /** A log body string longer than {@code max-log-body-bytes}, cut. */
  LOG_BODY_LENGTH("log_body_length"),
  /** A span event beyond {@code max-events-per-span}, dropped. */
  EVENT_COUNT("event_count"),
  /** A span link beyond {@code max-links-per-span}, dropped. */
  LINK_COUNT("link_count"),
  /** A span link with an invalid trace or span id, dropped. */
  INVALID_LINK("invalid_link"),
  /** A span event with a time out of range, dropped. */
  INVALID_EVENT("invalid_event");

  private final String tag;

  TruncationReason(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
