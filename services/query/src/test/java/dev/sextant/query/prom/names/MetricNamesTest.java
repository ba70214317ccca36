package dev.sextant.query.prom.names;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Labels;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.Temporality;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OTLP → Prometheus translation, case by case as Prometheus 3's OTLP receiver names them. */
class MetricNamesTest {

  @Test
  void unitsBecomeWordsAndTypesTheirSuffixes() {
    assertThat(MetricNames.family("gen_ai.client.token.usage", MetricType.COUNTER, "{token}"))
        .isEqualTo("gen_ai_client_token_usage_total");
    assertThat(MetricNames.family("http.server.request.duration", MetricType.HISTOGRAM, "s"))
        .isEqualTo("http_server_request_duration_seconds");
    assertThat(MetricNames.family("process.memory.usage", MetricType.GAUGE, "By"))
        .isEqualTo("process_memory_usage_bytes");
    assertThat(MetricNames.family("network.io", MetricType.COUNTER, "By/s"))
        .isEqualTo("network_io_bytes_per_second_total");
    assertThat(MetricNames.family("cpu.utilization", MetricType.GAUGE, "1"))
        .isEqualTo("cpu_utilization_ratio");
    assertThat(MetricNames.family("queue.fill", MetricType.UP_DOWN_COUNTER, "1"))
        .isEqualTo("queue_fill");
    assertThat(MetricNames.family("disk.free", MetricType.GAUGE, "%"))
        .isEqualTo("disk_free_percent");
    assertThat(MetricNames.family("rpc.duration", MetricType.SUMMARY, "ms"))
        .isEqualTo("rpc_duration_milliseconds");
  }

  @Test
  void totalAndRatioMoveToTheEndAndUnitsAreNotRepeated() {
    assertThat(MetricNames.family("requests.total.served", MetricType.COUNTER, ""))
        .isEqualTo("requests_served_total");
    assertThat(MetricNames.family("http_requests_total", MetricType.COUNTER, "1"))
        .isEqualTo("http_requests_total");
    assertThat(MetricNames.family("latency.seconds", MetricType.HISTOGRAM, "s"))
        .isEqualTo("latency_seconds");
    assertThat(MetricNames.family("hit.ratio.now", MetricType.GAUGE, "1"))
        .isEqualTo("hit_now_ratio");
  }

  @Test
  void invalidCharactersSeparateAndDigitsGetAnUnderscore() {
    assertThat(MetricNames.family("my-app/requests..count", MetricType.GAUGE, ""))
        .isEqualTo("my_app_requests_count");
    assertThat(MetricNames.family("2xx.responses", MetricType.GAUGE, ""))
        .isEqualTo("_2xx_responses");
    assertThat(MetricNames.family("ns:metric", MetricType.GAUGE, "")).isEqualTo("ns:metric");
    // Nothing left after normalising: the stored name stays, reachable with a quoted selector.
    assertThat(MetricNames.family("...", MetricType.GAUGE, "")).isEqualTo("...");
  }

  @Test
  void untypedSeriesKeepTheirNames() {
    assertThat(MetricNames.family("up", MetricType.UNKNOWN, "s")).isEqualTo("up");
    assertThat(MetricNames.family("a.b", MetricType.UNKNOWN, "")).isEqualTo("a.b");
  }

  @Test
  void unitWordsForMetadata() {
    assertThat(MetricNames.unit("s")).isEqualTo("seconds");
    assertThat(MetricNames.unit("By/s")).isEqualTo("bytes_per_second");
    assertThat(MetricNames.unit("{token}")).isEmpty();
    assertThat(MetricNames.unit("1")).isEmpty();
    assertThat(MetricNames.unit("requests/{call}")).isEqualTo("requests");
  }

  @Test
  void candidateStoredNamesForAPrometheusName() {
    assertThat(
            MetricNames.mayExposeAs("gen_ai.client.token.usage", "gen_ai_client_token_usage_total"))
        .isTrue();
    assertThat(
            MetricNames.mayExposeAs("http.server.duration", "http_server_duration_seconds_bucket"))
        .isTrue();
    assertThat(MetricNames.mayExposeAs("requests.total.served", "requests_served_total")).isTrue();
    assertThat(MetricNames.mayExposeAs("up", "up")).isTrue();
    assertThat(MetricNames.mayExposeAs("http.client.duration", "http_server_duration_seconds"))
        .isFalse();
    assertThat(MetricNames.mayExposeAs("process.memory.usage", "process_cpu")).isFalse();
  }

  @Test
  void labelsAsPrometheus3NamesThem() {
    assertThat(LabelNames.of("http.request.method")).isEqualTo("http_request_method");
    assertThat(LabelNames.of("a..b__c")).isEqualTo("a_b_c");
    assertThat(LabelNames.of("0day")).isEqualTo("key_0day");
    assertThat(LabelNames.of("__reserved__")).isEqualTo("__reserved__");
    assertThat(LabelNames.of("_private")).isEqualTo("_private");
    assertThat(LabelNames.of("ünïcode")).isEqualTo("_n_code");
  }

  @Test
  void resourceIdentityBecomesJobAndInstanceAndCollidingLabelsJoin() {
    MetricSeries s =
        new MetricSeries(
            "t",
            "m",
            Labels.of(
                "service.name", "checkout",
                "service.namespace", "shop",
                "service.instance.id", "pod-7",
                "http.method", "GET",
                "http_method", "POST"),
            MetricType.GAUGE,
            Temporality.NONE,
            "",
            "");
    assertThat(ExposedSeries.of(s).labels().asMap())
        .isEqualTo(Map.of("job", "shop/checkout", "instance", "pod-7", "http_method", "GET;POST"));
  }
}
