package dev.sextant.tracespec;

import java.util.List;

/**
 * How {@link TraceRecorder} turns a trace into a spec.
 *
 * @param volatileAttributes globs of attribute keys left out of the spec: values that differ from
 *     run to run (ids, timestamps, token usage, model output)
 * @param generaliseCounts write {@code count: "1.."} where a run of identical siblings was seen,
 *     instead of the exact number
 * @param service whether each matcher names the span's service
 */
public record RecordOptions(
    List<String> volatileAttributes, boolean generaliseCounts, boolean service) {

  /** The attribute keys dropped by default. */
  public static final List<String> DEFAULT_VOLATILE =
      List.of(
          "*.id",
          "*_id",
          "*Id",
          "*.ids",
          "*time*",
          "*timestamp*",
          "*duration*",
          "*latency*",
          "gen_ai.usage.*",
          "gen_ai.response.*",
          "gen_ai.prompt*",
          "gen_ai.completion*",
          "gen_ai.input.messages",
          "gen_ai.output.messages",
          "mastra.input",
          "mastra.output",
          "mastra.*.input",
          "mastra.*.output",
          "mastra.request_context",
          "mastra.metadata.*",
          "sextant.cost.*",
          "http.request.header.*",
          "http.response.header.*",
          "thread.name");

  public RecordOptions {
    volatileAttributes = List.copyOf(volatileAttributes);
  }

  public static RecordOptions defaults() {
    return new RecordOptions(DEFAULT_VOLATILE, false, false);
  }

  public RecordOptions withGeneraliseCounts(boolean generalise) {
    return new RecordOptions(volatileAttributes, generalise, service);
  }
}
