package dev.sextant.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.StorageException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Writes that arrive while inserts of their table are in flight go together in the next insert;
 * each completes or fails with the insert that carried it. The sink here stands for ClickHouse and
 * is completed by hand.
 */
class InsertBatcherTest {
  private static final List<String> COLUMNS = List.of("x");

  /** An insert the sink received: its table, its bytes, and how to finish it. */
  private record Insert(String table, byte[] rows, UniEmitter<? super Void> done) {}

  private final List<Insert> inserts = new ArrayList<>();
  private final InsertBatcher batcher =
      new InsertBatcher(
          (context, table, columns, rows) ->
              Uni.createFrom().emitter(done -> inserts.add(new Insert(table, read(rows), done))),
          5);

  private static byte[] read(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RowBinaryOutput row(int value) {
    RowBinaryOutput out = new RowBinaryOutput(1);
    out.uint8(value);
    return out;
  }

  private UniAssertSubscriber<Void> write(String table, int value) {
    return batcher
        .insert("write", table, COLUMNS, row(value))
        .subscribe()
        .withSubscriber(UniAssertSubscriber.create());
  }

  @Test
  void writesArrivingDuringInsertsGoTogetherInTheNextInsert() {
    UniAssertSubscriber<Void> first = write("spans", 1);
    UniAssertSubscriber<Void> second = write("spans", 2);
    List<UniAssertSubscriber<Void>> waiting = new ArrayList<>();
    for (int v = 3; v <= 6; v++) {
      waiting.add(write("spans", v));
    }

    // Two inserts in flight, each of one write; the other four wait.
    assertThat(inserts).extracting(i -> i.rows()[0]).containsExactly((byte) 1, (byte) 2);
    first.assertNotTerminated();
    waiting.forEach(UniAssertSubscriber::assertNotTerminated);

    inserts.get(0).done().complete(null);
    first.assertCompleted();
    second.assertNotTerminated();
    // The four waiting writes are one insert, their rows one after another.
    assertThat(inserts).hasSize(3);
    assertThat(inserts.get(2).rows()).containsExactly(3, 4, 5, 6);
    waiting.forEach(UniAssertSubscriber::assertNotTerminated);

    inserts.get(2).done().complete(null);
    waiting.forEach(UniAssertSubscriber::assertCompleted);
    second.assertNotTerminated();
    inserts.get(1).done().complete(null);
    second.assertCompleted();
    assertThat(inserts).hasSize(3);
  }

  @Test
  void aFailedInsertFailsEveryWriteItCarriedAndLaterWritesStillGo() {
    write("logs", 1);
    write("logs", 2);
    UniAssertSubscriber<Void> a = write("logs", 3);
    UniAssertSubscriber<Void> b = write("logs", 4);
    inserts.get(0).done().complete(null);

    StorageException down =
        new StorageException(StorageException.Code.UNAVAILABLE, "ClickHouse is down");
    inserts.get(2).done().fail(down);
    a.assertFailedWith(StorageException.class, "ClickHouse is down");
    b.assertFailedWith(StorageException.class, "ClickHouse is down");

    UniAssertSubscriber<Void> later = write("logs", 5);
    assertThat(inserts).hasSize(4);
    inserts.get(3).done().complete(null);
    later.assertCompleted();
  }

  @Test
  void tablesAreBatchedApart() {
    write("spans", 1);
    write("spans", 2);
    write("logs", 3);
    write("spans", 4);
    write("logs", 5);

    assertThat(inserts).extracting(Insert::table).containsExactly("spans", "spans", "logs", "logs");
    inserts.get(0).done().complete(null);
    assertThat(inserts.get(4).table()).isEqualTo("spans");
    assertThat(inserts.get(4).rows()).containsExactly(4);
  }

  @Test
  void moreWritesWaitingThanAllowedAreRefusedAsOverloaded() {
    write("spans", 1);
    write("spans", 2);
    for (int v = 3; v <= 7; v++) {
      write("spans", v).assertNotTerminated();
    }
    write("spans", 8)
        .assertFailedWith(StorageException.class, "too many writes waiting")
        .assertFailed();
    assertThat(((StorageException) write("spans", 9).assertFailed().getFailure()).code())
        .isEqualTo(StorageException.Code.OVERLOADED);
  }

  @Test
  void anInsertCarriesAtMostTheByteBudget() {
    write("spans", 1);
    write("spans", 2);
    RowBinaryOutput big = new RowBinaryOutput(InsertBatcher.MAX_BATCH_BYTES);
    for (int i = 0; i < InsertBatcher.MAX_BATCH_BYTES; i++) {
      big.uint8(7);
    }
    batcher
        .insert("write", "spans", COLUMNS, big)
        .subscribe()
        .withSubscriber(UniAssertSubscriber.create());
    write("spans", 3);
    write("spans", 4);

    inserts.get(0).done().complete(null);
    // The large write alone (it fills the budget) ...
    assertThat(inserts.get(2).rows()).hasSize(InsertBatcher.MAX_BATCH_BYTES);
    inserts.get(1).done().complete(null);
    // ... and the two small ones after it together.
    assertThat(inserts.get(3).rows()).containsExactly(3, 4);
  }
}
