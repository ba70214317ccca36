package dev.sextant.ingest.http;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import dev.sextant.service.errors.Failures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes OTLP/HTTP answers in the request's encoding: the Export*ServiceResponse on success, a
 * {@code google.rpc.Status} on failure, with {@code Retry-After} on 429 and 503.
 */
final class HttpAnswers {
  private HttpAnswers() {}

  static void success(RoutingContext rc, OtlpContentType type, Message response) {
    write(rc, type, 200, response);
  }

  static void failure(RoutingContext rc, OtlpContentType type, Throwable failure) {
    if (failure instanceof HttpRejection rejection) {
      error(rc, type, rejection.status(), rejection.grpcCode(), rejection.getMessage());
      return;
    }
    Failures.Kind kind = Failures.kindOf(failure);
    Code code =
        switch (kind) {
          case BAD_INPUT -> Code.INVALID_ARGUMENT;
          case OVERLOADED -> Code.RESOURCE_EXHAUSTED;
          case UNAVAILABLE -> Code.UNAVAILABLE;
          case INTERNAL -> Code.INTERNAL;
        };
    if (Failures.retryable(kind)) {
      rc.response().putHeader("Retry-After", Integer.toString(Failures.RETRY_AFTER_SECONDS));
    }
    String message =
        kind == Failures.Kind.INTERNAL ? "internal error" : Failures.messageOf(failure);
    error(rc, type, Failures.httpStatus(kind), code, message);
  }

  static void error(
      RoutingContext rc, OtlpContentType type, int status, Code code, String message) {
    write(
        rc,
        type,
        status,
        com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message).build());
  }

  private static void write(RoutingContext rc, OtlpContentType type, int status, Message body) {
    HttpServerResponse response = rc.response();
    if (response.ended() || response.closed()) {
      return; // the client went away; the outcome is counted already
    }
    Buffer bytes =
        switch (type) {
          case PROTOBUF -> Buffer.buffer(body.toByteArray());
          case JSON -> Buffer.buffer(OtlpJson.print(body));
        };
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, type.mediaType()).end(bytes);
  }
}
