package dev.sextant.ingest;

import dev.sextant.service.errors.Failures;
import java.util.Locale;

/** The {@code outcome} tag of {@code sextant_ingest_requests_total}. */
public final class RequestOutcomes {
  private RequestOutcomes() {}

  public static String of(ExportResult result) {
    return result.partial() ? "partial" : "ok";
  }

  public static String of(Throwable failure) {
    return of(Failures.kindOf(failure));
  }

  public static String of(Failures.Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }
}
