package dev.sextant.ingest;

import static io.restassured.RestAssured.given;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Posting OTLP/HTTP requests and reading the answers, in tests. */
public final class OtlpHttp {
  public static final String PROTOBUF = "application/x-protobuf";
  public static final String JSON = "application/json";

  private static final RestAssuredConfig RAW =
      RestAssuredConfig.config()
          .encoderConfig(
              EncoderConfig.encoderConfig()
                  .appendDefaultContentCharsetToContentTypeIfUndefined(false));

  private OtlpHttp() {}

  public static Response post(String path, String contentType, byte[] body) {
    return given().config(RAW).contentType(contentType).body(body).post(path);
  }

  public static Response postGzip(String path, String contentType, byte[] body) {
    return given()
        .config(RAW)
        .contentType(contentType)
        .header("Content-Encoding", "gzip")
        .body(gzip(body))
        .post(path);
  }

  public static Response postProtobuf(String path, Message message) {
    return post(path, PROTOBUF, message.toByteArray());
  }

  public static Response postJson(String path, String json) {
    return post(path, JSON, json.getBytes(StandardCharsets.UTF_8));
  }

  /** The answer decoded in the encoding it declares. */
  @SuppressWarnings("unchecked")
  public static <M extends Message> M answer(Response response, M prototype) {
    try {
      String contentType = response.getContentType();
      if (contentType.startsWith(PROTOBUF)) {
        return (M) prototype.getParserForType().parseFrom(response.asByteArray());
      }
      if (contentType.startsWith(JSON)) {
        Message.Builder builder = prototype.newBuilderForType();
        JsonFormat.parser().merge(response.asString(), builder);
        return (M) builder.build();
      }
      throw new AssertionError("unexpected content type " + contentType);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("undecodable answer", e);
    }
  }

  public static com.google.rpc.Status status(Response response) {
    return answer(response, com.google.rpc.Status.getDefaultInstance());
  }

  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
