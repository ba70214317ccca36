package dev.sextant.ingest.http;

import java.util.Locale;

/** The two OTLP/HTTP encodings; responses use the request's. */
enum OtlpContentType {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private final String mediaType;

  OtlpContentType(String mediaType) {
    this.mediaType = mediaType;
  }

  String mediaType() {
    return mediaType;
  }

  /** The encoding of a Content-Type header (parameters such as charset ignored), or null. */
  static OtlpContentType of(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .strip()
            .toLowerCase(Locale.ROOT);
    for (OtlpContentType type : values()) {
      if (type.mediaType.equals(mediaType)) {
        return type;
      }
    }
    return null;
  }
}
