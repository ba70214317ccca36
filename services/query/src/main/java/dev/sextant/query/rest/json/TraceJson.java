package dev.sextant.query.rest.json;

import java.util.List;

/** A trace: its top-level spans (roots and orphans), each with its children. */
public record TraceJson(String traceId, int spanCount, List<SpanJson> spans) {}
