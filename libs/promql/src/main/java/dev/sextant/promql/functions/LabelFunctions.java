package dev.sextant.promql.functions;

import dev.sextant.model.Labels;
import dev.sextant.promql.parser.Matchers;
import dev.sextant.promql.value.LabelSets;
import dev.sextant.promql.value.StepSeries;
import dev.sextant.promql.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** label_replace and label_join: new labels per series, values untouched, names kept. */
final class LabelFunctions {
  private LabelFunctions() {}

  static void register(Map<String, FunctionImpl> r) {
    r.put("label_replace", (InstantFunction) (args, exprs, steps) -> replace(args));
    r.put("label_join", (InstantFunction) (args, exprs, steps) -> join(args));
  }

  private static String str(Value v) {
    return ((Value.Str) v).value();
  }

  private static Value replace(List<Value> args) {
    String dst = str(args.get(1));
    String replacement = str(args.get(2));
    String src = str(args.get(3));
    String regex = str(args.get(4));
    Pattern pattern;
    try {
      if (Matchers.unsupportedRegexConstruct(regex) != null) {
        throw new PatternSyntaxException("not RE2", regex, 0);
      }
      pattern = Matchers.compileAnchored(regex);
    } catch (PatternSyntaxException e) {
      throw new FunctionException("invalid regular expression in label_replace(): " + regex);
    }
    if (!LabelSets.isValidName(dst)) {
      throw new FunctionException("invalid destination label name in label_replace(): " + dst);
    }
    List<StepSeries> out = new ArrayList<>();
    for (StepSeries s : ((Value.Vector) args.get(0)).series()) {
      Matcher m = pattern.matcher(s.labels().get(src));
      if (!m.matches()) {
        out.add(s);
        continue;
      }
      String value = expand(replacement, m);
      out.add(s.withLabels(LabelSets.with(s.labels(), dst, value)));
    }
    return new Value.Vector(out);
  }

  /**
   * Go's Regexp.Expand: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}, {@code $$}; a
   * name is the longest run of letters, digits and underscores, and an unknown group is empty.
   */
  static String expand(String template, Matcher m) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = template.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      String name;
      int end;
      if (next == '{') {
        int close = template.indexOf('}', i + 2);
        name = close < 0 ? "" : template.substring(i + 2, close);
        if (close < 0 || name.isEmpty() || !isNameRun(name)) {
          out.append('$');
          i++;
          continue;
        }
        end = close + 1;
      } else {
        int j = i + 1;
        while (j < template.length() && isNameChar(template.charAt(j))) {
          j++;
        }
        if (j == i + 1) {
          out.append('$');
          i++;
          continue;
        }
        name = template.substring(i + 1, j);
        end = j;
      }
      out.append(group(m, name));
      i = end;
    }
    return out.toString();
  }

  private static String group(Matcher m, String name) {
    String g = null;
    if (name.chars().allMatch(Character::isDigit)) {
      try {
        int idx = Integer.parseInt(name);
        if (idx <= m.groupCount()) {
          g = m.group(idx);
        }
      } catch (NumberFormatException e) {
        g = null;
      }
    } else {
      try {
        g = m.group(name);
      } catch (IllegalArgumentException e) {
        g = null;
      }
    }
    return g == null ? "" : g;
  }

  private static boolean isNameRun(String s) {
    return s.chars().allMatch(c -> isNameChar((char) c));
  }

  private static boolean isNameChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private static Value join(List<Value> args) {
    String dst = str(args.get(1));
    String sep = str(args.get(2));
    List<String> sources = new ArrayList<>();
    for (int i = 3; i < args.size(); i++) {
      String src = str(args.get(i));
      if (!LabelSets.isValidName(src)) {
        throw new FunctionException("invalid source label name in label_join(): " + src);
      }
      sources.add(src);
    }
    if (!LabelSets.isValidName(dst)) {
      throw new FunctionException("invalid destination label name in label_join(): " + dst);
    }
    List<StepSeries> out = new ArrayList<>();
    for (StepSeries s : ((Value.Vector) args.get(0)).series()) {
      List<String> values = new ArrayList<>();
      for (String src : sources) {
        values.add(s.labels().get(src));
      }
      Labels labels = LabelSets.with(s.labels(), dst, String.join(sep, values));
      out.add(s.withLabels(labels));
    }
    return new Value.Vector(out);
  }
}
