package dev.sextant.ingest.otlp;

import java.util.Map;

/** An attribute map in the model, and how many attributes the limits dropped from it. */
record ConvertedAttributes(Map<String, Object> values, int dropped) {}
