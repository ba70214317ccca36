package dev.sextant.ingest.pipeline;

import dev.sextant.protocol.pipeline.v1.MetricPoint;

/**
 * What makes a series one (besides its tenant): metric name, unit, description, type, temporality
 * and labels in order. Read part by part, so that a series can be looked up in the {@link
 * SeriesCatalog} without building its labels first.
 */
public interface SeriesIdentity {
  String name();

  String unit();

  String description();

  int type();

  int temporality();

  int labelCount();

  String labelName(int i);

  String labelValue(int i);

  /** A whole point's series. */
  static SeriesIdentity of(MetricPoint point) {
    return new SeriesIdentity() {
      @Override
      public String name() {
        return point.getName();
      }

      @Override
      public String unit() {
        return point.getUnit();
      }

      @Override
      public String description() {
        return point.getDescription();
      }

      @Override
      public int type() {
        return point.getTypeValue();
      }

      @Override
      public int temporality() {
        return point.getTemporalityValue();
      }

      @Override
      public int labelCount() {
        return point.getLabelsCount();
      }

      @Override
      public String labelName(int i) {
        return point.getLabels(i).getName();
      }

      @Override
      public String labelValue(int i) {
        return point.getLabels(i).getValue();
      }
    };
  }
}
