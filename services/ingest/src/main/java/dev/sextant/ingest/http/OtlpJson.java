package dev.sextant.ingest.http;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.sextant.service.errors.RejectedRequestException;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * OTLP JSON: protobuf's JSON mapping (lowerCamelCase names, enums as integers, 64-bit integers as
 * strings or numbers, unknown fields ignored) except that trace and span ids are hex, not base64.
 * The ids are rewritten to base64 in one streaming pass before JsonFormat reads the document.
 */
final class OtlpJson {
  /** Fields holding ids, wherever they occur (spans, links, log records, exemplars). */
  private static final Set<String> ID_FIELDS =
      Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");

  /**
   * What an id that is not hex becomes: one byte, which no id may be, so the record carrying it is
   * rejected on its own with the usual id reason instead of failing the whole request.
   */
  private static final String NOT_HEX = Base64.getEncoder().encodeToString(new byte[] {0});

  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private OtlpJson() {}

  static <B extends Message.Builder> B parse(byte[] utf8, B builder) {
    char[] text = decodeUtf8(utf8);
    String json;
    try {
      json = idsToBase64(text);
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw RejectedRequestException.badInput("malformed JSON: " + e.getMessage());
    }
    try {
      PARSER.merge(json, builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw RejectedRequestException.badInput("malformed OTLP JSON: " + e.getMessage());
    }
    return builder;
  }

  static String print(MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }

  /** Strict UTF-8: a malformed byte sequence is bad input, never silently replaced. */
  private static char[] decodeUtf8(byte[] utf8) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8));
      char[] text = new char[chars.remaining()];
      chars.get(text);
      return text;
    } catch (CharacterCodingException e) {
      throw RejectedRequestException.badInput("request body is not valid UTF-8");
    }
  }

  /** Copies the document token by token, turning the hex ids into base64. */
  private static String idsToBase64(char[] text) throws IOException {
    JsonReader reader = new JsonReader(new CharArrayReader(text));
    reader.setStrictness(Strictness.STRICT);
    StringWriter out = new StringWriter(text.length + 64);
    JsonWriter writer = new JsonWriter(out);
    writer.setStrictness(Strictness.LENIENT);
    writer.setSerializeNulls(true);
    // The name of the field whose value comes next; only a scalar right after it can be an id.
    String name = null;
    while (true) {
      JsonToken token = reader.peek();
      switch (token) {
        case BEGIN_OBJECT -> {
          reader.beginObject();
          writer.beginObject();
          name = null;
        }
        case END_OBJECT -> {
          reader.endObject();
          writer.endObject();
        }
        case BEGIN_ARRAY -> {
          reader.beginArray();
          writer.beginArray();
          name = null;
        }
        case END_ARRAY -> {
          reader.endArray();
          writer.endArray();
        }
        case NAME -> {
          name = reader.nextName();
          writer.name(name);
        }
        case STRING -> {
          String value = reader.nextString();
          writer.value(name != null && ID_FIELDS.contains(name) ? hexToBase64(value) : value);
          name = null;
        }
        case NUMBER -> {
          // The literal as written: a reader in strict mode only yields valid JSON numbers.
          writer.jsonValue(reader.nextString());
          name = null;
        }
        case BOOLEAN -> {
          writer.value(reader.nextBoolean());
          name = null;
        }
        case NULL -> {
          reader.nextNull();
          writer.nullValue();
          name = null;
        }
        case END_DOCUMENT -> {
          writer.flush();
          return out.toString();
        }
      }
    }
  }

  private static String hexToBase64(String hex) {
    try {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      return NOT_HEX;
    }
  }
}
