package dev.sextant.promql.conformance;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client of the Prometheus HTTP API, for any server that speaks it (a real Prometheus, or
 * Sextant's query service): queries as form POSTs, answers as the raw JSON text.
 */
public final class PrometheusApiClient {
  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public PrometheusApiClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** The raw JSON answer of /api/v1/query_range (times in Unix milliseconds). */
  public String queryRange(String query, long startMs, long endMs, long stepMs) throws Exception {
    return post(
        "/api/v1/query_range",
        "query="
            + encode(query)
            + "&start="
            + seconds(startMs)
            + "&end="
            + seconds(endMs)
            + "&step="
            + seconds(stepMs));
  }

  /** The raw JSON answer of /api/v1/query. */
  public String query(String query, long timeMs) throws Exception {
    return post("/api/v1/query", "query=" + encode(query) + "&time=" + seconds(timeMs));
  }

  /** The raw answer of a form POST to {@code path}. */
  public String post(String path, String form) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The status code and body of a GET of {@code pathAndQuery}. */
  public HttpResponse<String> get(String pathAndQuery) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
            .timeout(Duration.ofSeconds(60))
            .GET()
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  public static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** Milliseconds as Unix seconds with up to three decimals. */
  public static String seconds(long ms) {
    return new BigDecimal(ms).movePointLeft(3).toPlainString();
  }
}
