package dev.sextant.retention;

/**
 * A request the API refuses, with the kind of answer it gets: REST status and {@code errorType},
 * gRPC status.
 */
final class ApiProblem extends RuntimeException {

  enum Kind {
    /** 400 {@code bad_data}, gRPC INVALID_ARGUMENT. */
    BAD_DATA,
    /** 403 {@code forbidden}, gRPC PERMISSION_DENIED. */
    FORBIDDEN,
    /** 404 {@code not_found}, gRPC NOT_FOUND. */
    NOT_FOUND,
    /** 409 {@code conflict}, gRPC FAILED_PRECONDITION. */
    CONFLICT
  }

  private final Kind kind;

  ApiProblem(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }

  static ApiProblem badData(String message) {
    return new ApiProblem(Kind.BAD_DATA, message);
  }

  static ApiProblem notFound(String message) {
    return new ApiProblem(Kind.NOT_FOUND, message);
  }

  static ApiProblem forbidden(String message) {
    return new ApiProblem(Kind.FORBIDDEN, message);
  }

  static ApiProblem conflict(String message) {
    return new ApiProblem(Kind.CONFLICT, message);
  }
}
