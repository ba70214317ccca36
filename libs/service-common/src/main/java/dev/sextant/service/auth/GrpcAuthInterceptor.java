package dev.sextant.service.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Authenticates every gRPC call from its {@code authorization} metadata and puts the principal in
 * the gRPC {@link Context} for {@link Principals#current()}.
 */
@GlobalInterceptor
@ApplicationScoped
public class GrpcAuthInterceptor implements ServerInterceptor {
  static final Context.Key<Principal> PRINCIPAL = Context.key("sextant.principal");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @Inject Authenticator authenticator;

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    // Health and reflection services stay open, like /q/* on HTTP.
    String service = call.getMethodDescriptor().getServiceName();
    if (service != null && service.startsWith("grpc.")) {
      return next.startCall(call, headers);
    }
    return switch (authenticator.authenticate(headers.get(AUTHORIZATION))) {
      case Authenticator.Allowed allowed ->
          Contexts.interceptCall(
              Context.current().withValue(PRINCIPAL, allowed.principal()), call, headers, next);
      case Authenticator.Unauthenticated denied ->
          close(call, Status.UNAUTHENTICATED, denied.reason());
      case Authenticator.Forbidden denied -> close(call, Status.PERMISSION_DENIED, denied.reason());
    };
  }

  private static <Q, R> ServerCall.Listener<Q> close(
      ServerCall<Q, R> call, Status status, String reason) {
    call.close(status.withDescription(reason), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
