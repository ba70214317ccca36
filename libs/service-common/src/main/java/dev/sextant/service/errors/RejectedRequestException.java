package dev.sextant.service.errors;

/** A request a service refuses as a whole, with the kind of answer it deserves. */
public final class RejectedRequestException extends RuntimeException {
  private final Failures.Kind kind;

  public RejectedRequestException(Failures.Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public static RejectedRequestException badInput(String message) {
    return new RejectedRequestException(Failures.Kind.BAD_INPUT, message);
  }

  public static RejectedRequestException overloaded(String message) {
    return new RejectedRequestException(Failures.Kind.OVERLOADED, message);
  }

  public static RejectedRequestException unavailable(String message) {
    return new RejectedRequestException(Failures.Kind.UNAVAILABLE, message);
  }

  public Failures.Kind kind() {
    return kind;
  }
}
