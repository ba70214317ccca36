package dev.sextant.storage.sqlite;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.model.Correlation;
import dev.sextant.model.Cost;
import dev.sextant.model.Feedback;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Score;
import dev.sextant.storage.json.AttributeJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one kind of event is kept in its table: the table's name, and the event's fields beyond the
 * shared columns as an attribute map (stored as JSON by {@link AttributeJson}). The correlation is
 * in the body whole; the columns only copy what queries filter on.
 */
abstract class SqliteEventCodec<E extends CorrelatedEvent> {
  final String table;

  private SqliteEventCodec(String table) {
    this.table = table;
  }

  abstract Map<String, Object> body(E event);

  abstract E read(
      String tenant,
      String id,
      long time,
      String name,
      String traceId,
      String spanId,
      Map<String, Object> body);

  static final SqliteEventCodec<MetricEvent> METRIC_EVENTS =
      new SqliteEventCodec<>("metric_events") {
        @Override
        Map<String, Object> body(MetricEvent e) {
          Map<String, Object> body = common(e.correlation(), e.metadata());
          body.put("value", e.value());
          body.put("labels", new LinkedHashMap<String, Object>(e.labels()));
          Cost cost = e.cost();
          body.put("costProvider", cost.provider());
          body.put("costModel", cost.model());
          if (cost.estimatedCost() != null) {
            body.put("estimatedCost", cost.estimatedCost());
          }
          body.put("costUnit", cost.unit());
          body.put("costMetadata", cost.metadataJson());
          return body;
        }

        @Override
        MetricEvent read(
            String tenant,
            String id,
            long time,
            String name,
            String traceId,
            String spanId,
            Map<String, Object> body) {
          Map<String, String> labels = new LinkedHashMap<>();
          if (body.get("labels") instanceof Map<?, ?> map) {
            map.forEach((k, v) -> labels.put((String) k, String.valueOf(v)));
          }
          return new MetricEvent(
              tenant,
              id,
              time,
              name,
              number(body.get("value")),
              labels,
              traceId,
              spanId,
              correlation(body),
              new Cost(
                  text(body, "costProvider"),
                  text(body, "costModel"),
                  body.containsKey("estimatedCost") ? number(body.get("estimatedCost")) : null,
                  text(body, "costUnit"),
                  text(body, "costMetadata")),
              text(body, "metadata"));
        }
      };

  static final SqliteEventCodec<Score> SCORES =
      new SqliteEventCodec<>("scores") {
        @Override
        Map<String, Object> body(Score e) {
          Map<String, Object> body = common(e.correlation(), e.metadata());
          body.put("scorerName", e.scorerName());
          body.put("scorerVersion", e.scorerVersion());
          body.put("scoreSource", e.scoreSource());
          body.put("score", e.score());
          body.put("reason", e.reason());
          body.put("scoreTraceId", e.scoreTraceId());
          return body;
        }

        @Override
        Score read(
            String tenant,
            String id,
            long time,
            String name,
            String traceId,
            String spanId,
            Map<String, Object> body) {
          return new Score(
              tenant,
              id,
              time,
              traceId,
              spanId,
              name,
              text(body, "scorerName"),
              text(body, "scorerVersion"),
              text(body, "scoreSource"),
              number(body.get("score")),
              text(body, "reason"),
              text(body, "scoreTraceId"),
              correlation(body),
              text(body, "metadata"));
        }
      };

  static final SqliteEventCodec<Feedback> FEEDBACK =
      new SqliteEventCodec<>("feedback") {
        @Override
        Map<String, Object> body(Feedback e) {
          Map<String, Object> body = common(e.correlation(), e.metadata());
          body.put("feedbackSource", e.feedbackSource());
          if (e.numberValue() != null) {
            body.put("numberValue", e.numberValue());
          }
          body.put("textValue", e.textValue());
          body.put("comment", e.comment());
          body.put("feedbackUserId", e.feedbackUserId());
          body.put("sourceId", e.sourceId());
          body.put("reviewStatus", e.reviewStatus());
          return body;
        }

        @Override
        Feedback read(
            String tenant,
            String id,
            long time,
            String name,
            String traceId,
            String spanId,
            Map<String, Object> body) {
          return new Feedback(
              tenant,
              id,
              time,
              traceId,
              spanId,
              text(body, "feedbackSource"),
              name,
              body.containsKey("numberValue") ? number(body.get("numberValue")) : null,
              text(body, "textValue"),
              text(body, "comment"),
              text(body, "feedbackUserId"),
              text(body, "sourceId"),
              text(body, "reviewStatus"),
              correlation(body),
              text(body, "metadata"));
        }
      };

  private static Map<String, Object> common(Correlation correlation, String metadata) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("correlation", new LinkedHashMap<String, Object>(correlation.fields()));
    body.put("tags", List.<Object>copyOf(correlation.tags()));
    body.put("metadata", metadata);
    return body;
  }

  private static Correlation correlation(Map<String, Object> body) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (body.get("correlation") instanceof Map<?, ?> map) {
      map.forEach((k, v) -> fields.put((String) k, String.valueOf(v)));
    }
    List<String> tags =
        body.get("tags") instanceof List<?> list
            ? list.stream().map(String::valueOf).toList()
            : List.of();
    return new Correlation(fields, tags);
  }

  private static String text(Map<String, Object> body, String key) {
    return body.get(key) instanceof String s ? s : "";
  }

  private static double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : 0;
  }
}
