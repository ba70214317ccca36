package dev.sextant.storage.testkit;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.millis;
import static dev.sextant.storage.testkit.Fixtures.seconds;
import static dev.sextant.storage.testkit.Fixtures.spanId;
import static dev.sextant.storage.testkit.Fixtures.traceId;
import static dev.sextant.storage.testkit.SpanBuilder.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Attributes;
import dev.sextant.model.Span;
import dev.sextant.model.SpanEvent;
import dev.sextant.model.SpanKind;
import dev.sextant.model.SpanLink;
import dev.sextant.model.StatusCode;
import dev.sextant.storage.SpanStore;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.storage.query.TraceSummary;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The span store contract: roundtrip, trace lookup, idempotent rewrites, search, deletion. */
public abstract class SpanStoreConformance extends StorageConformance {

  private SpanStore spans() {
    return storage().spans();
  }

  private void write(Span... spans) {
    await(spans().write(List.of(spans)));
  }

  private List<Span> trace(String traceId) {
    return await(spans().trace(TENANT, traceId));
  }

  // ---------------------------------------------------------------- write and read back

  @Test
  void writtenSpanReadsBackWithEveryField() {
    Span span =
        span(traceId(1), spanId(2))
            .parent(spanId(1))
            .name("chat gpt-4o")
            .kind(SpanKind.CLIENT)
            .start(T0 + 123_456_789L)
            .duration(987_654_321L)
            .status(StatusCode.ERROR, "rate limited: \"429\"")
            .service("agent-api")
            .scope("@mastra/core", "0.10.1")
            .resource(Fixtures.everyValueType())
            .attributes(Fixtures.everyValueType())
            .event(new SpanEvent("exception", T0 + 200_000_000L, Fixtures.everyValueType()))
            .event(new SpanEvent("retry", T0 + 300_000_000L, Map.of()))
            .link(new SpanLink(traceId(9), spanId(9), Fixtures.everyValueType()))
            .link(new SpanLink(traceId(8), spanId(8), Map.of()))
            .droppedAttributesCount(17)
            .build();

    write(span);

    assertThat(trace(traceId(1))).containsExactly(span);
  }

  @Test
  void attributeValuesKeepTheirJavaTypes() {
    Span span =
        span(traceId(1), spanId(1))
            .attribute("long", 3L)
            .attribute("double", 3.0)
            .attribute("string", "3")
            .attribute("bool", true)
            .attribute("list", List.of(1L, 1.0, "1", false))
            .attribute("map", Map.of("n", 1L))
            .build();
    write(span);

    Map<String, Object> read = trace(traceId(1)).getFirst().attributes();

    assertThat(read.get("long")).isInstanceOf(Long.class).isEqualTo(3L);
    assertThat(read.get("double")).isInstanceOf(Double.class).isEqualTo(3.0);
    assertThat(read.get("string")).isInstanceOf(String.class).isEqualTo("3");
    assertThat(read.get("bool")).isInstanceOf(Boolean.class).isEqualTo(true);
    assertThat((List<?>) read.get("list"))
        .hasExactlyElementsOfTypes(Long.class, Double.class, String.class, Boolean.class);
    assertThat(((Map<?, ?>) read.get("map")).get("n")).isInstanceOf(Long.class);
  }

