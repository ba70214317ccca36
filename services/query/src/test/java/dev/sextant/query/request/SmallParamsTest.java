package dev.sextant.query.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.StatusCode;
import dev.sextant.storage.query.TimeRange;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SmallParamsTest {

  @Test
  void traceIdsAreThirtyTwoHexCharactersAndComeBackLowercase() {
    assertThat(TraceIds.require("t", "0123456789ABCDEF0123456789abcdef"))
        .isEqualTo("0123456789abcdef0123456789abcdef");
    for (String bad :
        new String[] {
          "", "abc", "0123456789abcdef0123456789abcde", "g".repeat(32), "a".repeat(33)
        }) {
      assertThatThrownBy(() -> TraceIds.require("traceId", bad))
          .as(bad)
          .hasMessageContaining("traceId must be 32 hex characters");
    }
  }

  @Test
  void severityByNumberOrName() {
    assertThat(SeverityParam.parse("severity", "warn")).isEqualTo(13);
    assertThat(SeverityParam.parse("severity", "FATAL")).isEqualTo(21);
    assertThat(SeverityParam.parse("severity", "1")).isEqualTo(1);
    assertThat(SeverityParam.parse("severity", "24")).isEqualTo(24);
    for (String bad : new String[] {"0", "25", "-1", "warning", "013", "1.5"}) {
      assertThatThrownBy(() -> SeverityParam.parse("severity", bad))
          .as(bad)
          .hasMessageContaining("severity must be a severity number 1-24");
    }
  }

  @Test
  void statusNames() {
    assertThat(StatusParam.parse("status", "Error")).isEqualTo(StatusCode.ERROR);
    assertThat(StatusParam.parse("status", "unset")).isEqualTo(StatusCode.UNSET);
    assertThatThrownBy(() -> StatusParam.parse("status", "failed"))
        .hasMessage("status must be one of unset, ok, error; got 'failed'");
  }

  @Test
  void limitsWithinRangeOnly() {
    assertThat(LimitParam.parse("limit", "1000", 1000)).isEqualTo(1000);
    for (String bad : new String[] {"0", "1001", "99999999999", "-1", "ten", "1e3", " 5"}) {
      assertThatThrownBy(() -> LimitParam.parse("limit", bad, 1000))
          .as(bad)
          .hasMessageContaining("limit must be a whole number within 1..1000");
    }
  }

  @Test
  void attributeFiltersSplitAtTheFirstEquals() {
    assertThat(AttributeFilters.parse("attr", List.of("a=b=c", "empty=", "k=v")))
        .isEqualTo(Map.of("a", "b=c", "empty", "", "k", "v"));
    assertThatThrownBy(() -> AttributeFilters.parse("attr", List.of("novalue")))
        .hasMessageContaining("attr must be key=value");
    assertThatThrownBy(() -> AttributeFilters.parse("attr", List.of("=v")))
        .hasMessageContaining("non-empty key");
    assertThatThrownBy(() -> AttributeFilters.parse("attr", List.of("k=1", "k=2")))
        .hasMessageContaining("more than once");
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i <= AttributeFilters.MAX_FILTERS; i++) {
      many.add("k" + i + "=v");
    }
    assertThatThrownBy(() -> AttributeFilters.parse("attr", many))
        .hasMessageContaining("at most 32");
  }

  @Test
  void timeWindowsAreInclusiveAndOrdered() {
    assertThat(TimeWindow.inclusive(10, 20)).isEqualTo(new TimeRange(10, 21));
    assertThat(TimeWindow.inclusive(10, 10)).isEqualTo(new TimeRange(10, 11));
    assertThat(TimeWindow.inclusive(0, Long.MAX_VALUE)).isEqualTo(TimeRange.ALL);
    assertThatThrownBy(() -> TimeWindow.inclusive(20, 10)).hasMessageContaining("is before start");
    assertThat(TimeWindow.withDefaults(null, null, 5_000, 1_000))
        .isEqualTo(new TimeRange(4_000, 5_001));
    assertThat(TimeWindow.withDefaults(null, 500L, 5_000, 1_000)).isEqualTo(new TimeRange(0, 501));
    assertThat(TimeWindow.withDefaults(100L, null, 5_000, 1_000))
        .isEqualTo(new TimeRange(100, 5_001));
  }

  @Test
  void httpParamsAreStrict() {
    MultiMap query = MultiMap.caseInsensitiveMultiMap().add("service", "a").add("servce", "b");
    assertThatThrownBy(() -> HttpParams.of(query, Set.of("service", "limit"), 100))
        .hasMessage("unknown parameter 'servce'; this endpoint takes: limit, service");

    MultiMap twice = MultiMap.caseInsensitiveMultiMap().add("service", "a").add("service", "b");
    assertThatThrownBy(() -> HttpParams.of(twice, Set.of("service"), 100).optional("service"))
        .hasMessage("parameter service must be given at most once, got 2");

    MultiMap empty = MultiMap.caseInsensitiveMultiMap().add("service", "");
    assertThat(HttpParams.of(empty, Set.of("service"), 100).optional("service")).isNull();
    assertThatThrownBy(() -> HttpParams.of(empty, Set.of("service"), 100).required("service"))
        .hasMessage("parameter service is required");

    MultiMap longValue = MultiMap.caseInsensitiveMultiMap().add("service", "x".repeat(101));
    assertThatThrownBy(() -> HttpParams.of(longValue, Set.of("service"), 100).optional("service"))
        .hasMessage("service is too long: 101 characters, at most 100");
  }
}
