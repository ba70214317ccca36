package dev.sextant.promql.functions;

import dev.sextant.model.Labels;
import dev.sextant.promql.value.StepSeries;
import dev.sextant.promql.value.Value;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Calendar fields in UTC of each sample's value read as Unix seconds, or of the step time when
 * called without an argument.
 */
final class DateFunctions {
  private DateFunctions() {}

  static void register(Map<String, FunctionImpl> r) {
    date(r, "day_of_month", ZonedDateTime::getDayOfMonth);
    date(r, "day_of_week", t -> t.getDayOfWeek().getValue() % 7); // Sunday is 0, as in Go
    date(r, "day_of_year", ZonedDateTime::getDayOfYear);
    date(r, "days_in_month", t -> t.toLocalDate().lengthOfMonth());
    date(r, "hour", ZonedDateTime::getHour);
    date(r, "minute", ZonedDateTime::getMinute);
    date(r, "month", ZonedDateTime::getMonthValue);
    date(r, "year", ZonedDateTime::getYear);
  }

  private static void date(
      Map<String, FunctionImpl> r, String name, ToIntFunction<ZonedDateTime> field) {
    r.put(
        name,
        (InstantFunction)
            (args, exprs, steps) -> {
              if (args.isEmpty()) {
                StepSeries out = new StepSeries(Labels.empty(), steps.count());
                for (int i = 0; i < steps.count(); i++) {
                  out.set(i, field.applyAsInt(utc(Math.floorDiv(steps.time(i), 1000))));
                }
                return new Value.Vector(List.of(out));
              }
              return Elementwise.map(
                  (Value.Vector) args.get(0), (v, i) -> field.applyAsInt(utc(goInt64(v))));
            });
  }

  /** Go's int64(float64) truncates toward zero; NaN and overflow give the minimum int64. */
  private static long goInt64(double v) {
    if (Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63) {
      return Long.MIN_VALUE;
    }
    return (long) v;
  }

  private static ZonedDateTime utc(long seconds) {
    // java.time cannot represent Go's full range; clamp to what it can.
    long clamped =
        Math.max(Instant.MIN.getEpochSecond(), Math.min(Instant.MAX.getEpochSecond(), seconds));
    return Instant.ofEpochSecond(clamped).atZone(ZoneOffset.UTC);
  }
}
