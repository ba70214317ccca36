package dev.sextant.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The number texts an attribute filter compares typed; the conformance suite runs the filters. */
class AttributeFilterSqlTest {

  @Test
  void canonicalNumberTextsAreExactlyJavasOwn() {
    assertThat(AttributeFilterSql.canonicalLong("42")).isEqualTo(42L);
    assertThat(AttributeFilterSql.canonicalLong("042")).isNull();
    assertThat(AttributeFilterSql.canonicalLong("+42")).isNull();
    assertThat(AttributeFilterSql.canonicalLong("-0")).isNull();
    assertThat(AttributeFilterSql.canonicalDouble("0.25")).isEqualTo(0.25);
    assertThat(AttributeFilterSql.canonicalDouble("1.0E20")).isEqualTo(1e20);
    assertThat(AttributeFilterSql.canonicalDouble("1e20")).isNull();
    assertThat(AttributeFilterSql.canonicalDouble("3")).isNull();
    assertThat(AttributeFilterSql.canonicalDouble("NaN")).isNaN();
    assertThat(AttributeFilterSql.canonicalDouble("0x1p3")).isNull();
    assertThat(AttributeFilterSql.canonicalDouble("1.0d")).isNull();
  }
}
