package dev.sextant.ingest.cost;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The versioned price table shipped with ingest ({@code prices.tsv}, its header cites the source
 * and date): USD per million tokens by provider, model, token type and input-size tier.
 */
public final class PriceTable {
  static final String RESOURCE = "/dev/sextant/ingest/cost/prices.tsv";

  /** One rate: applies from {@code minInputTokens} input tokens up. */
  record Rate(long minInputTokens, double usdPerMillion) {}

  private final String version;
  private final Map<String, Map<TokenType, List<Rate>>> byModel;

  private PriceTable(String version, Map<String, Map<TokenType, List<Rate>>> byModel) {
    this.version = version;
    this.byModel = byModel;
  }

  public static PriceTable bundled() {
    try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing " + RESOURCE);
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PriceTable parse(BufferedReader reader) throws IOException {
    String version = "unversioned";
    Map<String, Map<TokenType, List<Rate>>> rates = new HashMap<>();
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.startsWith("# Sextant price table, version ")) {
        version = line.substring("# Sextant price table, version ".length()).strip();
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      if (f.length != 5) {
        throw new IllegalArgumentException("price table line needs 5 columns: " + line);
      }
      rates
          .computeIfAbsent(key(f[0], f[1]), k -> new HashMap<>())
          .computeIfAbsent(TokenType.valueOf(f[2].toUpperCase(Locale.ROOT)), t -> new ArrayList<>())
          .add(new Rate(Long.parseLong(f[4]), Double.parseDouble(f[3])));
    }
    return new PriceTable(version, rates);
  }

  public String version() {
    return version;
  }

  /** The prices of a model, or null when the table has none (see {@link #key}). */
  Map<TokenType, List<Rate>> model(String provider, String model) {
    String normalizedProvider = provider(provider);
    String name = model.toLowerCase(Locale.ROOT).strip();
    for (String candidate :
        List.of(
            name,
            name.replaceAll("-\\d{8}$", ""),
            name.replaceAll("-\\d{4}-\\d{2}-\\d{2}$", ""),
            name.replaceAll("-latest$", ""))) {
      Map<TokenType, List<Rate>> found = byModel.get(key(normalizedProvider, candidate));
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** {@code openai.chat} and {@code OpenAI} are both {@code openai}: the part before a dot. */
  static String provider(String provider) {
    String lower = provider.toLowerCase(Locale.ROOT).strip();
    int dot = lower.indexOf('.');
    return dot > 0 ? lower.substring(0, dot) : lower;
  }

  private static String key(String provider, String model) {
    return provider(provider) + "::" + model.toLowerCase(Locale.ROOT).strip();
  }

  /** The rate of a token type for a request with this many input tokens, or null. */
  static Double rate(Map<TokenType, List<Rate>> prices, TokenType type, long inputTokens) {
    List<Rate> rates = prices.get(type);
    if (rates == null) {
      return null;
    }
    Rate best = null;
    for (Rate rate : rates) {
      if (inputTokens >= rate.minInputTokens()
          && (best == null || rate.minInputTokens() > best.minInputTokens())) {
        best = rate;
      }
    }
    return best == null ? null : best.usdPerMillion();
  }
}
