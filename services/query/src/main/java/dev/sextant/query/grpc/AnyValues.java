package dev.sextant.query.grpc;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Model attribute values as OTLP {@code AnyValue}s, the form every OTLP client already reads. */
final class AnyValues {
  private AnyValues() {}

  static List<KeyValue> keyValues(Map<?, ?> attributes) {
    List<KeyValue> out = new ArrayList<>(attributes.size());
    attributes.forEach(
        (key, value) ->
            out.add(KeyValue.newBuilder().setKey(String.valueOf(key)).setValue(of(value)).build()));
    return out;
  }

  static AnyValue of(Object value) {
    AnyValue.Builder b = AnyValue.newBuilder();
    switch (value) {
      case null -> {}
      case String s -> b.setStringValue(s);
      case Boolean bool -> b.setBoolValue(bool);
      case Long l -> b.setIntValue(l);
      case Integer i -> b.setIntValue(i);
      case Double d -> b.setDoubleValue(d);
      case Float f -> b.setDoubleValue(f);
      case List<?> list -> {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        list.forEach(item -> array.addValues(of(item)));
        b.setArrayValue(array);
      }
      case Map<?, ?> map ->
          b.setKvlistValue(KeyValueList.newBuilder().addAllValues(keyValues(map)));
      // The model allows nothing else; text keeps an unexpected value readable rather than lost.
      default -> b.setStringValue(value.toString());
    }
    return b.build();
  }
}
