package dev.sextant.ingest.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.sextant.service.errors.RejectedRequestException;

/**
 * An OTLP/HTTP body into its request message: gunzipped (bounded) if need be, then read as protobuf
 * or OTLP JSON. Runs on a worker thread: decoding megabytes is no work for an event loop.
 */
final class BodyDecoder {
  private BodyDecoder() {}

  @SuppressWarnings("unchecked")
  static <Q extends Message> Q decode(
      Q prototype, OtlpContentType type, boolean gzip, byte[] body, int maxBytes) {
    byte[] bytes = gzip ? Gzip.inflate(body, maxBytes) : body;
    return switch (type) {
      case PROTOBUF -> {
        try {
          // proto3 parsing checks string fields: invalid UTF-8 fails here, as malformed input.
          yield (Q) prototype.getParserForType().parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
          throw RejectedRequestException.badInput("malformed protobuf: " + e.getMessage());
        }
      }
      case JSON -> (Q) OtlpJson.parse(bytes, prototype.newBuilderForType()).build();
    };
  }
}
