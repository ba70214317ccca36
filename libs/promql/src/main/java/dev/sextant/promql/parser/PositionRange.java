package dev.sextant.promql.parser;

/** Where a node is in the query: 0-based character offsets, end exclusive. */
public record PositionRange(int start, int end) {}