  @Test
  void attributeOrderIsKept() {
    Span span =
        span(traceId(1), spanId(1))
            .attribute("z", 1L)
            .attribute("a", 2L)
            .attribute("m", 3L)
            .build();
    write(span);

    assertThat(trace(traceId(1)).getFirst().attributes().keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void traceIsOrderedByStartTime() {
    Span late = span(traceId(1), spanId(3)).parent(spanId(1)).start(T0 + millis(30)).build();
    Span root = span(traceId(1), spanId(1)).start(T0).duration(millis(100)).build();
    Span middle = span(traceId(1), spanId(2)).parent(spanId(1)).start(T0 + millis(10)).build();

    write(late, root);
    write(middle);

    assertThat(trace(traceId(1))).containsExactly(root, middle, late);
  }

  @Test
  void spansStartingTogetherAreOrderedBySpanIdAsText() {
    // Ids on both sides of the top bit: a backend storing them as signed numbers must still sort
    // them as text.
    Span high = span(traceId(1), "f000000000000001").start(T0).build();
    Span low = span(traceId(1), "0000000000000002").start(T0).build();
    Span middle = span(traceId(1), "7fffffffffffffff").start(T0).build();

    write(high, low, middle);

    assertThat(trace(traceId(1))).containsExactly(low, middle, high);
  }

  @Test
  void unknownTraceIsEmpty() {
    write(span(traceId(1), spanId(1)).build());

    assertThat(trace(traceId(2))).isEmpty();
  }

  @Test
  void traceHasOnlyItsOwnSpans() {
    Span a = span(traceId(1), spanId(1)).build();
    Span b = span(traceId(2), spanId(1)).build();
    write(a, b);

    assertThat(trace(traceId(1))).containsExactly(a);
    assertThat(trace(traceId(2))).containsExactly(b);
  }

  @Test
  void emptyWriteCompletes() {
    await(spans().write(List.of()));

    assertThat(await(spans().search(TraceQuery.all(TENANT, 10)))).isEmpty();
  }

  @Test
  void rewritingASpanStoresItOnceWithTheLastVersion() {
    Span first = span(traceId(1), spanId(1)).name("first").build();
    Span retry = span(traceId(1), spanId(1)).name("first").build();
    Span changed = span(traceId(1), spanId(1)).name("changed").status(StatusCode.ERROR).build();

    write(first);
    write(retry);
    assertThat(trace(traceId(1))).containsExactly(first);

    write(changed);
    assertThat(trace(traceId(1))).containsExactly(changed);
    assertThat(await(spans().search(TraceQuery.all(TENANT, 10))))
        .singleElement()
        .satisfies(
            summary -> {
              assertThat(summary.spanCount()).isEqualTo(1);
              assertThat(summary.errorCount()).isEqualTo(1);
            });
  }

  @Test
  void aSpanTwiceInOneBatchIsStoredOnce() {
    Span first = span(traceId(1), spanId(1)).name("first").build();
    Span second = span(traceId(1), spanId(1)).name("second").build();

    write(first, second);

    assertThat(trace(traceId(1))).containsExactly(second);
  }

  @Test
  void concurrentWritesAreAllCommittedWhenTheyComplete() {
    int writers = 40;
    int spansPerWrite = 25;
    List<Uni<Void>> writes = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      List<Span> batch = new ArrayList<>();
      for (int s = 0; s < spansPerWrite; s++) {
        batch.add(
            span(traceId(w + 1), spanId(s + 1))
                .parent(s == 0 ? "" : spanId(1))
                .start(T0 + seconds(w) + millis(s))
                .attribute("writer", (long) w)
                .build());
      }
      writes.add(spans().write(batch));
    }

    await(Uni.join().all(writes).andFailFast());

    for (int w = 0; w < writers; w++) {
      assertThat(trace(traceId(w + 1))).hasSize(spansPerWrite);
    }
    assertThat(await(spans().search(TraceQuery.all(TENANT, 1000)))).hasSize(writers);
  }

  // ---------------------------------------------------------------- search

  /**
   * Four traces, one second apart:
   *
   * <pre>
   * trace 1  T0+1s  checkout  POST /checkout 300ms (root) + db.query 120ms ERROR
   * trace 2  T0+2s  cart      GET /cart 40ms OK
   * trace 3  T0+3s  checkout  GET /health 2ms (span attribute shadows a resource attribute)
   * trace 4  T0+4s  frontend  search 80ms + inventory.lookup 60ms ERROR + render 15ms (ends last)
   * </pre>
   */
  private void writeSearchFixture() {
    long t1 = T0 + seconds(1);
    long t2 = T0 + seconds(2);
    long t3 = T0 + seconds(3);
    long t4 = T0 + seconds(4);
    write(
        span(traceId(1), spanId(1))
            .name("POST /checkout")
            .kind(SpanKind.SERVER)
            .service("checkout")
            .start(t1)
            .duration(millis(300))
            .resource("deployment.environment", "prod")
            .resource("host.cores", 8L)
            .attribute("http.method", "POST")
            .attribute("http.status_code", 200L)
            .build(),
        span(traceId(1), spanId(2))
            .parent(spanId(1))
            .name("db.query")
            .kind(SpanKind.CLIENT)
            .service("checkout")
            .start(t1 + millis(10))
            .duration(millis(120))
            .status(StatusCode.ERROR, "deadlock")
            .resource("deployment.environment", "prod")
            .resource("host.cores", 8L)
            .attribute("db.system", "postgres")
            .attribute("cache.hit", false)
            .attribute("retry.count", 3L)
            .attribute("sample.ratio", 0.25)
            .build(),
        span(traceId(2), spanId(1))
            .name("GET /cart")
            .kind(SpanKind.SERVER)
            .service("cart")
            .start(t2)
            .duration(millis(40))
            .status(StatusCode.OK)
            .resource("deployment.environment", "staging")
            .attribute("http.method", "GET")
            .attribute("http.status_code", 404L)
            .attribute("cache.hit", true)
            .build(),
        span(traceId(3), spanId(1))
            .name("GET /health")
            .service("checkout")
            .start(t3)
            .duration(millis(2))
            .resource("deployment.environment", "prod")
            .attribute("deployment.environment", "canary")
            .build(),
        span(traceId(4), spanId(1))
            .name("search")
            .service("frontend")
            .start(t4)
            .duration(millis(80))
            .build(),
        span(traceId(4), spanId(2))
            .parent(spanId(1))
            .name("inventory.lookup")
            .service("inventory")
            .start(t4 + millis(5))
            .duration(millis(60))
            .status(StatusCode.ERROR)
            .build(),
        span(traceId(4), spanId(3))
            .parent(spanId(1))
            .name("render")
            .service("frontend")
            .start(t4 + millis(70))
            .duration(millis(15))
            .attribute("tags", List.of("a", "b"))
            .attribute("meta", Map.of("k", "v"))
            .build());
  }

  private TraceQueryBuilder query() {
    return new TraceQueryBuilder();
  }

  /** The trace ids a query finds, in the order returned. */
  private List<String> found(TraceQueryBuilder query) {
    return await(spans().search(query.build())).stream().map(TraceSummary::traceId).toList();
  }

  @Test
  void searchWithoutCriteriaFindsEveryTraceNewestFirst() {
    writeSearchFixture();

    assertThat(found(query())).containsExactly(traceId(4), traceId(3), traceId(2), traceId(1));
  }

  @Test
  void searchByServiceName() {
    writeSearchFixture();

    assertThat(found(query().service("checkout"))).containsExactly(traceId(3), traceId(1));
    assertThat(found(query().service("cart"))).containsExactly(traceId(2));
    assertThat(found(query().service("nope"))).isEmpty();
  }

  @Test
  void searchByServiceOfANonRootSpanFindsTheWholeTrace() {
    writeSearchFixture();

    List<TraceSummary> found = await(spans().search(query().service("inventory").build()));

    assertThat(found)
        .singleElement()
        .satisfies(
            summary -> {
              assertThat(summary.traceId()).isEqualTo(traceId(4));
              assertThat(summary.rootServiceName()).isEqualTo("frontend");
              assertThat(summary.spanCount()).isEqualTo(3);
            });
  }

  @Test
  void searchBySpanName() {
    writeSearchFixture();

    assertThat(found(query().spanName("db.query"))).containsExactly(traceId(1));
    assertThat(found(query().spanName("search"))).containsExactly(traceId(4));
    assertThat(found(query().spanName("DB.QUERY"))).isEmpty();
  }

  @Test
  void searchByStatus() {
    writeSearchFixture();

    assertThat(found(query().status(StatusCode.ERROR))).containsExactly(traceId(4), traceId(1));
    assertThat(found(query().status(StatusCode.OK))).containsExactly(traceId(2));
    assertThat(found(query().status(StatusCode.UNSET)))
        .containsExactly(traceId(4), traceId(3), traceId(1));
  }

  @Test
  void searchByMinimumDurationIsInclusive() {
    writeSearchFixture();

    assertThat(found(query().minDuration(millis(100)))).containsExactly(traceId(1));
    assertThat(found(query().minDuration(millis(300)))).containsExactly(traceId(1));
    assertThat(found(query().minDuration(millis(300) + 1))).isEmpty();
    assertThat(found(query().minDuration(millis(60)))).containsExactly(traceId(4), traceId(1));
  }

  @Test
  void searchByMaximumDurationIsInclusive() {
    writeSearchFixture();

    assertThat(found(query().maxDuration(millis(2)))).containsExactly(traceId(3));
    assertThat(found(query().maxDuration(millis(2) - 1))).isEmpty();
    assertThat(found(query().maxDuration(millis(15)))).containsExactly(traceId(4), traceId(3));
  }

  @Test
  void searchByDurationWindowNeedsOneSpanWithin() {
    writeSearchFixture();

    // 60ms and 80ms (trace 4) lie within; trace 1 has 120ms and 300ms, trace 2 has 40ms.
    assertThat(found(query().minDuration(millis(50)).maxDuration(millis(100))))
        .containsExactly(traceId(4));
  }

  @Test
  void searchByTimeRangeIsHalfOpenOnSpanStart() {
    writeSearchFixture();

    assertThat(found(query().range(T0 + seconds(2), T0 + seconds(3)))).containsExactly(traceId(2));
    assertThat(found(query().range(T0 + seconds(2), T0 + seconds(3) + 1)))
        .containsExactly(traceId(3), traceId(2));
    assertThat(found(query().range(T0, T0 + seconds(1)))).isEmpty();
  }

  @Test
  void searchByTimeRangeMatchingOnlyAChildStillSummarisesTheWholeTrace() {
    writeSearchFixture();

    List<TraceSummary> found =
        await(spans().search(query().range(T0 + seconds(1) + millis(5), T0 + seconds(2)).build()));

    assertThat(found)
        .containsExactly(
            new TraceSummary(
                traceId(1), "checkout", "POST /checkout", T0 + seconds(1), millis(300), 2, 1));
  }

  @Test
  void searchBySpanAttribute() {
    writeSearchFixture();

    assertThat(found(query().attribute("http.method", "POST"))).containsExactly(traceId(1));
    assertThat(found(query().attribute("http.method", "GET"))).containsExactly(traceId(2));
    assertThat(found(query().attribute("db.system", "postgres"))).containsExactly(traceId(1));
    assertThat(found(query().attribute("db.system", "Postgres"))).isEmpty();
    assertThat(found(query().attribute("no.such.key", ""))).isEmpty();
  }

  @Test
  void searchByResourceAttribute() {
    writeSearchFixture();

    assertThat(found(query().attribute("deployment.environment", "staging")))
        .containsExactly(traceId(2));
    assertThat(found(query().attribute("host.cores", "8"))).containsExactly(traceId(1));
  }

  @Test
  void aSpanAttributeShadowsTheResourceAttributeOfTheSameKey() {
    writeSearchFixture();

    // Trace 3's only span says canary itself, over its resource's prod.
    assertThat(found(query().attribute("deployment.environment", "prod")))
        .containsExactly(traceId(1));
    assertThat(found(query().attribute("deployment.environment", "canary")))
        .containsExactly(traceId(3));
  }

  @Test
  void searchByBooleanAttributeComparesItsTextForm() {
    writeSearchFixture();

    assertThat(found(query().attribute("cache.hit", "true"))).containsExactly(traceId(2));
    assertThat(found(query().attribute("cache.hit", "false"))).containsExactly(traceId(1));
    assertThat(found(query().attribute("cache.hit", "TRUE"))).isEmpty();
    assertThat(found(query().attribute("cache.hit", "1"))).isEmpty();
    assertThat(found(query().attribute("cache.hit", "0"))).isEmpty();
  }

  @Test
  void searchByNumberAttributeComparesItsTextForm() {
    writeSearchFixture();

    assertThat(found(query().attribute("http.status_code", "404"))).containsExactly(traceId(2));
    assertThat(found(query().attribute("retry.count", "3"))).containsExactly(traceId(1));
    assertThat(found(query().attribute("retry.count", "3.0"))).isEmpty();
    assertThat(found(query().attribute("retry.count", "03"))).isEmpty();
    assertThat(found(query().attribute("retry.count", "+3"))).isEmpty();
    assertThat(found(query().attribute("sample.ratio", "0.25"))).containsExactly(traceId(1));
    assertThat(found(query().attribute("sample.ratio", ".25"))).isEmpty();
    assertThat(found(query().attribute("sample.ratio", "2.5E-1"))).isEmpty();
  }

  @Test
  void searchByAttributeMatchesTheTextFormOfEveryScalarType() {
    write(span(traceId(1), spanId(1)).attributes(Fixtures.everyValueType()).build());
    Map<String, Object> values = Fixtures.everyValueType();

    for (Map.Entry<String, Object> entry : values.entrySet()) {
      String text = Attributes.filterText(entry.getValue());
      if (text != null) {
        assertThat(found(query().attribute(entry.getKey(), text)))
            .as("attribute %s = %s", entry.getKey(), text)
            .containsExactly(traceId(1));
      }
    }
    assertThat(found(query().attribute("double.negative.zero", "0.0"))).isEmpty();
    assertThat(found(query().attribute("double.integral", "3"))).isEmpty();
    assertThat(found(query().attribute("double.exponent", "100000000000000000000"))).isEmpty();
    assertThat(found(query().attribute("string.NaN", "NaN"))).containsExactly(traceId(1));
    assertThat(found(query().attribute("double.nan", "nan"))).isEmpty();
  }

  @Test
  void listAndMapAttributesNeverMatch() {
    writeSearchFixture();

    assertThat(found(query().attribute("tags", "[a, b]"))).isEmpty();
    assertThat(found(query().attribute("tags", "a"))).isEmpty();
    assertThat(found(query().attribute("meta", "{k=v}"))).isEmpty();
  }

  @Test
  void allAttributeFiltersMustHoldOnTheSameSpan() {
    writeSearchFixture();

    assertThat(found(query().attribute("http.method", "GET").attribute("cache.hit", "true")))
        .containsExactly(traceId(2));
    // Trace 1 has http.method on its root and db.system on its child, never both on one span.
    assertThat(found(query().attribute("http.method", "POST").attribute("db.system", "postgres")))
        .isEmpty();
  }

  @Test
  void allCriteriaMustHoldOnTheSameSpan() {
    writeSearchFixture();

    assertThat(found(query().service("checkout").status(StatusCode.ERROR)))
        .containsExactly(traceId(1));
    assertThat(
            found(
                query()
                    .service("checkout")
                    .spanName("GET /health")
                    .maxDuration(millis(10))
                    .attribute("deployment.environment", "canary")
                    .range(T0, T0 + seconds(10))))
        .containsExactly(traceId(3));
    // Trace 4 has a frontend span and an ERROR span, but the ERROR span is inventory's.
    assertThat(found(query().service("frontend").status(StatusCode.ERROR))).isEmpty();
    assertThat(found(query().spanName("POST /checkout").minDuration(millis(301)))).isEmpty();
    assertThat(found(query().service("cart").range(T0, T0 + seconds(2)))).isEmpty();
  }

  @Test
  void searchLimitKeepsTheNewestTraces() {
    writeSearchFixture();

    assertThat(found(query().limit(2))).containsExactly(traceId(4), traceId(3));
    assertThat(found(query().limit(1).service("checkout"))).containsExactly(traceId(3));
  }

  @Test
  void searchOrdersByTheFirstSpanStartOfEachTrace() {
    // Trace 1 starts first but has the latest span; trace 2 starts in between.
    write(
        span(traceId(1), spanId(1)).name("root").start(T0).duration(seconds(20)).build(),
        span(traceId(1), spanId(2)).parent(spanId(1)).name("late").start(T0 + seconds(10)).build(),
        span(traceId(2), spanId(1)).name("root").start(T0 + seconds(5)).build());

    assertThat(found(query())).containsExactly(traceId(2), traceId(1));
    assertThat(found(query().limit(1))).containsExactly(traceId(2));
    assertThat(found(query().range(T0 + seconds(4), T0 + seconds(30))))
        .containsExactly(traceId(2), traceId(1));
  }

  @Test
  void traceSummaryCoversEveryStoredSpanOfTheTrace() {
    writeSearchFixture();

    List<TraceSummary> found = await(spans().search(query().build()));

    assertThat(found)
        .containsExactly(
            new TraceSummary(traceId(4), "frontend", "search", T0 + seconds(4), millis(85), 3, 1),
            new TraceSummary(
                traceId(3), "checkout", "GET /health", T0 + seconds(3), millis(2), 1, 0),
            new TraceSummary(traceId(2), "cart", "GET /cart", T0 + seconds(2), millis(40), 1, 0),
            new TraceSummary(
                traceId(1), "checkout", "POST /checkout", T0 + seconds(1), millis(300), 2, 1));
  }

  @Test
  void traceSummaryWithoutItsRootHasEmptyRootFieldsUntilTheRootArrives() {
    Span child =
        span(traceId(1), spanId(2))
            .parent(spanId(1))
            .name("child")
            .service("worker")
            .start(T0 + millis(10))
            .duration(millis(20))
            .status(StatusCode.ERROR)
            .build();
    write(child);

    assertThat(await(spans().search(query().build())))
        .containsExactly(new TraceSummary(traceId(1), "", "", T0 + millis(10), millis(20), 1, 1));

    write(
        span(traceId(1), spanId(1))
            .name("root")
            .service("gateway")
            .start(T0)
            .duration(millis(25))
            .build());

    assertThat(await(spans().search(query().build())))
        .containsExactly(new TraceSummary(traceId(1), "gateway", "root", T0, millis(30), 2, 1));
  }

  @Test
  void searchFindsNothingInAnEmptyStore() {
    assertThat(found(query())).isEmpty();
  }

  // ---------------------------------------------------------------- retention

  @Test
  void deleteOlderThanRemovesSpansStartedBeforeTheCutoffOnly() {
    Span old = span(traceId(1), spanId(1)).start(T0).build();
    Span oldOtherTenant =
        span(Fixtures.OTHER_TENANT, traceId(1), spanId(1)).start(T0 + millis(1)).build();
    Span atCutoff = span(traceId(1), spanId(2)).parent(spanId(1)).start(T0 + seconds(1)).build();
    Span newer = span(traceId(2), spanId(1)).start(T0 + seconds(2)).build();
    write(old, oldOtherTenant, atCutoff, newer);

    long deleted = await(spans().deleteOlderThan(T0 + seconds(1)));

    assertThat(deleted).isEqualTo(2);
    assertThat(trace(traceId(1))).containsExactly(atCutoff);
    assertThat(trace(traceId(2))).containsExactly(newer);
    assertThat(await(spans().trace(Fixtures.OTHER_TENANT, traceId(1)))).isEmpty();
    assertThat(await(spans().deleteOlderThan(T0 + seconds(1)))).isZero();
  }

  @Test
  void deleteOlderThanRemovesLargeAmountsCompletely() {
    List<Span> batch = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      batch.add(span(traceId(i / 10 + 1), spanId(i % 10 + 1)).start(T0 + i).build());
    }
    Span kept = span(traceId(999_999), spanId(1)).start(T0 + seconds(1)).build();
    batch.add(kept);
    await(spans().write(batch));

    assertThat(await(spans().deleteOlderThan(T0 + seconds(1)))).isEqualTo(12_000);
    assertThat(await(spans().search(TraceQuery.all(TENANT, 1000))))
        .extracting(TraceSummary::traceId)
        .containsExactly(traceId(999_999));
  }

