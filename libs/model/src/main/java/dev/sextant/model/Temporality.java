package dev.sextant.model;

/** Whether a sum or histogram point covers the time since a fixed start or since the last point. */
public enum Temporality {
  /** Gauges and summaries have none. */
  NONE,
  CUMULATIVE,
  DELTA
}
