package dev.sextant.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.protocol.pipeline.v1.Histogram;
import dev.sextant.protocol.pipeline.v1.Label;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.Temporality;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesDictionaryTest {
  private static MetricPoint point(String name, double value, String... labels) {
    MetricPoint.Builder point =
        MetricPoint.newBuilder()
            .setName(name)
            .setUnit("1")
            .setType(MetricType.METRIC_TYPE_COUNTER)
            .setTemporality(Temporality.TEMPORALITY_CUMULATIVE)
            .setStartTimeUnixNano(100)
            .setTimeUnixNano(200)
            .setNumber(value);
    for (int i = 0; i < labels.length; i += 2) {
      point.addLabels(Label.newBuilder().setName(labels[i]).setValue(labels[i + 1]));
    }
    return point.build();
  }

  private static WriteRequest batch(String tenant, MetricPoint... points) {
    return WriteRequest.newBuilder()
        .setBatchId(9)
        .setTenant(tenant)
        .setAdditive(true)
        .addAllPoints(List.of(points))
        .build();
  }

  @Test
  void aSeriesIsDefinedOnceThenSentAsItsRefTimesAndValue() {
    SeriesDictionary dictionary = new SeriesDictionary(100);
    MetricPoint a = point("calls", 1, "route", "/a");

    WriteRequest first = dictionary.encode(batch("acme", a, point("calls", 2, "route", "/a")));
    WriteRequest second = dictionary.encode(batch("acme", point("calls", 3, "route", "/a")));

    assertThat(first.getBatchId()).isEqualTo(9);
    assertThat(first.getTenant()).isEqualTo("acme");
    assertThat(first.getAdditive()).isTrue();
    assertThat(first.getPoints(0)).isEqualTo(a.toBuilder().setSeriesRef(1).build());
    MetricPoint expectedReference =
        MetricPoint.newBuilder()
            .setSeriesRef(1)
            .setStartTimeUnixNano(100)
            .setTimeUnixNano(200)
            .setNumber(2)
            .build();
    assertThat(first.getPoints(1)).isEqualTo(expectedReference);
    assertThat(second.getPoints(0)).isEqualTo(expectedReference.toBuilder().setNumber(3).build());

    // What it saves on a typical series: 6 labels, sent whole ~4x the bytes of its reference.
    MetricPoint typical =
        point(
            "http.server.request.duration",
            1,
            "service.name",
            "checkout",
            "http.route",
            "/api/cart",
            "http.method",
            "POST",
            "status",
            "200",
            "region",
            "eu-west-1",
            "service.instance.id",
            "checkout-7d9f8-x2k4q");
    dictionary.encode(batch("acme", typical));
    int referenceSize = dictionary.encode(batch("acme", typical)).getPoints(0).getSerializedSize();
    assertThat(referenceSize * 4).isLessThan(typical.getSerializedSize());
  }

  @Test
  void everyPartOfTheSeriesTellsSeriesApart() {
    SeriesDictionary dictionary = new SeriesDictionary(100);
    MetricPoint base = point("calls", 1, "route", "/a");
    WriteRequest encoded =
        dictionary.encode(
            batch(
                "acme",
                base,
                point("calls", 1, "route", "/b"),
                point("calls", 1, "rout", "e/a"),
                point("calls", 1, "route", "/a", "x", ""),
                base.toBuilder().setUnit("s").build(),
                base.toBuilder().setDescription("d").build(),
                base.toBuilder().setType(MetricType.METRIC_TYPE_UP_DOWN_COUNTER).build(),
                base.toBuilder().setTemporality(Temporality.TEMPORALITY_DELTA).build(),
                point("call", 1, "sroute", "/a")));
    WriteRequest otherTenant = dictionary.encode(batch("globex", base));

    assertThat(encoded.getPointsList())
        .extracting(MetricPoint::getSeriesRef)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(encoded.getPointsList()).allSatisfy(p -> assertThat(p.getName()).isNotEmpty());
    assertThat(otherTenant.getPoints(0).getSeriesRef()).isEqualTo(10);
    assertThat(otherTenant.getPoints(0).getName()).isEqualTo("calls");
  }

  @Test
  void whenFullItStartsOverAndDefinesAgain() {
    SeriesDictionary dictionary = new SeriesDictionary(2);
    dictionary.encode(batch("acme", point("a", 1), point("b", 1)));
    WriteRequest third = dictionary.encode(batch("acme", point("c", 1), point("a", 2)));

    // "c" did not fit: the table started over, "c" took ref 1, and "a" is defined again as 2.
    assertThat(third.getPoints(0).getSeriesRef()).isEqualTo(1);
    assertThat(third.getPoints(0).getName()).isEqualTo("c");
    assertThat(third.getPoints(1).getSeriesRef()).isEqualTo(2);
    assertThat(third.getPoints(1).getName()).isEqualTo("a");
    assertThat(dictionary.size()).isEqualTo(2);
  }

  @Test
  void histogramsKeepTheirValueAndNamelessPointsAndAnOffDictionaryPassThrough() {
    SeriesDictionary dictionary = new SeriesDictionary(10);
    Histogram h =
        Histogram.newBuilder()
            .setCount(3)
            .setSum(1.5)
            .addBounds(1)
            .addBucketCounts(2)
            .addBucketCounts(1)
            .build();
    MetricPoint histogram =
        point("latency", 0).toBuilder()
            .setType(MetricType.METRIC_TYPE_HISTOGRAM)
            .setHistogram(h)
            .build();
    MetricPoint nameless = point("", 1);

    WriteRequest encoded = dictionary.encode(batch("acme", histogram, histogram, nameless));
    assertThat(encoded.getPoints(1).getHistogram()).isEqualTo(h);
    assertThat(encoded.getPoints(1).getName()).isEmpty();
    assertThat(encoded.getPoints(2)).isEqualTo(nameless);

    WriteRequest plain = batch("acme", histogram);
    assertThat(new SeriesDictionary(0).encode(plain)).isSameAs(plain);
  }

  @Test
  void labelsCraftedToCollideNeverShareARefAndLongProbesAreSentWhole() {
    // "Aa" and "BB" have the same String hash: 64 label values, one hash.
    SeriesDictionary dictionary = new SeriesDictionary(1000);
    List<MetricPoint> series = new java.util.ArrayList<>();
    for (int i = 0; i < 64; i++) {
      StringBuilder value = new StringBuilder();
      for (int bit = 0; bit < 6; bit++) {
        value.append((i >> bit & 1) == 0 ? "Aa" : "BB");
      }
      series.add(point("calls", i, "v", value.toString()));
    }
    WriteRequest first = dictionary.encode(batch("acme", series.toArray(MetricPoint[]::new)));
    WriteRequest again = dictionary.encode(batch("acme", series.toArray(MetricPoint[]::new)));

    java.util.Set<Long> refs = new java.util.HashSet<>();
    for (int i = 0; i < 64; i++) {
      long ref = first.getPoints(i).getSeriesRef();
      if (ref == 0) {
        assertThat(first.getPoints(i)).isEqualTo(series.get(i)); // sent whole
        assertThat(again.getPoints(i)).isEqualTo(series.get(i));
      } else {
        assertThat(refs.add(ref)).as("ref %d used once", ref).isTrue();
        assertThat(again.getPoints(i).getSeriesRef()).isEqualTo(ref);
        assertThat(again.getPoints(i).getNumber()).isEqualTo(i);
      }
    }
    assertThat(refs).hasSize(33); // the first slot and 32 probes
  }

  @Test
  void refsNeverExceedWhatTheAggregatorTakes() {
    // The aggregator refuses refs above 2^20 (SeriesRefs.MAX_REF).
    assertThat(new SeriesDictionary(Integer.MAX_VALUE).capacity()).isEqualTo(1 << 20);
    assertThat(new SeriesDictionary(-5).capacity()).isZero();
  }
}
