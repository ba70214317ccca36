package dev.sextant.query.auth;

import static dev.sextant.query.Fixtures.SECOND;
import static dev.sextant.query.Fixtures.base;
import static dev.sextant.query.Fixtures.log;
import static dev.sextant.query.Fixtures.number;
import static dev.sextant.query.Fixtures.series;
import static dev.sextant.query.Fixtures.span;
import static dev.sextant.query.Fixtures.spanId;
import static dev.sextant.query.Fixtures.traceId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.StatusCode;
import dev.sextant.model.Temporality;
import dev.sextant.protocol.query.v1.FindSeriesRequest;
import dev.sextant.protocol.query.v1.GetTraceRequest;
import dev.sextant.protocol.query.v1.ListMetricNamesRequest;
import dev.sextant.protocol.query.v1.QueryServiceGrpc.QueryServiceBlockingStub;
import dev.sextant.protocol.query.v1.ReadPointsRequest;
import dev.sextant.protocol.query.v1.SearchLogsRequest;
import dev.sextant.protocol.query.v1.SearchTracesRequest;
import dev.sextant.protocol.query.v1.TimeRange;
import dev.sextant.query.Fixtures;
import dev.sextant.storage.StorageComponent;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two tenants write the same trace id, service, log text and metric; every REST and gRPC read
 * returns only the caller's rows, and callers without a proper key are refused.
 */
@QuarkusTest
@TestProfile(AuthOnProfile.class)
class TenantIsolationTest {
  private static final long BASE = base(11);
  private static final String TRACE = traceId(11, 1);
  private static final String START = Long.toString(BASE / SECOND - 1);
  private static final String END = Long.toString(BASE / SECOND + 3600);
  private static final TimeRange WINDOW =
      TimeRange.newBuilder()
          .setStartUnixNano(BASE - SECOND)
          .setEndUnixNano(BASE + 3600 * SECOND)
          .build();
  private static final List<String> TENANTS = List.of("acme", "globex");

  private static boolean logsWritten;

  @Inject StorageComponent storage;

  @GrpcClient("query")
  QueryServiceBlockingStub query;

  private static MetricSeries requests(String tenant) {
    return series(
        tenant, "requests_total", MetricType.COUNTER, Temporality.CUMULATIVE, "job", "api");
  }

  @BeforeEach
  void writeBothTenants() {
    for (String tenant : TENANTS) {
      Fixtures.writeSpans(
          storage,
          List.of(
              span(
                  tenant,
                  TRACE,
                  spanId(1),
                  "",
                  tenant + ".run",
                  "agent",
                  BASE,
                  SECOND,
                  StatusCode.OK,
                  Map.of("owner", tenant))));
      Fixtures.writeMetrics(
          storage,
          List.of(
              number(requests(tenant), BASE, tenant.length()),
              number(
                  series(tenant, tenant + "_only", MetricType.GAUGE, Temporality.NONE), BASE, 1)));
    }
    if (!logsWritten) {
      logsWritten = true;
      for (String tenant : TENANTS) {
        Fixtures.writeLogs(
            storage,
            List.of(log(tenant, BASE, 9, "hello from " + tenant, "agent", TRACE, Map.of())));
      }
    }
  }

  private static RequestSpecification as(String key) {
    return given().header("Authorization", "Bearer " + key);
  }

  private static String keyOf(String tenant) {
    return tenant.equals("acme") ? AuthOnProfile.ACME_KEY : AuthOnProfile.GLOBEX_KEY;
  }

  @Test
  void everyRestEndpointReturnsOnlyTheCallersRows() {
    for (String tenant : TENANTS) {
      String key = keyOf(tenant);
      assertThat(
              as(key)
                  .get("/api/v1/traces/" + TRACE)
                  .then()
                  .statusCode(200)
                  .extract()
                  .jsonPath()
                  .getList("spans.name"))
          .as(tenant)
          .containsExactly(tenant + ".run");
      assertThat(
              as(key)
                  .queryParam("start", START)
                  .queryParam("end", END)
                  .get("/api/v1/traces")
                  .then()
                  .statusCode(200)
                  .extract()
                  .jsonPath()
                  .getList("traces.rootSpanName"))
          .containsExactly(tenant + ".run");
      assertThat(
              as(key)
                  .queryParam("start", START)
                  .queryParam("end", END)
                  .get("/api/v1/logs")
                  .then()
                  .statusCode(200)
                  .extract()
                  .jsonPath()
                  .getList("logs.body"))
          .containsExactly("hello from " + tenant);
      assertThat(
              as(key)
                  .queryParam("start", START)
                  .queryParam("end", END)
                  .get("/api/v1/metrics/names")
                  .then()
                  .statusCode(200)
                  .extract()
                  .jsonPath()
                  .getList("names"))
          .containsExactly(tenant + "_only", "requests_total");
      assertThat(
              as(key)
                  .queryParam("start", START)
                  .queryParam("end", END)
                  .queryParam("match", "{__name__=~\".+\"}")
                  .get("/api/v1/metrics/series")
                  .then()
                  .statusCode(200)
                  .extract()
                  .jsonPath()
                  .getList("series.name"))
          .containsExactlyInAnyOrder("requests_total", tenant + "_only");
      for (String owner : TENANTS) {
        List<Object> points =
            as(key)
                .queryParam("start", START)
                .queryParam("end", END)
                .queryParam("series", Long.toUnsignedString(requests(owner).id()))
                .get("/api/v1/metrics/points")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("points.value");
        assertThat(points).as(tenant + " reads " + owner).hasSize(owner.equals(tenant) ? 1 : 0);
      }
    }
  }

