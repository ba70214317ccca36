package dev.sextant.storage.sqlite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sextant.model.Labels;
import dev.sextant.model.SpanEvent;
import dev.sextant.model.SpanLink;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attribute values as JSON text, written and read with jackson-core's streaming API and keeping
 * every value's Java type: JSON integers are {@code Long}, JSON numbers with a fraction or exponent
 * are {@code Double} (Jackson writes doubles in Java's shortest form, which always has one), {@code
 * true}/{@code false} are {@code Boolean}, strings, arrays and objects are {@code String}, {@code
 * List} and {@code Map}; object key order is kept.
 *
 * <p>JSON numbers cannot carry NaN, the infinities or the sign of zero (SQLite's JSON functions
 * also read {@code -0.0} as 0), so those doubles are written as an object with the single key
 * {@value #DOUBLE_MARKER} and Java's text for the value: {@code {"$double":"NaN"}}, {@code
 * "Infinity"}, {@code "-Infinity"}, {@code "-0.0"}. So that a real map can never look like one,
 * keys of nested maps that start with {@code $} get one more {@code $} in front. Top-level
 * attribute keys are written as they are: the top level is always a map, never a marker.
 */
final class AttributeJson {
  static final String DOUBLE_MARKER = "$double";

  // No separator between root values: one generator per thread writes value after value (below).
  private static final JsonFactory JSON =
      new JsonFactoryBuilder().rootValueSeparator((String) null).build();

  /**
   * A generator kept per thread: creating one per value (its context, buffers and writer) was a
   * fifth of the ingest's CPU per span, which writes four JSON texts per span on the store's writer
   * thread.
   */
  private static final ThreadLocal<Encoder> ENCODER = ThreadLocal.withInitial(Encoder::new);

  private AttributeJson() {}

  // ------------------------------------------------------------------ writing

  /** A top-level attribute map. */
  static String attributes(Map<String, Object> attributes) {
    if (attributes.isEmpty()) {
      return "{}";
    }
    return write(g -> writeAttributes(g, attributes));
  }

