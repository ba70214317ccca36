package dev.sextant.bench;

import java.time.Duration;
import java.util.Locale;

/** The load generator's command line. */
record BenchOptions(
    Signal signal,
    String target,
    long rate,
    Duration duration,
    long total,
    int batch,
    int concurrency,
    int attributes,
    int spansPerTrace,
    int series,
    int metrics,
    String queryUrl,
    int lookups,
    String apiKey) {

  /** What to send. */
  enum Signal {
    TRACES,
    LOGS,
    METRICS
  }

  static final String USAGE =
      """
      usage: sextant bench traces|logs|metrics [options]
        --target HOST:PORT     OTLP gRPC endpoint (default 127.0.0.1:4317)
        --rate N               records per second to offer; 0 = as fast as acks allow (default 30000)
        --duration SECONDS     how long to send (default 60)
        --total N              stop after N records instead (default: none)
        --batch N              records per export request (default 500)
        --concurrency N        export requests in flight at most (default 8)
        --attributes N         attributes per span / log record / point (default 12)
        --spans-per-trace N    spans per trace (default 10)
        --series N             metrics: active series, each a counter growing steadily (default 1000)
        --metrics N            metrics: metric names the series are spread over (default 10)
        --query URL            query service, e.g. http://127.0.0.1:9090, for trace lookups
        --lookups N            trace-by-id lookups after the load (traces only; default 0)
        --api-key KEY          sent as Authorization: Bearer KEY
      A record counts as done only when ingest acknowledged it, which it does after commit.""";

  static BenchOptions parse(String[] args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("missing signal");
    }
    Signal signal = Signal.valueOf(args[0].toUpperCase(Locale.ROOT));
    String target = "127.0.0.1:4317";
    long rate = 30_000;
    Duration duration = Duration.ofSeconds(60);
    long total = Long.MAX_VALUE;
    int batch = 500;
    int concurrency = 8;
    int attributes = 12;
    int spansPerTrace = 10;
    int series = 1000;
    int metrics = 10;
    String queryUrl = null;
    int lookups = 0;
    String apiKey = null;
    for (int i = 1; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " needs a value");
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--target" -> target = value;
        case "--rate" -> rate = Long.parseLong(value);
        case "--duration" -> duration = Duration.ofSeconds(Long.parseLong(value));
        case "--total" -> total = Long.parseLong(value);
        case "--batch" -> batch = Integer.parseInt(value);
        case "--concurrency" -> concurrency = Integer.parseInt(value);
        case "--attributes" -> attributes = Integer.parseInt(value);
        case "--spans-per-trace" -> spansPerTrace = Integer.parseInt(value);
        case "--series" -> series = Integer.parseInt(value);
        case "--metrics" -> metrics = Integer.parseInt(value);
        case "--query" -> queryUrl = value;
        case "--lookups" -> lookups = Integer.parseInt(value);
        case "--api-key" -> apiKey = value;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (batch < 1
        || concurrency < 1
        || rate < 0
        || spansPerTrace < 1
        || series < 1
        || metrics < 1) {
      throw new IllegalArgumentException(
          "batch, concurrency, spans-per-trace, series and metrics must be >= 1, rate >= 0");
    }
    return new BenchOptions(
        signal,
        target,
        rate,
        duration,
        total,
        batch,
        concurrency,
        attributes,
        spansPerTrace,
        series,
        metrics,
        queryUrl,
        lookups,
        apiKey);
  }
}
