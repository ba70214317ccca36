package dev.sextant.promql.functions;

/** How a function is evaluated: over the windows of a range vector, or on whole values. */
public sealed interface FunctionImpl permits RangeFunction, InstantFunction {}
