package dev.sextant.ingest;

import dev.sextant.service.errors.Failures;
import java.util.Locale;
import org.jboss.logging.Logger;

/** The {@code outcome} tag of {@code sextant_ingest_requests_total}. */
public final class RequestOutcomes {
  private static final Logger LOG = Logger.getLogger(RequestOutcomes.class);

  private RequestOutcomes() {}

  /**
   * The outcome of a failed request; a bug (INTERNAL) is logged with its stack trace here, since
   * the client is only told "internal error".
   */
  public static String failed(Signal signal, Throwable failure) {
    Failures.Kind kind = Failures.kindOf(failure);
    if (kind == Failures.Kind.INTERNAL) {
      LOG.errorf(failure, "%s export failed", signal.tag());
    }
    return of(kind);
  }

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
