package dev.sextant.ingest;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;

/** Sends arbitrary bytes as a unary gRPC request: malformed messages a real stub cannot build. */
public final class RawGrpc {
  private static final BytesMarshaller BYTES = new BytesMarshaller();

  private RawGrpc() {}

  /** Calls {@code service/Export} with the bytes; returns the response's bytes. */
  public static byte[] export(Channel channel, String service, byte[] request) {
    MethodDescriptor<byte[], byte[]> method =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "Export"))
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
    return ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT, request);
  }
}
