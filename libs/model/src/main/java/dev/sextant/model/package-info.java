/**
 * Sextant's telemetry model: what every service, backend and API agrees a span, a log record, a
 * metric series and a sample are. Plain Java, no framework: backends and services adapt at their
 * edges.
 *
 * <p>Conventions: times are Unix epoch nanoseconds ({@code long}); trace ids are 32 and span ids 16
 * lowercase hex characters; attribute values are {@link java.lang.String}, {@link
 * java.lang.Boolean}, {@link java.lang.Long}, {@link java.lang.Double}, {@link java.util.List} or
 * {@link java.util.Map} of those (see {@link dev.sextant.model.Attributes}).
 */
package dev.sextant.model;
