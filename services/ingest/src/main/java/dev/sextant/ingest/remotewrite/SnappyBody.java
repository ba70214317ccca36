package dev.sextant.ingest.remotewrite;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sextant.protocol.prometheus.WriteRequest;
import dev.sextant.service.errors.RejectedRequestException;
import java.io.IOException;
import org.xerial.snappy.Snappy;

/**
 * A remote-write body into its request: snappy block format (not the framed stream format), then
 * protobuf. The decompressed size is read from the block's header and checked against the limit
 * before anything is inflated, so a small body cannot claim gigabytes. Runs on a worker thread.
 */
final class SnappyBody {
  private SnappyBody() {}

  static WriteRequest decode(byte[] body, int maxBytes) {
    byte[] raw;
    try {
      int length = Snappy.uncompressedLength(body);
      if (length < 0 || length > maxBytes) {
        throw new TooLarge(maxBytes);
      }
      raw = Snappy.uncompress(body);
    } catch (IOException e) {
      throw RejectedRequestException.badInput(
          "malformed snappy block (remote write bodies are snappy block-compressed): "
              + e.getMessage());
    }
    try {
      return WriteRequest.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw RejectedRequestException.badInput(
          "malformed protobuf (expected a prometheus.WriteRequest): " + e.getMessage());
    }
  }

  /** A body whose decompressed size is over the limit: 413, as for OTLP/HTTP. */
  static final class TooLarge extends RuntimeException {
    TooLarge(long maxBytes) {
      super(
          "request body is larger than " + maxBytes + " bytes (after snappy decompression too)",
          null,
          false,
          false);
    }
  }
}
