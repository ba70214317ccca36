package dev.sextant.ingest.grpc;

import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A request as received: its bytes, or why they could not be read. grpc-java inflates a compressed
 * message while the marshaller reads it and enforces the size limit there, so reading can fail; a
 * marshaller that throws makes grpc-java answer UNKNOWN, hence the failure is carried instead.
 */
record ReceivedRequest(byte[] bytes, StatusRuntimeException failure) {

  /** Reads the whole message; never throws. */
  static final MethodDescriptor.Marshaller<ReceivedRequest> MARSHALLER =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(ReceivedRequest value) {
          throw new UnsupportedOperationException("requests are only received");
        }

        @Override
        public ReceivedRequest parse(InputStream stream) {
          try {
            return new ReceivedRequest(readAll(stream), null);
          } catch (StatusRuntimeException e) {
            return new ReceivedRequest(null, e);
          } catch (IOException | RuntimeException e) {
            return new ReceivedRequest(
                null,
                Status.INVALID_ARGUMENT
                    .withDescription("unreadable request: " + e.getMessage())
                    .asRuntimeException());
          }
        }
      };

  /**
   * The message's bytes; read into one array of the exact size when the stream knows its length (an
   * uncompressed message), where {@code readAllBytes} would gather chunks and copy them again.
   */
  private static byte[] readAll(InputStream stream) throws IOException {
    if (!(stream instanceof KnownLength)) {
      return stream.readAllBytes();
    }
    byte[] bytes = new byte[stream.available()];
    int read = stream.readNBytes(bytes, 0, bytes.length);
    byte[] rest = stream.readAllBytes();
    if (read == bytes.length && rest.length == 0) {
      return bytes;
    }
    byte[] all = Arrays.copyOf(bytes, read + rest.length);
    System.arraycopy(rest, 0, all, read, rest.length);
    return all;
  }
}
