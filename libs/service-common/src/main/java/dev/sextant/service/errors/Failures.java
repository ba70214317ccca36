package dev.sextant.service.errors;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.sextant.storage.StorageException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * One place that turns failures into answers, so every surface tells overload and unavailability
 * (retryable, with a delay hint) from bad input and from bugs (DESIGN §2.2).
 */
public final class Failures {
  /** The delay suggested to clients when a request may be retried. */
  public static final int RETRY_AFTER_SECONDS = 1;

  private Failures() {}

  /** What kind of answer a failure deserves. */
  public enum Kind {
    BAD_INPUT,
    OVERLOADED,
    UNAVAILABLE,
    INTERNAL
  }

  public static Kind kindOf(Throwable failure) {
    if (failure instanceof StorageException e) {
      return switch (e.code()) {
        case INVALID_ARGUMENT -> Kind.BAD_INPUT;
        case OVERLOADED -> Kind.OVERLOADED;
        case UNAVAILABLE -> Kind.UNAVAILABLE;
        case INTERNAL -> Kind.INTERNAL;
      };
    }
    if (failure instanceof RejectedRequestException e) {
      return e.kind();
    }
    if (failure instanceof IllegalArgumentException) {
      return Kind.BAD_INPUT;
    }
    return Kind.INTERNAL;
  }

  public static boolean retryable(Kind kind) {
    return switch (kind) {
      case OVERLOADED, UNAVAILABLE -> true;
      case BAD_INPUT, INTERNAL -> false;
    };
  }

  /** The HTTP status for a failure: 400, 429, 503 or 500. */
  public static int httpStatus(Kind kind) {
    return switch (kind) {
      case BAD_INPUT -> 400;
      case OVERLOADED -> 429;
      case UNAVAILABLE -> 503;
      case INTERNAL -> 500;
    };
  }

  /**
   * The gRPC status for a failure; retryable ones carry a {@code RetryInfo} detail, which OTLP
   * clients need before they retry {@code RESOURCE_EXHAUSTED}.
   */
  public static StatusRuntimeException grpc(Throwable failure) {
    Kind kind = kindOf(failure);
    Code code =
        switch (kind) {
          case BAD_INPUT -> Code.INVALID_ARGUMENT;
          case OVERLOADED -> Code.RESOURCE_EXHAUSTED;
          case UNAVAILABLE -> Code.UNAVAILABLE;
          case INTERNAL -> Code.INTERNAL;
        };
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(messageOf(failure));
    if (retryable(kind)) {
      status.addDetails(
          Any.pack(
              RetryInfo.newBuilder()
                  .setRetryDelay(Duration.newBuilder().setSeconds(RETRY_AFTER_SECONDS))
                  .build()));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  public static String messageOf(Throwable failure) {
    String message = failure.getMessage();
    return message == null ? failure.getClass().getSimpleName() : message;
  }
}
