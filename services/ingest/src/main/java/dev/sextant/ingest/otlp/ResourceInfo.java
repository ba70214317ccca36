package dev.sextant.ingest.otlp;

import dev.sextant.model.Attributes;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Map;

/** A resource in the model: its attributes, and the service name every record is filed under. */
record ResourceInfo(String serviceName, Map<String, Object> attributes) {
  static final String SERVICE_NAME = "service.name";

  /** The OpenTelemetry default for a resource without {@code service.name}. */
  static final String UNKNOWN_SERVICE = "unknown_service";

  static ResourceInfo read(Resource resource, AttributeReader reader) {
    // A resource has its own budget: it is shared by all its records, not part of any one.
    // Frozen once here, so every record of the resource shares the map instead of copying it.
    Map<String, Object> attributes =
        Attributes.copyOf(reader.read(resource.getAttributesList(), reader.newRecord()).values());
    Object name = attributes.get(SERVICE_NAME);
    String serviceName = name instanceof String s && !s.isEmpty() ? s : UNKNOWN_SERVICE;
    return new ResourceInfo(serviceName, attributes);
  }
}
