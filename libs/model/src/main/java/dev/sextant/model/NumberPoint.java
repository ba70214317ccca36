package dev.sextant.model;

/** A point of a counter, up-down counter or gauge. */
public record NumberPoint(long startTimeUnixNanos, long timeUnixNanos, double value)
    implements MetricPoint {}
