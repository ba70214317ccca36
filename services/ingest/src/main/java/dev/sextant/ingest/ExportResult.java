package dev.sextant.ingest;

/**
 * The answer to an export that was processed: how many records were refused, and a message naming
 * the reasons and any limits applied (OTLP's partial success; a message without rejections is a
 * warning).
 */
public record ExportResult(int rejected, String message) {
  /** Whether the response carries a partial success (rejections or warnings). */
  public boolean partial() {
    return rejected > 0 || !message.isEmpty();
  }
}
