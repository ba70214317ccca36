package dev.sextant.tracespec.junit;

import dev.sextant.model.Span;
import dev.sextant.tracespec.MatchResult;
import dev.sextant.tracespec.RecordOptions;
import dev.sextant.tracespec.SpecFormat;
import dev.sextant.tracespec.SpecParser;
import dev.sextant.tracespec.SpecWriter;
import dev.sextant.tracespec.TraceMatcher;
import dev.sextant.tracespec.TraceRecorder;
import dev.sextant.tracespec.TraceSpec;
import dev.sextant.tracespec.TraceTelemetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Golden trace specs for one test class, injected by {@link TraceSpecExtension}. Specs are read
 * from the classpath under {@code tracespec/}. When a trace does not match, the spec recorded from
 * it is written to {@code target/tracespec/<TestClass>/<name>} so the difference can be reviewed
 * and, if wanted, copied over the golden file. With {@code -Dtracespec.record=true} nothing is
 * asserted: every golden file is (re)written under {@code src/test/resources/tracespec/}.
 */
public final class TraceSpecs {
  /** The system property that turns assertions into recording. */
  public static final String RECORD_PROPERTY = "tracespec.record";

  private final Class<?> testClass;
  private final Path projectDir;

  TraceSpecs(Class<?> testClass, Path projectDir) {
    this.testClass = testClass;
    this.projectDir = projectDir;
  }

  /**
   * Asserts that {@code spans} (one trace) match the spec {@code tracespec/<name>} (YAML, or JSON
   * when the name ends in {@code .json}).
   *
   * @throws AssertionError with the side-by-side report
   */
  public MatchResult assertMatches(String name, List<Span> spans) {
    return assertMatches(name, TraceTelemetry.ofSpans(spans));
  }

  /**
   * As {@link #assertMatches(String, List)}, for a spec that also expects metrics and logs: {@code
   * trace} carries the trace's logs and the metric series the spec names, with their samples (see
   * {@link TraceTelemetry#metricRange}). Recording writes the spans and the logs.
   */
  public MatchResult assertMatches(String name, TraceTelemetry trace) {
    SpecFormat format = name.endsWith(".json") ? SpecFormat.JSON : SpecFormat.YAML;
    if (Boolean.getBoolean(RECORD_PROPERTY)) {
      write(projectDir.resolve("src/test/resources/tracespec").resolve(name), trace, format);
      return TraceMatcher.check(recorded(trace), trace);
    }
    MatchResult result = TraceMatcher.check(SpecParser.parse(read(name), format), trace);
    if (!result.matched()) {
      Path actual =
          projectDir.resolve("target/tracespec").resolve(testClass.getSimpleName()).resolve(name);
      write(actual, trace, format);
      throw new AssertionError(
          "trace does not match tracespec/"
              + name
              + " (recorded actual: "
              + actual
              + ", or rerun with -D"
              + RECORD_PROPERTY
              + "=true)\n"
              + result.report());
    }
    return result;
  }

  private String read(String name) {
    try (InputStream in = testClass.getClassLoader().getResourceAsStream("tracespec/" + name)) {
      if (in == null) {
        throw new AssertionError(
            "no spec tracespec/"
                + name
                + " on the test classpath; record one with -D"
                + RECORD_PROPERTY
                + "=true");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TraceSpec recorded(TraceTelemetry trace) {
    return TraceRecorder.record(trace.spans(), trace.logs(), RecordOptions.defaults());
  }

  private static void write(Path file, TraceTelemetry trace, SpecFormat format) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, SpecWriter.write(recorded(trace), format));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
