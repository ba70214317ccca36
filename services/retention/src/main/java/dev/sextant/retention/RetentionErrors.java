package dev.sextant.retention;

import dev.sextant.service.errors.Failures;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure of the REST API in the shape {@code {status, errorType, error}}: 400 bad_data, 403
 * forbidden, 404 not_found, 409 conflict, 429/503 unavailable with {@code Retry-After} (the store
 * is busy or down), 500 internal.
 */
public class RetentionErrors {

  @ServerExceptionMapper
  public Response map(Throwable failure) {
    if (failure instanceof ApiProblem problem) {
      return switch (problem.kind()) {
        case BAD_DATA -> json(400, "bad_data", problem.getMessage());
        case FORBIDDEN -> json(403, "forbidden", problem.getMessage());
        case NOT_FOUND -> json(404, "not_found", problem.getMessage());
        case CONFLICT -> json(409, "conflict", problem.getMessage());
      };
    }
    if (failure instanceof WebApplicationException web) {
      int status = web.getResponse().getStatus();
      return json(status, status == 404 ? "not_found" : "bad_data", web.getMessage());
    }
    Failures.Kind kind = Failures.kindOf(failure);
    Response response =
        json(
            Failures.httpStatus(kind),
            switch (kind) {
              case BAD_INPUT -> "bad_data";
              case OVERLOADED, UNAVAILABLE -> "unavailable";
              case INTERNAL -> "internal";
            },
            Failures.messageOf(failure));
    return Failures.retryable(kind)
        ? Response.fromResponse(response)
            .header("Retry-After", Failures.RETRY_AFTER_SECONDS)
            .build()
        : response;
  }

  private static Response json(int status, String type, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(RetentionJson.Error.of(type, message))
        .build();
  }
}
