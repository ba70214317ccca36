package dev.sextant.model;

/** One point to store for one series: what the aggregator hands the metric store. */
public record MetricWrite(MetricSeries series, MetricPoint point) {}
