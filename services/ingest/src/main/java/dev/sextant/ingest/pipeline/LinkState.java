package dev.sextant.ingest.pipeline;

/** The state of the metric stream to the aggregator. */
public enum LinkState {
  /** No stream; a reconnection is scheduled. Metric exports are answered UNAVAILABLE. */
  DOWN,
  /** A stream was opened and the aggregator has not answered yet. */
  CONNECTING,
  /** The aggregator answered on the stream (granted credits): batches flow. */
  READY
}
