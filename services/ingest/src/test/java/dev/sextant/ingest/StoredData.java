package dev.sextant.ingest;

import dev.sextant.model.LogRecord;
import dev.sextant.model.Span;
import dev.sextant.model.Tenants;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.TimeRange;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Reads back what ingest stored, through the injected store. */
public final class StoredData {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private StoredData() {}

  public static List<Span> trace(StorageComponent storage, String traceIdHex) {
    return storage.spans().trace(Tenants.DEFAULT, traceIdHex).await().atMost(WAIT);
  }

  public static List<LogRecord> logsOf(StorageComponent storage, String serviceName) {
    return storage
        .logs()
        .search(
            new LogQuery(
                Tenants.DEFAULT, TimeRange.ALL, null, null, serviceName, Map.of(), null, 1000))
        .await()
        .atMost(WAIT);
  }
}
