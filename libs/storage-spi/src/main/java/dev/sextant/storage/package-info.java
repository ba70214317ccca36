/**
 * The storage SPI: what a backend implements so the services can write and read telemetry. Plain
 * Java plus Mutiny; no Quarkus, no CDI. Services wrap a {@link
 * dev.sextant.storage.StorageComponent} in decorators (metrics, throttling) at their edge.
 *
 * <p>Rules every backend follows, checked by the shared conformance suite in {@code
 * sextant-storage-testkit}:
 *
 * <ul>
 *   <li>A write's {@code Uni} completes only once the data is committed: kept across a restart of a
 *       persistent backend, and readable by every reader — for metric points within {@link
 *       dev.sextant.storage.Capabilities#metricVisibilityLagMillis()}, or at once after {@code
 *       MetricStore.flush()}.
 *   <li>Every read is scoped to one tenant and never returns another tenant's rows.
 *   <li>Writing the same span (tenant, trace id, span id) or the same sample (series, time) twice
 *       stores it once, so a client retry after a lost acknowledgement duplicates nothing.
 *   <li>Failures are {@link dev.sextant.storage.StorageException}s whose code tells overload and
 *       unavailability (retryable) from bad input and bugs.
 *   <li>Constructing a backend does no I/O; {@link dev.sextant.storage.StorageComponent#start()}
 *       does, and {@link dev.sextant.storage.StorageComponent#check()} reports health instead of
 *       throwing.
 * </ul>
 */
package dev.sextant.storage;
