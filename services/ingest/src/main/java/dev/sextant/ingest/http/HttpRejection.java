package dev.sextant.ingest.http;

import com.google.rpc.Code;

/**
 * A request refused for what only HTTP has: a body too large (413) or a content type or encoding
 * ingest does not read (415). Both are final: retrying the same request fails again.
 */
final class HttpRejection extends RuntimeException {
  private final int status;
  private final String outcome;

  private HttpRejection(int status, String outcome, String message) {
    super(message, null, false, false);
    this.status = status;
    this.outcome = outcome;
  }

  static HttpRejection tooLarge(long maxBytes) {
    return new HttpRejection(
        413,
        "too_large",
        "request body is larger than " + maxBytes + " bytes (after gzip decompression too)");
  }

  static HttpRejection unsupported(String message) {
    return new HttpRejection(415, "unsupported_media_type", message);
  }

  int status() {
    return status;
  }

  /** The {@code outcome} tag of the requests counter. */
  String outcome() {
    return outcome;
  }

  Code grpcCode() {
    return status == 413 ? Code.RESOURCE_EXHAUSTED : Code.INVALID_ARGUMENT;
  }
}
