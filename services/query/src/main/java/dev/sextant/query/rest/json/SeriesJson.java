package dev.sextant.query.rest.json;

import java.util.Map;

/** A metric series; {@code id} is the unsigned decimal form of its 64-bit id. */
public record SeriesJson(
    String id,
    String name,
    Map<String, String> labels,
    String type,
    String temporality,
    String unit,
    String description) {}
