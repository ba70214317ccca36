package dev.sextant.aggregator.guardrails;

import dev.sextant.model.Labels;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The label rules of the guardrails: deny list, per-metric allow list, UUID-valued labels, value
 * length. A denied name matches loosely, so one entry covers the spellings SDKs use: {@code
 * user_id} denies {@code user_id}, {@code userId}, {@code user.id} and {@code mastra.user_id} (the
 * name in lower case without separators ends with the entry so written).
 */
final class LabelRules {
  private final List<String> denied;
  private final Map<String, Set<String>> allowed;
  private final boolean blockUuids;
  private final Set<String> uuidExempt;
  private final int maxValueLength;

  LabelRules(GuardrailSettings settings) {
    this.denied = settings.deniedLabels().stream().map(LabelRules::loose).toList();
    this.allowed = settings.allowedLabels();
    this.blockUuids = settings.blockUuidValues();
    this.uuidExempt = settings.uuidExemptLabels();
    this.maxValueLength = settings.maxLabelValueLength();
  }

  /** The labels after the rules, and which rules changed them (with a label each, for messages). */
  record Outcome(Labels labels, Map<GuardrailHit, String> hits) {
    boolean changed() {
      return !hits.isEmpty();
    }
  }

  Outcome apply(String metric, Labels labels) {
    Map<GuardrailHit, String> hits = new EnumMap<>(GuardrailHit.class);
    Set<String> allowList = allowed.get(metric);
    TreeMap<String, String> kept = new TreeMap<>();
    for (Map.Entry<String, String> label : labels.asMap().entrySet()) {
      String name = label.getKey();
      String value = label.getValue();
      if (allowList != null && !allowList.contains(name)) {
        hits.putIfAbsent(GuardrailHit.NOT_ALLOWED_LABEL, name);
        continue;
      }
      if (allowList == null && isDenied(name)) {
        hits.putIfAbsent(GuardrailHit.DENIED_LABEL, name);
        continue;
      }
      if (blockUuids && !uuidExempt.contains(name) && isUuid(value)) {
        hits.putIfAbsent(GuardrailHit.UUID_LABEL, name);
        continue;
      }
      if (value.length() > maxValueLength) {
        hits.putIfAbsent(GuardrailHit.LONG_LABEL_VALUE, name);
        value = cut(value);
      }
      kept.put(name, value);
    }
    return hits.isEmpty()
        ? new Outcome(labels, Map.of())
        : new Outcome(Labels.of(new LinkedHashMap<>(kept)), hits);
  }

  /** Cut at the limit without splitting a surrogate pair. */
  private String cut(String value) {
    int end = maxValueLength;
    if (Character.isHighSurrogate(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(0, end);
  }

  /** By label name: label names are few and asked about on every point. */
  private final ConcurrentHashMap<String, Boolean> deniedByName = new ConcurrentHashMap<>();

  private static final int MAX_REMEMBERED_NAMES = 100_000;

  private boolean isDenied(String name) {
    Boolean known = deniedByName.get(name);
    if (known != null) {
      return known;
    }
    String loose = loose(name);
    boolean deny = false;
    for (String entry : denied) {
      if (loose.endsWith(entry)) {
        deny = true;
        break;
      }
    }
    if (deniedByName.size() < MAX_REMEMBERED_NAMES) {
      deniedByName.put(name, deny);
    }
    return deny;
  }

  /** Lower case, letters and digits only: "mastra.runId" is "mastrarunid". */
  static String loose(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        out.append(c);
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /** 8-4-4-4-12 hex digits, either case. */
  static boolean isUuid(String value) {
    if (value.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = value.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : Character.digit(c, 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
