package dev.sextant.query.selector;

import dev.sextant.promql.parser.ParseException;
import dev.sextant.promql.parser.Parser;
import dev.sextant.storage.query.LabelMatcher;
import java.util.List;

/**
 * Parses one PromQL vector selector into label matchers, through the PromQL parser of {@code
 * sextant-promql}: {@code metric_name}, {@code metric_name{label="v", re=~"a.*"}} or {@code
 * {__name__="m", ...}}, with Prometheus 3's quoted names for metrics and labels that are not
 * identifiers ({@code {"gen_ai.client.token.usage", "service.name"="api"}}). Nothing else of PromQL
 * is accepted here (no ranges, offsets, functions or operators).
 *
 * <p>Errors are {@link SelectorSyntaxException}s naming the 1-based character position, with the
 * PromQL parser's (Prometheus's) wording.
 */
public final class SelectorParser {
  private SelectorParser() {}

  public static List<LabelMatcher> parse(String selector) {
    try {
      return Parser.parseSelector(selector).matchers();
    } catch (ParseException e) {
      throw new SelectorSyntaxException(e.position(), e.reason());
    }
  }
}
