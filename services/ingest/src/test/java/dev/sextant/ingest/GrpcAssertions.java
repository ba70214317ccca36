package dev.sextant.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** Assertions on gRPC failures. */
public final class GrpcAssertions {
  private GrpcAssertions() {}

  /** A retryable failure: the code, and the RetryInfo OTLP clients need before retrying. */
  public static void assertRetryable(StatusRuntimeException e, Status.Code code) {
    assertThat(e.getStatus().getCode()).isEqualTo(code);
    assertThat(StatusProto.fromThrowable(e).getDetailsList())
        .anySatisfy(d -> assertThat(d.is(RetryInfo.class)).isTrue());
  }
}