  /** A fluent {@link TraceQuery} for {@link Fixtures#TENANT}. */
  private static final class TraceQueryBuilder {
    private TimeRange range = TimeRange.ALL;
    private String service;
    private String spanName;
    private StatusCode status;
    private Long minDuration;
    private Long maxDuration;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private int limit = 100;

    TraceQueryBuilder range(long start, long end) {
      range = new TimeRange(start, end);
      return this;
    }

    TraceQueryBuilder service(String service) {
      this.service = service;
      return this;
    }

    TraceQueryBuilder spanName(String spanName) {
      this.spanName = spanName;
      return this;
    }

    TraceQueryBuilder status(StatusCode status) {
      this.status = status;
      return this;
    }

    TraceQueryBuilder minDuration(long nanos) {
      minDuration = nanos;
      return this;
    }

    TraceQueryBuilder maxDuration(long nanos) {
      maxDuration = nanos;
      return this;
    }

    TraceQueryBuilder attribute(String key, String value) {
      attributes.put(key, value);
      return this;
    }

    TraceQueryBuilder limit(int limit) {
      this.limit = limit;
      return this;
    }

    TraceQuery build() {
      return new TraceQuery(
          TENANT, range, service, spanName, status, minDuration, maxDuration, attributes, limit);
    }
  }
}
