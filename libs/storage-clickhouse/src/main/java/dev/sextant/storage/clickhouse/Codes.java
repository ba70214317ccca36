package dev.sextant.storage.clickhouse;

import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import dev.sextant.storage.StorageException;

/**
 * The numbers stored for span kinds and status codes: fixed here, not enum ordinals, so reordering
 * an enum can never change what stored rows mean. They follow OpenTelemetry's own numbering.
 */
final class Codes {
  private Codes() {}

  static int kind(SpanKind kind) {
    return switch (kind) {
      case UNSPECIFIED -> 0;
      case INTERNAL -> 1;
      case SERVER -> 2;
      case CLIENT -> 3;
      case PRODUCER -> 4;
      case CONSUMER -> 5;
    };
  }

  static SpanKind kind(int code) {
    return switch (code) {
      case 0 -> SpanKind.UNSPECIFIED;
      case 1 -> SpanKind.INTERNAL;
      case 2 -> SpanKind.SERVER;
      case 3 -> SpanKind.CLIENT;
      case 4 -> SpanKind.PRODUCER;
      case 5 -> SpanKind.CONSUMER;
      default -> throw corrupt("span kind", code);
    };
  }

  static int status(StatusCode status) {
    return switch (status) {
      case UNSET -> 0;
      case OK -> 1;
      case ERROR -> 2;
    };
  }

  static StatusCode status(int code) {
    return switch (code) {
      case 0 -> StatusCode.UNSET;
      case 1 -> StatusCode.OK;
      case 2 -> StatusCode.ERROR;
      default -> throw corrupt("status code", code);
    };
  }

  static StorageException corrupt(String what, int code) {
    return new StorageException(
        StorageException.Code.INTERNAL, "unknown " + what + " " + code + " in ClickHouse");
  }
}
