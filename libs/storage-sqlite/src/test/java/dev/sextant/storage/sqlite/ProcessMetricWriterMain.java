package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.storage.testkit.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate process for {@link MultiProcessTest}: writes {@code batches} batches of 100 points to
 * the counter {@code process_<index>_total}, each acknowledged before the next. Then it closes and
 * exits 0, or with {@code hang} prints {@code written} and waits to be killed.
 */
public final class ProcessMetricWriterMain {
  private ProcessMetricWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    int index = Integer.parseInt(args[1]);
    int batches = Integer.parseInt(args[2]);
    boolean hang = args.length > 3 && args[3].equals("hang");
    SqliteStorage storage =
        SqliteStorage.builder()
            .dataDir(dataDir)
            .metricFlushInterval(Duration.ofMillis(200))
            .build();
    storage.start();
    for (int batch = 0; batch < batches; batch++) {
      List<MetricWrite> writes = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        long n = batch * 100L + i;
        writes.add(
            new MetricWrite(
                MultiProcessTest.counter(index), new NumberPoint(Fixtures.T0, Fixtures.T0 + n, n)));
      }
      storage.metrics().write(writes).await().atMost(Duration.ofSeconds(30));
    }
    if (hang) {
      System.out.println("written");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
    storage.close();
  }
}
