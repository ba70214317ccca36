package dev.sextant.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Rendered manifests parsed into the typed Kubernetes API model (fabric8, offline): each object's
 * kind must be one the model knows, every field must have the API's type (a string where an integer
 * belongs fails), and no field may be unknown to the API (the model would keep it aside as an
 * "additional property"; here that is an error, as it is for {@code kubectl apply --validate}).
 */
final class Manifests {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  final List<HasMetadata> objects = new ArrayList<>();
  final List<String> problems = new ArrayList<>();

  static Manifests parse(String yaml) {
    Manifests manifests = new Manifests();
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      int index = 0;
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        index++;
        if (document == null || document.isNull() || document.isEmpty()) {
          continue;
        }
        manifests.add(index, document);
      }
    } catch (IOException e) {
      manifests.problems.add("not YAML: " + e.getMessage());
    }
    return manifests;
  }

  private void add(int index, JsonNode document) {
    String where =
        "document "
            + index
            + " ("
            + document.path("kind").asText("?")
            + " "
            + document.path("metadata").path("name").asText("?")
            + ")";
    KubernetesResource parsed;
    try {
      parsed = SERIALIZATION.unmarshal(document.toString(), KubernetesResource.class);
    } catch (RuntimeException e) {
      problems.add(where + ": does not match the Kubernetes API types: " + rootMessage(e));
      return;
    }
    if (parsed instanceof GenericKubernetesResource || !(parsed instanceof HasMetadata object)) {
      problems.add(where + ": not a kind of the Kubernetes API");
      return;
    }
    unknownFields(parsed, where, problems);
    objects.add(object);
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = String.valueOf(cause.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** Walks the typed object; any field the API does not define is reported with its path. */
  static void unknownFields(Object value, String path, List<String> problems) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        unknownFields(item, path + "[" + i++ + "]", problems);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> unknownFields(item, path + "[" + key + "]", problems));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || getter.getDeclaringClass() == Object.class
          || !getter.getName().startsWith("get")) {
        continue;
      }
      Object field;
      try {
        field = getter.invoke(value);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
          problems.add(path + ": fields unknown to the Kubernetes API: " + extra.keySet());
        }
        continue;
      }
      unknownFields(field, path + "." + fieldName(getter), problems);
    }
  }

  private static String fieldName(Method getter) {
    String name = getter.getName().substring(3);
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> java.util.Optional<T> find(Class<T> type, String name) {
    return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
  }
}
