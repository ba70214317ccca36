package dev.sextant.storage.sqlite;

import dev.sextant.model.Span;
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.SpanBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate process for {@link MultiProcessTest}: opens the storage in the given directory and
 * writes {@code batches} batches of 50 spans to the trace numbered by its index, then exits 0.
 */
public final class ProcessWriterMain {
  private ProcessWriterMain() {}

  public static void main(String[] args) {
    Path dataDir = Path.of(args[0]);
    int index = Integer.parseInt(args[1]);
    int batches = Integer.parseInt(args[2]);
    try (SqliteStorage storage = SqliteStorage.builder().dataDir(dataDir).build()) {
      storage.start();
      for (int batch = 0; batch < batches; batch++) {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          int n = batch * 50 + i + 1;
          spans.add(
              SpanBuilder.span(Fixtures.traceId(index), Fixtures.spanId(n))
                  .start(Fixtures.T0 + n)
                  .build());
        }
        storage.spans().write(spans).await().atMost(Duration.ofSeconds(30));
      }
    }
  }
}
