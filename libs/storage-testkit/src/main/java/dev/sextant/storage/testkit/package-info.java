/**
 * The storage conformance suite: abstract JUnit 5 test classes that state the contract of the
 * storage SPI with real data, written once and run against every backend.
 *
 * <p>A backend runs each suite through one nested subclass that says how to open its storage (and,
 * when opening twice does not reach the same place, how to reopen it):
 *
 * <pre>{@code
 * class MyStorageConformanceTest {
 *   @Nested
 *   class Spans extends SpanStoreConformance {
 *     @Override protected StorageComponent newStorage() { ... }
 *   }
 *   // Logs, Metrics, TenantIsolation, Lifecycle alike
 * }
 * }</pre>
 *
 * <p>Suites never skip a capability a backend lacks: where {@link dev.sextant.storage.Capabilities}
 * says a backend behaves differently (a non-persistent backend loses its data on restart), the
 * suite asserts the documented behaviour instead. Every time is a fixed offset from {@link
 * dev.sextant.storage.testkit.Fixtures#T0}: no clock, no sleeps.
 *
 * <p>{@link dev.sextant.storage.testkit.TestPostgres} starts a real, throwaway PostgreSQL for the
 * postgres backend's tests and for service tests that run on it; {@link
 * dev.sextant.storage.testkit.ChdbServer} a real ClickHouse for the clickhouse backend's and the
 * service tests that run on it.
 */
package dev.sextant.storage.testkit;
