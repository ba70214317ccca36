package dev.sextant.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code kubectl kustomize}, offline. Takes the {@code kubectl} on the PATH; on a machine without
 * one, installs Debian's {@code kubernetes-client} with apt (its kubectl 1.20 carries kustomize
 * v2.0.3, which the manifests are written for as well as for v5). Never skips: a kubectl that
 * cannot be found or installed fails the tests.
 */
final class Kubectl {
  private static String executable;

  private Kubectl() {}

  /** The rendered manifests of a kustomization directory. */
  static String kustomize(Path dir) {
    Result result = run(List.of(executable(), "kustomize", dir.toString()), 60);
    if (result.exit != 0) {
      throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + result.output);
    }
    return result.stdout;
  }

  static synchronized String executable() {
    if (executable == null) {
      executable = onPath().orElseGet(Kubectl::install);
    }
    return executable;
  }

  private static java.util.Optional<String> onPath() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return java.util.Optional.of(candidate.toString());
      }
    }
    return java.util.Optional.empty();
  }

  private static String install() {
    List<String> sudo =
        "root".equals(System.getProperty("user.name")) ? List.of() : List.of("sudo");
    for (List<String> step :
        List.of(
            List.of("apt-get", "update", "-q"),
            List.of("apt-get", "install", "-y", "-q", "kubernetes-client"))) {
      List<String> command = new ArrayList<>(sudo);
      command.addAll(step);
      Result result = run(command, 600);
      if (result.exit != 0) {
        throw new AssertionError(
            "kubectl is missing and installing Debian's kubernetes-client failed ("
                + String.join(" ", command)
                + "):\n"
                + result.output);
      }
    }
    return onPath()
        .orElseThrow(
            () -> new AssertionError("kubernetes-client was installed but kubectl is not on PATH"));
  }

  private record Result(int exit, String stdout, String output) {}

  private static Result run(List<String> command, int timeoutSeconds) {
    try {
      Path out = Files.createTempFile("kubectl", ".out");
      Path err = Files.createTempFile("kubectl", ".err");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError(
              String.join(" ", command) + " took over " + timeoutSeconds + "s");
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        return new Result(process.exitValue(), stdout, stdout + stderr);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
