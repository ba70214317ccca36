package dev.sextant.storage.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sextant.model.Labels;
import dev.sextant.model.SpanEvent;
import dev.sextant.model.SpanLink;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attribute values to and from the JSON text PostgreSQL stores in {@code jsonb} (attributes,
 * labels) and {@code json} (events, links, log bodies) columns, keeping each value's Java type.
 *
 * <p>{@code jsonb} keeps numbers as {@code numeric}, which prints a double like 1e20 as {@code
 * 100000000000000000000}, indistinguishable from an integer, and cannot hold NaN, the infinities or
 * -0.0. So a double is a JSON number only when it is finite, not -0.0, and Java writes it without
 * an exponent ({@code 3.0}, {@code 0.25}: {@code numeric} prints those digits back as written, so
 * the text of the stored number is exactly {@link dev.sextant.model.Attributes#filterText}); every
 * other double is the object {@code {"$double": "<Java's text>"}}. Keys of nested maps that start
 * with {@code $} get one more, so a real map never reads as a marker. A JSON number without a
 * fraction reads as a {@code Long}, one with a fraction as a {@code Double}.
 *
 * <p>Every string and key passes through {@link PgText#escape} ({@code jsonb} refuses U+0000).
 * {@code jsonb} also sorts object keys, so the order of a map's top-level keys is written apart
 * ({@link #keyOrder}) when it has more than one; nested maps read back equal, in {@code jsonb}'s
 * order.
 */
final class JsonCodec {
  static final String DOUBLE_MARKER = "$double";

  private static final JsonFactory JSON = new JsonFactory();

  private JsonCodec() {}

  // ------------------------------------------------------------------ writing

  /** A top-level attribute map as a JSON object, keys as given (escaped). */
  static String attributes(Map<String, Object> attributes) {
    if (attributes.isEmpty()) {
      return "{}";
    }
    return write(g -> writeObject(g, attributes, false));
  }

  /**
   * The top-level keys in order as a JSON array, or null when order cannot matter (fewer than two).
   */
  static String keyOrder(Map<String, Object> attributes) {
    if (attributes.size() < 2) {
      return null;
    }
    return write(
        g -> {
          g.writeStartArray();
          for (String key : attributes.keySet()) {
            g.writeString(PgText.escape(key));
          }
          g.writeEndArray();
        });
  }

  /** One attribute value, e.g. a structured log body. */
  static String value(Object value) {
    return write(g -> writeValue(g, value));
  }

  /** A metric series' labels: an object of strings. */
  static String labels(Labels labels) {
    return write(
        g -> {
          g.writeStartObject();
          for (Map.Entry<String, String> label : labels.asMap().entrySet()) {
            g.writeStringField(PgText.escape(label.getKey()), PgText.escape(label.getValue()));
          }
          g.writeEndObject();
        });
  }

  /** Label matchers pushed into SQL: an object with one string, for {@code labels @> ...}. */
  static String label(String name, String value) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField(PgText.escape(name), PgText.escape(value));
          g.writeEndObject();
        });
  }

  /** The stored form of a double that cannot be a JSON number, for attribute filters. */
  static String doubleMarker(String javaText) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField(DOUBLE_MARKER, javaText);
          g.writeEndObject();
        });
  }

  static String events(List<SpanEvent> events) {
    if (events.isEmpty()) {
      return "[]";
    }
    return write(
        g -> {
          g.writeStartArray();
          for (SpanEvent event : events) {
            g.writeStartObject();
            g.writeStringField("name", PgText.escape(event.name()));
            g.writeNumberField("time", event.timeUnixNanos());
            g.writeFieldName("attributes");
            writeObject(g, event.attributes(), false);
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  static String links(List<SpanLink> links) {
    if (links.isEmpty()) {
      return "[]";
    }
    return write(
        g -> {
          g.writeStartArray();
          for (SpanLink link : links) {
            g.writeStartObject();
            g.writeStringField("traceId", link.traceId());
            g.writeStringField("spanId", link.spanId());
            g.writeFieldName("attributes");
            writeObject(g, link.attributes(), false);
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  /** Whether Java's text of the double can be stored as a JSON number and read back exactly. */
  static boolean isPlainNumber(double d) {
    return Double.isFinite(d)
        && !(d == 0 && Double.doubleToRawLongBits(d) != 0)
        && Double.toString(d).indexOf('E') < 0;
  }

  private interface Writing {
    void to(JsonGenerator generator) throws IOException;
  }

  private static String write(Writing writing) {
    StringWriter out = new StringWriter(128);
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      writing.to(generator);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string", e);
    }
    return out.toString();
  }

  private static void writeObject(JsonGenerator g, Map<?, ?> map, boolean nested)
      throws IOException {
    g.writeStartObject();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = PgText.escape(String.valueOf(entry.getKey()));
      g.writeFieldName(nested && key.startsWith("$") ? "$" + key : key);
      writeValue(g, entry.getValue());
    }
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, Object value) throws IOException {
    switch (value) {
      case null -> g.writeNull();
      case String s -> g.writeString(PgText.escape(s));
      case Boolean b -> g.writeBoolean(b);
      case Long l -> g.writeNumber(l);
      case Integer i -> g.writeNumber((long) i);
      case Double d -> {
        if (isPlainNumber(d)) {
          g.writeNumber(Double.toString(d));
        } else {
          g.writeStartObject();
          g.writeStringField(DOUBLE_MARKER, Double.toString(d));
          g.writeEndObject();
        }
      }
      case List<?> list -> {
        g.writeStartArray();
        for (Object element : list) {
          writeValue(g, element);
        }
        g.writeEndArray();
      }
      case Map<?, ?> map -> writeObject(g, map, true);
      default ->
          throw new StorageException(
              Code.INVALID_ARGUMENT,
              "an attribute value cannot be a " + value.getClass().getName());
    }
  }

  // ------------------------------------------------------------------ reading

  /**
   * A top-level attribute map, in the order {@code keyOrder} gives (a JSON array of its keys), or
   * as stored when it is null.
   */
  static Map<String, Object> readAttributes(String json, String keyOrder) {
    if (json == null || json.equals("{}")) {
      return Map.of();
    }
    Map<String, Object> stored = read(json, p -> readObject(p, p.nextToken()));
    if (keyOrder == null) {
      return stored;
    }
    List<String> keys = read(keyOrder, p -> readStrings(p, p.nextToken()));
    Map<String, Object> ordered = new LinkedHashMap<>();
    for (String key : keys) {
      if (stored.containsKey(key)) {
        ordered.put(key, stored.get(key));
      }
    }
    // Keys the order does not name (never written so) keep their stored order after the rest.
    stored.forEach(ordered::putIfAbsent);
    return ordered;
  }

  static Object readValue(String json) {
    return read(json, p -> readValue(p, p.nextToken()));
  }

  static Labels readLabels(String json) {
    return read(
        json,
        p -> {
          Map<String, String> labels = new TreeMap<>();
          expect(p.nextToken(), JsonToken.START_OBJECT);
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = PgText.unescape(p.currentName());
            p.nextToken();
            labels.put(name, PgText.unescape(p.getText()));
          }
          return Labels.of(labels);
        });
  }

  static List<SpanEvent> readEvents(String json) {
    if (json == null || json.equals("[]")) {
      return List.of();
    }
    return read(
        json,
        p -> {
          List<SpanEvent> events = new ArrayList<>();
          expect(p.nextToken(), JsonToken.START_ARRAY);
          while (p.nextToken() == JsonToken.START_OBJECT) {
            String name = "";
            long time = 0;
            Map<String, Object> attributes = Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              JsonToken token = p.nextToken();
              switch (field) {
                case "name" -> name = PgText.unescape(p.getText());
                case "time" -> time = p.getLongValue();
                case "attributes" -> attributes = readObject(p, token);
                default -> p.skipChildren();
              }
            }
            events.add(new SpanEvent(name, time, attributes));
          }
          return events;
        });
  }

  static List<SpanLink> readLinks(String json) {
    if (json == null || json.equals("[]")) {
      return List.of();
    }
    return read(
        json,
        p -> {
          List<SpanLink> links = new ArrayList<>();
          expect(p.nextToken(), JsonToken.START_ARRAY);
          while (p.nextToken() == JsonToken.START_OBJECT) {
            String traceId = "";
            String spanId = "";
            Map<String, Object> attributes = Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              JsonToken token = p.nextToken();
              switch (field) {
                case "traceId" -> traceId = p.getText();
                case "spanId" -> spanId = p.getText();
                case "attributes" -> attributes = readObject(p, token);
                default -> p.skipChildren();
              }
            }
            links.add(new SpanLink(traceId, spanId, attributes));
          }
          return links;
        });
  }

  private interface Reading<T> {
    T from(JsonParser parser) throws IOException;
  }

  private static <T> T read(String json, Reading<T> reading) {
    try (JsonParser parser = JSON.createParser(json)) {
      return reading.from(parser);
    } catch (IOException | NumberFormatException e) {
      throw new StorageException(Code.INTERNAL, "stored JSON is corrupt: " + e.getMessage(), e);
    }
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + expected + " but found " + actual);
    }
  }

  private static List<String> readStrings(JsonParser p, JsonToken start) throws IOException {
    expect(start, JsonToken.START_ARRAY);
    List<String> strings = new ArrayList<>();
    while (p.nextToken() == JsonToken.VALUE_STRING) {
      strings.add(PgText.unescape(p.getText()));
    }
    return strings;
  }

  /** A top-level attribute object: its keys are stored as they are (escaped), never marked. */
  private static Map<String, Object> readObject(JsonParser p, JsonToken start) throws IOException {
    expect(start, JsonToken.START_OBJECT);
    Map<String, Object> map = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = PgText.unescape(p.currentName());
      map.put(key, readValue(p, p.nextToken()));
    }
    return map;
  }

  private static Object readValue(JsonParser p, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> PgText.unescape(p.getText());
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      case VALUE_NUMBER_INT -> Long.parseLong(p.getText());
      case VALUE_NUMBER_FLOAT -> Double.parseDouble(p.getText());
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          list.add(readValue(p, next));
        }
        yield Collections.unmodifiableList(list);
      }
      case START_OBJECT -> readNested(p);
      default -> throw new IOException("unexpected " + token);
    };
  }

  /** A nested map, or a double written as a marker object. */
  private static Object readNested(JsonParser p) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken token = p.nextToken();
      if (key.equals(DOUBLE_MARKER) && map.isEmpty() && token == JsonToken.VALUE_STRING) {
        double value = Double.parseDouble(p.getText());
        if (p.nextToken() == JsonToken.END_OBJECT) {
          return value;
        }
        throw new IOException("a double marker with more keys");
      }
      map.put(PgText.unescape(key.startsWith("$") ? key.substring(1) : key), readValue(p, token));
    }
    return Collections.unmodifiableMap(map);
  }
}
