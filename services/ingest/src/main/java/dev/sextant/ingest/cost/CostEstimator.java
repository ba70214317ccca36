package dev.sextant.ingest.cost;

import dev.sextant.model.MastraAttributes;
import dev.sextant.model.Span;
import dev.sextant.model.SpanKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prices model calls: a span of kind CLIENT with token usage (the one span per model call, see ADR
 * 0010) gets {@code sextant.cost.*} from the price table, unless the client sent a cost, which
 * wins. Each token is priced once: input tokens include the cached ones, so the uncached rest is
 * priced at the input rate and the cached parts at theirs; output tokens include reasoning, priced
 * at the output rate. Detail counts are never added to the totals.
 */
public final class CostEstimator {
  private final PriceTable table;

  public CostEstimator(PriceTable table) {
    this.table = table;
  }

  public List<Span> price(List<Span> spans) {
    List<Span> priced = null;
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      Span withCost = price(span);
      if (withCost != span) {
        if (priced == null) {
          priced = new ArrayList<>(spans);
        }
        priced.set(i, withCost);
      }
    }
    return priced == null ? spans : priced;
  }

  Span price(Span span) {
    Map<String, Object> attributes = span.attributes();
    if (span.kind() != SpanKind.CLIENT
        || attributes.containsKey(MastraAttributes.COST_AMOUNT)
        || !(attributes.get(MastraAttributes.USAGE_INPUT) instanceof Number)
            && !(attributes.get(MastraAttributes.USAGE_OUTPUT) instanceof Number)) {
      return span;
    }
    String provider = MastraAttributes.text(attributes, MastraAttributes.GEN_AI_PROVIDER);
    String model = MastraAttributes.text(attributes, MastraAttributes.GEN_AI_RESPONSE_MODEL);
    if (model == null) {
      model = MastraAttributes.text(attributes, MastraAttributes.GEN_AI_REQUEST_MODEL);
    }
    if (provider == null || model == null) {
      return span;
    }
    Map<TokenType, List<PriceTable.Rate>> prices = table.model(provider, model);
    if (prices == null) {
      return span;
    }
    long input = tokens(attributes, MastraAttributes.USAGE_INPUT);
    long cacheRead = tokens(attributes, MastraAttributes.USAGE_CACHE_READ);
    long cacheWrite = tokens(attributes, MastraAttributes.USAGE_CACHE_WRITE);
    long output = tokens(attributes, MastraAttributes.USAGE_OUTPUT);
    double inputRate = orZero(PriceTable.rate(prices, TokenType.INPUT, input));
    Double readRate = PriceTable.rate(prices, TokenType.CACHE_READ, input);
    Double writeRate = PriceTable.rate(prices, TokenType.CACHE_WRITE, input);
    long uncached = Math.max(0, input - cacheRead - cacheWrite);
    double usd =
        (uncached * inputRate
                + cacheRead * (readRate == null ? inputRate : readRate)
                + cacheWrite * (writeRate == null ? inputRate : writeRate)
                + output * orZero(PriceTable.rate(prices, TokenType.OUTPUT, input)))
            / 1_000_000.0;
    Map<String, Object> withCost = new LinkedHashMap<>(attributes);
    withCost.put(MastraAttributes.COST_AMOUNT, usd);
    withCost.put(MastraAttributes.COST_UNIT, "USD");
    withCost.put(MastraAttributes.COST_SOURCE, "price_table");
    withCost.put(
        MastraAttributes.COST_PRICING,
        table.version() + ":" + PriceTable.provider(provider) + "/" + model);
    return span.withAttributes(withCost);
  }

  private static long tokens(Map<String, Object> attributes, String key) {
    return attributes.get(key) instanceof Number n ? Math.max(0, n.longValue()) : 0;
  }

  private static double orZero(Double rate) {
    return rate == null ? 0 : rate;
  }
}
