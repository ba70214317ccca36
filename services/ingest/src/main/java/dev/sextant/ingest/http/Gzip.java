package dev.sextant.ingest.http;

import dev.sextant.service.errors.RejectedRequestException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/**
 * gzip decompression bounded on the decompressed size: a gzip bomb is refused with 413 as soon as
 * its output passes the limit, never inflated into memory.
 */
final class Gzip {
  private static final int CHUNK = 16 * 1024;

  private Gzip() {}

  static byte[] inflate(byte[] compressed, int maxBytes) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), CHUNK)) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream((int) Math.min(maxBytes, compressed.length * 4L + CHUNK));
      byte[] chunk = new byte[CHUNK];
      long total = 0;
      int read;
      while ((read = in.read(chunk)) != -1) {
        total += read;
        if (total > maxBytes) {
          throw HttpRejection.tooLarge(maxBytes);
        }
        out.write(chunk, 0, read);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw RejectedRequestException.badInput("malformed gzip body: " + e.getMessage());
    }
  }
}
