package dev.sextant.query.rest;

import dev.sextant.query.core.Outcome;
import dev.sextant.query.rest.json.Envelopes;
import dev.sextant.service.errors.Failures;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of a REST read into a Prometheus-shaped error body: 400 bad_data, 403
 * forbidden, 404 not_found, 429/503 unavailable with {@code Retry-After}, 500 internal.
 */
public class RestErrorMapper {

  @ServerExceptionMapper
  public Response map(Throwable failure) {
    if (failure instanceof WebApplicationException web) {
      // The framework's own answers (unknown path, wrong method), in the same shape.
      int status = web.getResponse().getStatus();
      return json(status, status == 404 ? "not_found" : "bad_data", web.getMessage());
    }
    Outcome outcome = Outcome.of(failure);
    Response response =
        switch (outcome) {
          case BAD_INPUT -> json(400, "bad_data", outcome.clientMessage(failure));
          case EXECUTION -> json(422, "execution", outcome.clientMessage(failure));
          case TIMEOUT -> json(503, "timeout", outcome.clientMessage(failure));
          case CANCELED -> json(499, "canceled", outcome.clientMessage(failure));
          case NOT_FOUND -> json(404, "not_found", outcome.clientMessage(failure));
          case PERMISSION_DENIED -> json(403, "forbidden", outcome.clientMessage(failure));
          case OVERLOADED -> retryLater(429, outcome, failure);
          case UNAVAILABLE -> retryLater(503, outcome, failure);
          case INTERNAL, OK -> json(500, "internal", outcome.clientMessage(failure));
        };
    return response;
  }

  private static Response retryLater(int status, Outcome outcome, Throwable failure) {
    return Response.fromResponse(json(status, "unavailable", outcome.clientMessage(failure)))
        .header("Retry-After", Failures.RETRY_AFTER_SECONDS)
        .build();
  }

  private static Response json(int status, String type, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new Envelopes.Error(type, message))
        .build();
  }
}