  private QueryServiceBlockingStub grpcAs(String key) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return query.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @Test
  void everyGrpcMethodReturnsOnlyTheCallersRows() {
    for (String tenant : TENANTS) {
      QueryServiceBlockingStub client = grpcAs(keyOf(tenant));
      assertThat(
              client
                  .getTrace(GetTraceRequest.newBuilder().setTraceId(TRACE).build())
                  .getSpansList())
          .extracting(s -> s.getName())
          .containsExactly(tenant + ".run");
      assertThat(
              client
                  .searchTraces(SearchTracesRequest.newBuilder().setRange(WINDOW).build())
                  .getTracesList())
          .extracting(t -> t.getRootSpanName())
          .containsExactly(tenant + ".run");
      assertThat(
              client
                  .searchLogs(SearchLogsRequest.newBuilder().setRange(WINDOW).build())
                  .getRecordsList())
          .extracting(r -> r.getBody().getStringValue())
          .containsExactly("hello from " + tenant);
      assertThat(
              client
                  .listMetricNames(ListMetricNamesRequest.newBuilder().setRange(WINDOW).build())
                  .getNamesList())
          .containsExactly(tenant + "_only", "requests_total");
      assertThat(
              client
                  .findSeries(
                      FindSeriesRequest.newBuilder()
                          .setRange(WINDOW)
                          .setSelector("{__name__=~\".+\"}")
                          .build())
                  .getSeriesList())
          .extracting(s -> s.getId())
          .contains(requests(tenant).id())
          .hasSize(2);
      for (String owner : TENANTS) {
        assertThat(
                client
                    .readPoints(
                        ReadPointsRequest.newBuilder()
                            .setSeriesId(requests(owner).id())
                            .setRange(WINDOW)
                            .build())
                    .getPointsList())
            .as(tenant + " reads " + owner)
            .hasSize(owner.equals(tenant) ? 1 : 0);
      }
    }
  }

  @Test
  void restCallersWithoutAProperKeyAreRefused() {
    for (String path :
        List.of(
            "/api/v1/traces/" + TRACE,
            "/api/v1/traces",
            "/api/v1/logs",
            "/api/v1/metrics/names",
            "/api/v1/metrics/series?match=up",
            "/api/v1/metrics/points?series=1")) {
      given().get(path).then().statusCode(401).header("WWW-Authenticate", "Bearer");
      as("not-a-key").get(path).then().statusCode(401);
      assertThat(
              as(AuthOnProfile.ACME_INGEST_ONLY_KEY)
                  .get(path)
                  .then()
                  .statusCode(403)
                  .extract()
                  .jsonPath()
                  .getString("error"))
          .isEqualTo("API key lacks scope 'query'");
      assertThat(
              as(AuthOnProfile.SERVICE_KEY)
                  .get(path)
                  .then()
                  .statusCode(403)
                  .extract()
                  .jsonPath()
                  .getString("error"))
          .startsWith("a service key (tenant '*') cannot read");
    }
  }

  @Test
  void grpcCallersWithoutAProperKeyAreRefused() {
    GetTraceRequest request = GetTraceRequest.newBuilder().setTraceId(TRACE).build();
    assertCode(() -> query.getTrace(request), Status.Code.UNAUTHENTICATED);
    assertCode(() -> grpcAs("not-a-key").getTrace(request), Status.Code.UNAUTHENTICATED);
    assertCode(
        () -> grpcAs(AuthOnProfile.ACME_INGEST_ONLY_KEY).getTrace(request),
        Status.Code.PERMISSION_DENIED);
    assertCode(
        () -> grpcAs(AuthOnProfile.SERVICE_KEY).getTrace(request), Status.Code.PERMISSION_DENIED);
    assertCode(
        () ->
            grpcAs(AuthOnProfile.SERVICE_KEY)
                .listMetricNames(ListMetricNamesRequest.getDefaultInstance()),
        Status.Code.PERMISSION_DENIED);
  }

  private static void assertCode(Runnable call, Status.Code code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }
}
