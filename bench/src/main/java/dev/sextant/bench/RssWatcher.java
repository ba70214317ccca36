package dev.sextant.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the Sextant services running on this machine (java processes of {@code
 * services/<name>/target/quarkus-app}) and tracks their resident memory, so a load run reports
 * memory next to throughput.
 */
final class RssWatcher {
  private static final Pattern SERVICE = Pattern.compile("services/([a-z]+)/target/quarkus-app");
  private final Map<String, Long> currentKb = new TreeMap<>();
  private final Map<String, Long> peakKb = new TreeMap<>();

  void sample() {
    currentKb.clear();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(this::sample);
    } catch (IOException | UncheckedIOException e) {
      // Not Linux, or /proc unreadable: memory is just not reported.
    }
  }

  private void sample(Path proc) {
    try {
      String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
      Matcher m = SERVICE.matcher(cmdline);
      if (!m.find()) {
        return;
      }
      for (String line : Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("VmRSS:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          currentKb.put(m.group(1), kb);
          peakKb.merge(m.group(1), kb, Math::max);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process ended between listing and reading: skip it.
    }
  }

  String current() {
    return format(currentKb);
  }

  String peaks() {
    return format(peakKb);
  }

  private static String format(Map<String, Long> kb) {
    StringBuilder out = new StringBuilder();
    kb.forEach((name, value) -> out.append(name).append(' ').append(value / 1024).append(" MB "));
    return out.isEmpty() ? "(no services found)" : out.toString().strip();
  }
}
