package dev.sextant.ingest.otlp;

import dev.sextant.ingest.IngestConfig;

/** The attribute limits in force; every field is unbounded when limits are off. */
public record LimitSettings(
    int maxAttributes,
    int maxValueBytes,
    long maxRecordBytes,
    int maxLogBodyBytes,
    int maxEvents,
    int maxLinks) {

  public static final LimitSettings UNLIMITED =
      new LimitSettings(
          Integer.MAX_VALUE,
          Integer.MAX_VALUE,
          Long.MAX_VALUE,
          Integer.MAX_VALUE,
          Integer.MAX_VALUE,
          Integer.MAX_VALUE);

  public static LimitSettings from(IngestConfig.Limits limits) {
    if (!limits.enabled()) {
      return UNLIMITED;
    }
    return new LimitSettings(
        limits.maxAttributesPerRecord(),
        limits.maxAttributeValueBytes(),
        limits.maxAttributeBytesPerRecord(),
        limits.maxLogBodyBytes(),
        limits.maxEventsPerSpan(),
        limits.maxLinksPerSpan());
  }
}