  /** One attribute value, e.g. a log body. */
  static String value(Object value) {
    return write(g -> writeValue(g, value));
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
            g.writeStringField("name", event.name());
            g.writeNumberField("time", event.timeUnixNanos());
            g.writeFieldName("attributes");
            writeAttributes(g, event.attributes());
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
            writeAttributes(g, link.attributes());
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  static String labels(Labels labels) {
    return write(
        g -> {
          g.writeStartObject();
          for (Map.Entry<String, String> label : labels.asMap().entrySet()) {
            g.writeStringField(label.getKey(), label.getValue());
          }
          g.writeEndObject();
        });
  }

  private interface Writing {
    void to(JsonGenerator generator) throws IOException;
  }

  private static String write(Writing writing) {
    Encoder encoder = ENCODER.get();
    try {
      writing.to(encoder.generator);
      encoder.generator.flush();
      return encoder.out.take();
    } catch (IOException e) {
      ENCODER.remove();
      throw new UncheckedIOException("writing JSON to a string", e);
    } catch (RuntimeException e) {
      ENCODER.remove(); // a value failed halfway: the generator's state is unknown
      throw e;
    }
  }

  private static final class Encoder {
    final TextBuffer out = new TextBuffer();
    final JsonGenerator generator;

    Encoder() {
      try {
        generator = JSON.createGenerator(out);
      } catch (IOException e) {
        throw new UncheckedIOException("creating a JSON generator", e);
      }
    }
  }

  /** An unsynchronised writer into a StringBuilder that is emptied by {@link #take()}. */
  private static final class TextBuffer extends Writer {
    private static final int KEEP_CAPACITY = 64 * 1024;
    private StringBuilder text = new StringBuilder(512);

    @Override
    public void write(char[] chars, int offset, int length) {
      text.append(chars, offset, length);
    }

    @Override
    public void write(String string, int offset, int length) {
      text.append(string, offset, offset + length);
    }

    String take() {
      String result = text.toString();
      if (text.capacity() > KEEP_CAPACITY) {
        text = new StringBuilder(512); // do not hold on to one huge value's buffer
      } else {
        text.setLength(0);
      }
      return result;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private static void writeAttributes(JsonGenerator g, Map<String, Object> attributes)
      throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, Object> attribute : attributes.entrySet()) {
      g.writeFieldName(attribute.getKey());
      writeValue(g, attribute.getValue());
    }
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, Object value) throws IOException {
    switch (value) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Boolean b -> g.writeBoolean(b);
      case Long l -> g.writeNumber(l);
      case Integer i -> g.writeNumber((long) i);
      case Double d -> writeDouble(g, d);
      case List<?> list -> {
        g.writeStartArray();
        for (Object element : list) {
          writeValue(g, element);
        }
        g.writeEndArray();
      }
      case Map<?, ?> map -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          String key = String.valueOf(entry.getKey());
          g.writeFieldName(key.startsWith("$") ? "$" + key : key);
          writeValue(g, entry.getValue());
        }
        g.writeEndObject();
      }
      default ->
          throw new StorageException(
              Code.INVALID_ARGUMENT,
              "an attribute value cannot be a " + value.getClass().getName());
    }
  }

  private static void writeDouble(JsonGenerator g, double d) throws IOException {
    if (needsMarker(d)) {
      g.writeStartObject();
      g.writeStringField(DOUBLE_MARKER, Double.toString(d));
      g.writeEndObject();
    } else {
      g.writeNumber(d);
    }
  }

  /** NaN, the infinities and -0.0: what a JSON number (or SQLite's reading of one) loses. */
  static boolean needsMarker(double d) {
    return !Double.isFinite(d) || (d == 0 && Double.doubleToRawLongBits(d) != 0);
  }

  // ------------------------------------------------------------------ reading

  static Map<String, Object> readAttributes(String json) {
    if (json.equals("{}")) {
      return Map.of();
    }
    return read(json, p -> readAttributes(p, p.nextToken()));
  }

  static Object readValue(String json) {
    return read(json, p -> readValue(p, p.nextToken()));
  }

  static List<SpanEvent> readEvents(String json) {
    if (json.equals("[]")) {
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
                case "name" -> name = p.getText();
                case "time" -> time = p.getLongValue();
                case "attributes" -> attributes = readAttributes(p, token);
                default -> p.skipChildren();
              }
            }
            events.add(new SpanEvent(name, time, attributes));
          }
          return events;
        });
  }

  static List<SpanLink> readLinks(String json) {
    if (json.equals("[]")) {
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
                case "attributes" -> attributes = readAttributes(p, token);
                default -> p.skipChildren();
              }
            }
            links.add(new SpanLink(traceId, spanId, attributes));
          }
          return links;
        });
  }

  static Labels readLabels(String json) {
    return read(
        json,
        p -> {
          Map<String, String> labels = new TreeMap<>();
          expect(p.nextToken(), JsonToken.START_OBJECT);
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            labels.put(name, p.getText());
          }
          return Labels.of(labels);
        });
  }

  private interface Reading<T> {
    T from(JsonParser parser) throws IOException;
  }

  private static <T> T read(String json, Reading<T> reading) {
    try (JsonParser parser = JSON.createParser(json)) {
      return reading.from(parser);
    } catch (IOException e) {
      throw new StorageException(Code.INTERNAL, "stored JSON is corrupt: " + e.getMessage(), e);
    }
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + expected + " but found " + actual);
    }
  }

  private static Map<String, Object> readAttributes(JsonParser p, JsonToken start)
      throws IOException {
    expect(start, JsonToken.START_OBJECT);
    Map<String, Object> attributes = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      attributes.put(key, readValue(p, p.nextToken()));
    }
    return attributes;
  }

  private static Object readValue(JsonParser p, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> p.getText();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      case VALUE_NUMBER_INT -> p.getLongValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          list.add(readValue(p, next));
        }
        yield Collections.unmodifiableList(list);
      }
      case START_OBJECT -> readNestedObject(p);
      default -> throw new IOException("unexpected " + token);
    };
  }

  /** A nested map, or a double written as a marker object. */
  private static Object readNestedObject(JsonParser p) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken token = p.nextToken();
      if (key.equals(DOUBLE_MARKER) && map.isEmpty() && token == JsonToken.VALUE_STRING) {
        double value = Double.parseDouble(p.getText());
        expect(p.nextToken(), JsonToken.END_OBJECT);
        return value;
      }
      map.put(key.startsWith("$") ? key.substring(1) : key, readValue(p, token));
    }
    return Collections.unmodifiableMap(map);
  }
}
