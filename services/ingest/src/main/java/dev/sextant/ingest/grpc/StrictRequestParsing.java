package dev.sextant.ingest.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.sextant.ingest.admission.IngestAdmission;
import dev.sextant.ingest.admission.Permit;
import dev.sextant.service.errors.Failures;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;

/**
 * Rebinds a service so that a request that cannot be parsed (malformed protobuf, invalid UTF-8 in a
 * proto3 string) is answered INVALID_ARGUMENT with the parser's reason. grpc-java answers such a
 * request {@code UNKNOWN: Application error processing RPC}, which tells an OTLP client nothing.
 *
 * <p>Each method gets a request marshaller that only reads the bytes ({@link ReceivedRequest}); the
 * request is parsed here with the method's own marshaller before any handler runs, and a message
 * that grew past the size limit while inflating is refused with grpc-java's RESOURCE_EXHAUSTED. The
 * request's bytes are admitted ({@link IngestAdmission#admitBytes}) before it is parsed, because a
 * parsed request takes several times its encoded size, and released when the call ends. The rebuilt
 * service descriptor keeps the name and schema descriptor (reflection reads them), as grpc-java's
 * {@code ServerInterceptors.useMarshalledMessages} does.
 */
final class StrictRequestParsing {
  private StrictRequestParsing() {}

  static ServerServiceDefinition wrap(ServerServiceDefinition service, IngestAdmission admission) {
    ServiceDescriptor original = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(original.getName())
            .setSchemaDescriptor(original.getSchemaDescriptor());
    var methods = service.getMethods().stream().map(m -> wrap(m, admission)).toList();
    methods.forEach(method -> descriptor.addMethod(method.getMethodDescriptor()));
    ServerServiceDefinition.Builder wrapped = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(wrapped::addMethod);
    return wrapped.build();
  }

  private static <Q, R> ServerMethodDefinition<ReceivedRequest, R> wrap(
      ServerMethodDefinition<Q, R> method, IngestAdmission admission) {
    MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
    ServerCallHandler<Q, R> handler = method.getServerCallHandler();
    return ServerMethodDefinition.create(
        descriptor.toBuilder(ReceivedRequest.MARSHALLER, descriptor.getResponseMarshaller())
            .build(),
        (call, headers) ->
            new ParsingListener<>(
                call,
                descriptor,
                admission,
                handler.startCall(new TypedCall<>(call, descriptor), headers)));
  }

  /** Parses each request before the handler's listener sees it; refuses what does not parse. */
  private static final class ParsingListener<Q> extends ServerCall.Listener<ReceivedRequest> {
    private final ServerCall<ReceivedRequest, ?> call;
    private final MethodDescriptor<Q, ?> method;
    private final IngestAdmission admission;
    private final ServerCall.Listener<Q> delegate;
    private boolean refused;
    private Permit parsing;

    ParsingListener(
        ServerCall<ReceivedRequest, ?> call,
        MethodDescriptor<Q, ?> method,
        IngestAdmission admission,
        ServerCall.Listener<Q> delegate) {
      this.call = call;
      this.method = method;
      this.admission = admission;
      this.delegate = delegate;
    }

    @Override
    public void onMessage(ReceivedRequest received) {
      if (refused) {
        return;
      }
      if (received.failure() != null) {
        // Typically RESOURCE_EXHAUSTED: the message grew past the limit while inflating.
        refuse(received.failure().getStatus());
        return;
      }
      try {
        parsing = admission.admitBytes(received.bytes().length);
      } catch (RuntimeException overloaded) {
        StatusRuntimeException answer = Failures.grpc(overloaded);
        refused = true;
        call.close(answer.getStatus(), answer.getTrailers());
        return;
      }
      Q request;
      try {
        request = parse(received.bytes());
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        refuse(Status.INVALID_ARGUMENT.withDescription("malformed request: " + reason(e)));
        return;
      }
      delegate.onMessage(request);
    }

    /**
     * Parses from the array when the method's messages are protobuf (faster than the marshaller's
     * stream decoder, which copies as it reads); through the marshaller otherwise.
     */
    @SuppressWarnings("unchecked")
    private Q parse(byte[] bytes) throws InvalidProtocolBufferException {
      if (method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<Q> proto
          && proto.getMessagePrototype() instanceof MessageLite prototype) {
        return (Q) prototype.getParserForType().parseFrom(bytes);
      }
      return method.parseRequest(new ByteArrayInputStream(bytes));
    }

    private void refuse(Status status) {
      refused = true;
      release();
      call.close(status, new Metadata());
    }

    private void release() {
      if (parsing != null) {
        parsing.release();
      }
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        delegate.onHalfClose();
      }
    }

    @Override
    public void onReady() {
      if (!refused) {
        delegate.onReady();
      }
    }

    @Override
    public void onCancel() {
      release();
      delegate.onCancel();
    }

    @Override
    public void onComplete() {
      release();
      delegate.onComplete();
    }

    /** The parser's own words ("Protocol message had invalid UTF-8."), not grpc's wrapper. */
    private static String reason(Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return String.valueOf(cause.getMessage());
    }
  }

  /** The call as the original handler expects it: typed requests, the original descriptor. */
  private static final class TypedCall<Q, R> extends ServerCall<Q, R> {
    private final ServerCall<ReceivedRequest, R> delegate;
    private final MethodDescriptor<Q, R> method;

    TypedCall(ServerCall<ReceivedRequest, R> delegate, MethodDescriptor<Q, R> method) {
      this.delegate = delegate;
      this.method = method;
    }

    @Override
    public void request(int numMessages) {
      delegate.request(numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {
      delegate.sendHeaders(headers);
    }

    @Override
    public void sendMessage(R message) {
      delegate.sendMessage(message);
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void close(Status status, Metadata trailers) {
      delegate.close(status, trailers);
    }

    @Override
    public boolean isCancelled() {
      return delegate.isCancelled();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      delegate.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      delegate.setCompression(compressor);
    }

    @Override
    public void setOnReadyThreshold(int numBytes) {
      delegate.setOnReadyThreshold(numBytes);
    }

    @Override
    public SecurityLevel getSecurityLevel() {
      return delegate.getSecurityLevel();
    }

    @Override
    public Attributes getAttributes() {
      return delegate.getAttributes();
    }

    @Override
    public String getAuthority() {
      return delegate.getAuthority();
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
      return method;
    }
  }
}
