package dev.sextant.storage;

/** The health of a backend: {@code ok}, or why not. */
public record CheckResult(boolean ok, String detail) {
  public static final CheckResult OK = new CheckResult(true, "");

  public static CheckResult failed(Throwable cause) {
    return new CheckResult(false, cause.getClass().getSimpleName() + ": " + cause.getMessage());
  }
}
