package dev.sextant.ingest.pipeline;

/** A snapshot of the metric stream, for health and metrics. */
public record LinkStatus(
    LinkState state, long credits, int pendingAcks, int queued, String lastError) {}
