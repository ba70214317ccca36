package dev.sextant.storage.sqlite;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs the per-series payloads of one block (chunks, rollups) into rows of about {@link
 * #TARGET_BYTES}: one row per series would make a flush of 100,000 series 100,000 inserts, and rows
 * this size stay within one SQLite page. A row is keyed by its first series id; a series is found
 * in the row with the greatest first id not above it. A payload larger than the target gets a row
 * of its own.
 *
 * <p>Row format: count n (varint), the first series id (8 bytes), n-1 increasing id gaps (unsigned
 * varints), n payload lengths (varints), the payloads.
 */
final class SeriesPages {
  static final int TARGET_BYTES = 900;

  private SeriesPages() {}

  /** One row: its key and its bytes. */
  record Page(long firstSeriesId, byte[] data) {}

  /** A payload inside a row. */
  record Slice(byte[] data, int offset, int length) {}

  /** Collects payloads in increasing series order and cuts them into pages. */
  static final class Writer {
    private final List<Page> pages = new ArrayList<>();
    private final List<Long> ids = new ArrayList<>();
    private final List<byte[]> payloads = new ArrayList<>();
    private int bytes;
    private long lastId;

    void add(long seriesId, byte[] payload) {
      if (!ids.isEmpty() && seriesId <= lastId) {
        throw new IllegalArgumentException("series must come in increasing id order");
      }
      if (!ids.isEmpty() && bytes + payload.length + 12 > TARGET_BYTES) {
        cut();
      }
      ids.add(seriesId);
      payloads.add(payload);
      bytes += payload.length + 12;
      lastId = seriesId;
    }

    /** The pages written so far, the last one completed; the writer starts over. */
    List<Page> finish() {
      if (!ids.isEmpty()) {
        cut();
      }
      List<Page> done = List.copyOf(pages);
      pages.clear();
      return done;
    }

    /** Whether a page is complete: callers insert them as they go. */
    boolean hasPages() {
      return !pages.isEmpty();
    }

    List<Page> takePages() {
      List<Page> done = List.copyOf(pages);
      pages.clear();
      return done;
    }

    private void cut() {
      ByteOutput out = new ByteOutput(bytes + 16);
      out.writeVarLong(ids.size());
      out.writeLong(ids.getFirst());
      for (int i = 1; i < ids.size(); i++) {
        out.writeVarLong(ids.get(i) - ids.get(i - 1));
      }
      for (byte[] payload : payloads) {
        out.writeVarLong(payload.length);
      }
      for (byte[] payload : payloads) {
        out.writeBytes(payload, 0, payload.length);
      }
      pages.add(new Page(ids.getFirst(), out.toBytes()));
      ids.clear();
      payloads.clear();
      bytes = 0;
    }
  }

  /** What a row holds: ids and where each payload is. */
  record Entries(long[] ids, int[] offsets, int[] lengths, byte[] data) {
    Slice slice(int index) {
      return new Slice(data, offsets[index], lengths[index]);
    }

    /** The payload of a series, or null when the row does not hold it. */
    Slice find(long seriesId) {
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] == seriesId) {
          return slice(i);
        }
      }
      return null;
    }
  }

  static Entries read(byte[] page) {
    ByteInput in = new ByteInput(page);
    int n = in.readVarInt();
    long[] ids = new long[n];
    int[] lengths = new int[n];
    int[] offsets = new int[n];
    ids[0] = in.readLong();
    for (int i = 1; i < n; i++) {
      ids[i] = ids[i - 1] + in.readVarLong();
    }
    for (int i = 0; i < n; i++) {
      lengths[i] = in.readVarInt();
    }
    int offset = in.position();
    for (int i = 0; i < n; i++) {
      offsets[i] = offset;
      offset += lengths[i];
    }
    if (offset > page.length) {
      throw new IllegalStateException("page payloads run past its end");
    }
    return new Entries(ids, offsets, lengths, page);
  }
}
