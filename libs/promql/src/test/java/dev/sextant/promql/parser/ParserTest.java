package dev.sextant.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.query.LabelMatcher;
import org.junit.jupiter.api.Test;

class ParserTest {

  @Test
  void precedenceAndAssociativity() {
    assertThat(print("1 + 2 * 3")).isEqualTo("1 + 2 * 3");
    BinaryExpr sum = (BinaryExpr) Parser.parse("1 + 2 * 3");
    assertThat(sum.op()).isEqualTo(BinaryOp.ADD);
    BinaryExpr pow = (BinaryExpr) Parser.parse("2 ^ 3 ^ 2");
    assertThat(pow.rhs()).isInstanceOf(BinaryExpr.class); // right-associative
    BinaryExpr sub = (BinaryExpr) Parser.parse("5 - 2 - 1");
    assertThat(sub.lhs()).isInstanceOf(BinaryExpr.class); // left-associative
    UnaryExpr neg = (UnaryExpr) Parser.parse("-a ^ 2");
    assertThat(neg.expr()).isInstanceOf(BinaryExpr.class); // -(a^2)
    BinaryExpr mul = (BinaryExpr) Parser.parse("-a * 2");
    assertThat(mul.lhs()).isInstanceOf(UnaryExpr.class); // (-a)*2
    BinaryExpr or = (BinaryExpr) Parser.parse("a and b or c unless d");
    assertThat(or.op()).isEqualTo(BinaryOp.OR);
  }

  @Test
  void numbersAsPrometheusReadsThem() {
    assertThat(number("0x1F")).isEqualTo(31);
    assertThat(number("010")).isEqualTo(8);
    assertThat(number("1e3")).isEqualTo(1000);
    assertThat(number(".5")).isEqualTo(0.5);
    assertThat(number("-Inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(number("nan")).isNaN();
    assertThat(number("-1")).isEqualTo(-1);
  }

  private static double number(String q) {
    return ((NumberLiteral) Parser.parse(q)).value();
  }

  @Test
  void selectorsModifiersAndDurations() {
    VectorSelector vs =
        (VectorSelector) Parser.parse("foo{a=\"b\", c!~\"d.*\"} offset -1h30m @ 12.5");
    assertThat(vs.name()).isEqualTo("foo");
    assertThat(vs.offsetMs()).isEqualTo(-5_400_000);
    assertThat(vs.at()).isEqualTo(new AtModifier(AtModifier.Kind.TIMESTAMP, 12_500));
    assertThat(vs.matchers()).extracting(LabelMatcher::name).containsExactly("a", "c", "__name__");
    MatrixSelector ms = (MatrixSelector) Parser.parse("foo[1d2h]");
    assertThat(ms.rangeMs()).isEqualTo(26 * 3_600_000L);
    SubqueryExpr sq = (SubqueryExpr) Parser.parse("rate(foo[5m])[1w:] @ end()");
    assertThat(sq.rangeMs()).isEqualTo(7 * 86_400_000L);
    assertThat(sq.stepMs()).isZero();
    assertThat(sq.at().kind()).isEqualTo(AtModifier.Kind.END);
    assertThat(((MatrixSelector) Parser.parse("x[1y]")).rangeMs()).isEqualTo(365 * 86_400_000L);
    assertThat(((MatrixSelector) Parser.parse("x[250ms]")).rangeMs()).isEqualTo(250);
  }

  @Test
  void quotedMetricNamesAsPrometheus3() {
    VectorSelector vs =
        (VectorSelector) Parser.parse("{\"gen_ai.client.token.usage\", \"a.b\"=\"x\"}");
    assertThat(vs.name()).isEqualTo("gen_ai.client.token.usage");
    assertThat(vs.toPromQL()).isEqualTo("{\"gen_ai.client.token.usage\", \"a.b\"=\"x\"}");
  }

  @Test
  void keywordsCanBeLabelAndMetricNames() {
    AggregateExpr a = (AggregateExpr) Parser.parse("sum by (on, by, sum) (offset{bool=\"1\"})");
    assertThat(a.grouping()).containsExactly("on", "by", "sum");
    assertThat(((VectorSelector) a.expr()).name()).isEqualTo("offset");
  }

  @Test
  void aggregationGroupingBeforeOrAfter() {
    assertThat(print("sum(x) by (a)")).isEqualTo("sum by (a) (x)");
    assertThat(print("topk without (b) (3, x)")).isEqualTo("topk without (b) (3, x)");
    assertThat(print("count_values(\"v\", x)")).isEqualTo("count_values(\"v\", x)");
  }

  @Test
  void printsCanonically() {
    assertThat(print("a+on(b)group_left(c)d")).isEqualTo("a + on (b) group_left (c) d");
    assertThat(print("a > bool ignoring(x) b")).isEqualTo("a > bool ignoring (x) b");
    assertThat(print("foo[90m] offset 2h")).isEqualTo("foo[1h30m] offset 2h");
    assertThat(print("foo @ 100 offset -5m")).isEqualTo("foo @ 100.000 offset -5m");
    assertThat(print("rate(x[5m:30s])")).isEqualTo("rate(x[5m:30s])");
    assertThat(print("1000000")).isEqualTo("1e+06");
    assertThat(print("0.00001")).isEqualTo("1e-05");
    assertThat(print("123456")).isEqualTo("123456");
    assertThat(print("label_replace(x, \"a\", \"$1\\n\", \"b\", \"(.*)\")"))
        .isEqualTo("label_replace(x, \"a\", \"$1\\n\", \"b\", \"(.*)\")");
    assertThat(print("- (x)")).isEqualTo("-(x)");
  }

  private static String print(String q) {
    return Parser.parse(q).toPromQL();
  }
}
