package dev.sextant.ingest;

/** How a request arrived. */
public enum Transport {
  GRPC("grpc"),
  HTTP("http"),
  /** Prometheus remote write (HTTP, snappy protobuf). */
  REMOTE_WRITE("remote_write"),
  /** Mastra's platform exporter: {@code POST /ai/<signal>/publish}, JSON. */
  MASTRA("mastra");

  private final String tag;

  Transport(String tag) {
    this.tag = tag;
  }

  /** The value of the {@code transport} tag on ingest metrics. */
  public String tag() {
    return tag;
  }
}
