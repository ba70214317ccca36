package dev.sextant.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the API schema cannot see: that the objects of one render fit together and fit the services.
 * Every Service, PodDisruptionBudget and NetworkPolicy selects a pod template; every Service and
 * NetworkPolicy port is a port of a selected container; every probe asks a health path on the HTTP
 * port its service listens on ({@code quarkus.http.port} of its application.properties); every
 * Secret, ConfigMap, PersistentVolumeClaim, volume and HPA target referenced is defined; pods run
 * as non-root with read-only root filesystems and memory limits; and the API server's own rules
 * that typed parsing does not apply (names, port names, selectors, quantities).
 */
final class CrossReferences {
  private static final Set<String> HEALTH_PATHS =
      Set.of("/q/health/live", "/q/health/ready", "/q/health/started");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** A workload's pod template, named for messages. */
  record Template(String owner, LabelSelector selector, PodTemplateSpec template) {
    Map<String, String> labels() {
      return template.getMetadata() == null || template.getMetadata().getLabels() == null
          ? Map.of()
          : template.getMetadata().getLabels();
    }

    PodSpec spec() {
      return template.getSpec();
    }
  }

  private final Manifests manifests;
  private final Path repository;
  private final List<String> problems = new ArrayList<>();
  private final List<Template> templates = new ArrayList<>();

  private CrossReferences(Manifests manifests, Path repository) {
    this.manifests = manifests;
    this.repository = repository;
    for (Deployment d : manifests.all(Deployment.class)) {
      templates.add(
          new Template(
              "Deployment " + name(d), d.getSpec().getSelector(), d.getSpec().getTemplate()));
    }
    for (StatefulSet s : manifests.all(StatefulSet.class)) {
      templates.add(
          new Template(
              "StatefulSet " + name(s), s.getSpec().getSelector(), s.getSpec().getTemplate()));
    }
  }

  /** The problems found; empty when the render is consistent. */
  static List<String> check(Manifests manifests, Path repository) {
    CrossReferences checks = new CrossReferences(manifests, repository);
    checks.names();
    checks.workloads();
    checks.services();
    checks.autoscalers();
    checks.disruptionBudgets();
    checks.networkPolicies();
    checks.shards();
    return checks.problems;
  }

  private void names() {
    Set<String> seen = new HashSet<>();
    for (HasMetadata object : manifests.objects) {
      String name = name(object);
      if (name == null || name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
        problems.add(object.getKind() + " '" + name + "': not a valid object name");
      }
      if (!seen.add(object.getKind() + "/" + object.getMetadata().getNamespace() + "/" + name)) {
        problems.add(object.getKind() + " " + name + " is defined twice");
      }
    }
  }

  private void workloads() {
    for (Template t : templates) {
      if (t.selector() == null || !matches(t.selector(), t.labels())) {
        problems.add(t.owner() + ": its selector does not select its own pod template");
      }
      PodSpec spec = t.spec();
      if (spec.getSecurityContext() == null
          || !Boolean.TRUE.equals(spec.getSecurityContext().getRunAsNonRoot())) {
        problems.add(t.owner() + ": pod does not require runAsNonRoot");
      }
      Set<String> portNames = new HashSet<>();
      Set<String> volumes = new HashSet<>();
      for (Volume volume : nullSafe(spec.getVolumes())) {
        volumes.add(volume.getName());
        volumeSource(t.owner(), volume);
      }
      for (Container c : nullSafe(spec.getContainers())) {
        container(t, c, portNames, volumes);
      }
    }
  }

  private void volumeSource(String owner, Volume volume) {
    if (volume.getSecret() != null) {
      String secret = volume.getSecret().getSecretName();
      nullSafe(volume.getSecret().getItems())
          .forEach(item -> secretKey(owner + " volume " + volume.getName(), secret, item.getKey()));
      if (volume.getSecret().getItems() == null) {
        secretKey(owner + " volume " + volume.getName(), secret, null);
      }
    }
    if (volume.getConfigMap() != null) {
      String map = volume.getConfigMap().getName();
      nullSafe(volume.getConfigMap().getItems())
          .forEach(item -> configMapKey(owner + " volume " + volume.getName(), map, item.getKey()));
      configMapKey(owner + " volume " + volume.getName(), map, null);
    }
    if (volume.getPersistentVolumeClaim() != null) {
      String claim = volume.getPersistentVolumeClaim().getClaimName();
      if (manifests.find(PersistentVolumeClaim.class, claim).isEmpty()) {
        problems.add(owner + " volume " + volume.getName() + ": no PersistentVolumeClaim " + claim);
      }
    }
  }

  private void container(Template t, Container c, Set<String> portNames, Set<String> volumes) {
    String where = t.owner() + " container " + c.getName();
    if (c.getName() == null || !PORT_NAME.matcher(c.getName()).matches()) {
      problems.add(where + ": not a valid container name");
    }
    if (c.getImage() == null || c.getImage().isBlank()) {
      problems.add(where + ": no image");
    }
    for (ContainerPort port : nullSafe(c.getPorts())) {
      if (port.getContainerPort() == null
          || port.getContainerPort() < 1
          || port.getContainerPort() > 65535) {
        problems.add(where + ": containerPort out of range: " + port.getContainerPort());
      }
      if (port.getName() != null) {
        if (port.getName().length() > 15
            || !PORT_NAME.matcher(port.getName()).matches()
            || !port.getName().matches(".*[a-z].*")) {
          problems.add(where + ": '" + port.getName() + "' is not a valid port name");
        }
        if (!portNames.add(port.getName())) {
          problems.add(where + ": port name " + port.getName() + " used twice in the pod");
        }
      }
    }
    var security = c.getSecurityContext();
    if (security == null
        || !Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())
        || !Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
      problems.add(
          where + ": needs readOnlyRootFilesystem: true and allowPrivilegeEscalation: false");
    }
    if (c.getResources() == null
        || c.getResources().getLimits() == null
        || !c.getResources().getLimits().containsKey("memory")) {
      problems.add(where + ": no memory limit");
    } else {
      quantities(where, c.getResources().getLimits());
      quantities(where, c.getResources().getRequests());
    }
    for (VolumeMount mount : nullSafe(c.getVolumeMounts())) {
      if (!volumes.contains(mount.getName())) {
        problems.add(where + ": mounts undefined volume " + mount.getName());
      }
    }
    for (EnvVar env : nullSafe(c.getEnv())) {
      if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
        var ref = env.getValueFrom().getSecretKeyRef();
        secretKey(where + " env " + env.getName(), ref.getName(), ref.getKey());
      }
      if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
        var ref = env.getValueFrom().getConfigMapKeyRef();
        configMapKey(where + " env " + env.getName(), ref.getName(), ref.getKey());
      }
    }
    for (EnvFromSource from : nullSafe(c.getEnvFrom())) {
      if (from.getConfigMapRef() != null) {
        configMapKey(where + " envFrom", from.getConfigMapRef().getName(), null);
      }
      if (from.getSecretRef() != null) {
        secretKey(where + " envFrom", from.getSecretRef().getName(), null);
      }
    }
    probes(where, c);
  }

  private void quantities(String where, Map<String, Quantity> values) {
    if (values == null) {
      return;
    }
    values.forEach(
        (resource, quantity) -> {
          try {
            Quantity.getAmountInBytes(quantity);
          } catch (RuntimeException e) {
            problems.add(where + ": " + resource + " '" + quantity + "' is not a quantity");
          }
        });
  }

  /** Each probe: a health path, on a port of this container that is its service's HTTP port. */
  private void probes(String where, Container c) {
    Properties config = serviceConfig(c.getName());
    Map<String, Probe> probes = new LinkedHashMap<>();
    probes.put("startupProbe", c.getStartupProbe());
    probes.put("livenessProbe", c.getLivenessProbe());
    probes.put("readinessProbe", c.getReadinessProbe());
    for (var entry : probes.entrySet()) {
      Probe probe = entry.getValue();
      String what = where + " " + entry.getKey();
      if (probe == null) {
        if (!entry.getKey().equals("startupProbe")) {
          problems.add(what + ": missing");
        }
        continue;
      }
      HTTPGetAction get = probe.getHttpGet();
      if (get == null) {
        problems.add(what + ": not an HTTP probe");
        continue;
      }
      if (!HEALTH_PATHS.contains(get.getPath())) {
        problems.add(what + ": path " + get.getPath() + " is not one of " + HEALTH_PATHS);
      }
      Integer port = resolve(get.getPort(), nullSafe(c.getPorts()));
      if (port == null) {
        problems.add(what + ": port " + text(get.getPort()) + " is not a port of the container");
      } else if (config == null) {
        problems.add(what + ": no service named " + c.getName() + " under services/");
      } else if (!String.valueOf(port).equals(config.getProperty("quarkus.http.port"))) {
        problems.add(
            what
                + ": port "
                + port
                + " is not the service's quarkus.http.port "
                + config.getProperty("quarkus.http.port"));
      }
    }
    if (config != null) {
      for (ContainerPort port : nullSafe(c.getPorts())) {
        String grpc = config.getProperty("quarkus.grpc.server.port");
        if (port.getName() != null
            && port.getName().endsWith("-grpc")
            && !String.valueOf(port.getContainerPort()).equals(grpc)) {
          problems.add(
              where
                  + ": port "
                  + port.getName()
                  + " is "
                  + port.getContainerPort()
                  + ", the service's quarkus.grpc.server.port is "
                  + grpc);
        }
      }
    }
  }

  private Properties serviceConfig(String service) {
    Path file =
        repository
            .resolve("services")
            .resolve(service)
            .resolve("src/main/resources/application.properties");
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
    return properties;
  }

  private void services() {
    for (Service service : manifests.all(Service.class)) {
      String where = "Service " + name(service);
      Map<String, String> selector = service.getSpec().getSelector();
      if (selector == null || selector.isEmpty()) {
        problems.add(where + ": selects nothing (no selector)");
        continue;
      }
      List<Template> selected =
          templates.stream()
              .filter(t -> t.labels().entrySet().containsAll(selector.entrySet()))
              .toList();
      if (selected.isEmpty()) {
        problems.add(where + ": its selector " + selector + " matches no pod template");
      }
      for (ServicePort port : nullSafe(service.getSpec().getPorts())) {
        IntOrString target =
            port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
        for (Template t : selected) {
          if (resolve(target, containerPorts(t)) == null) {
            problems.add(
                where
                    + " port "
                    + port.getName()
                    + ": target "
                    + text(target)
                    + " is not a port of "
                    + t.owner());
          }
        }
      }
    }
    for (StatefulSet set : manifests.all(StatefulSet.class)) {
      String governing = set.getSpec().getServiceName();
      var service = manifests.find(Service.class, governing);
      if (service.isEmpty() || !"None".equals(service.get().getSpec().getClusterIP())) {
        problems.add(
            "StatefulSet "
                + name(set)
                + ": serviceName "
                + governing
                + " is not a headless Service");
      }
    }
  }

  private void autoscalers() {
    for (HorizontalPodAutoscaler hpa : manifests.all(HorizontalPodAutoscaler.class)) {
      var target = hpa.getSpec().getScaleTargetRef();
      boolean found =
          switch (target.getKind()) {
            case "Deployment" -> manifests.find(Deployment.class, target.getName()).isPresent();
            case "StatefulSet" -> manifests.find(StatefulSet.class, target.getName()).isPresent();
            default -> false;
          };
      if (!found) {
        problems.add(
            "HorizontalPodAutoscaler "
                + name(hpa)
                + ": no "
                + target.getKind()
                + " "
                + target.getName());
      }
      if (hpa.getSpec().getMinReplicas() != null
          && hpa.getSpec().getMinReplicas() > hpa.getSpec().getMaxReplicas()) {
        problems.add("HorizontalPodAutoscaler " + name(hpa) + ": minReplicas > maxReplicas");
      }
    }
  }

  private void disruptionBudgets() {
    for (PodDisruptionBudget pdb : manifests.all(PodDisruptionBudget.class)) {
      if (selected(pdb.getSpec().getSelector()).isEmpty()) {
        problems.add("PodDisruptionBudget " + name(pdb) + ": selects no pod template");
      }
    }
  }

  private void networkPolicies() {
    for (NetworkPolicy policy : manifests.all(NetworkPolicy.class)) {
      LabelSelector selector = policy.getSpec().getPodSelector();
      boolean everything =
          selector == null
              || (nullSafe(selector.getMatchLabels()).isEmpty()
                  && nullSafe(selector.getMatchExpressions()).isEmpty());
      List<Template> selected = everything ? templates : selected(selector);
      if (selected.isEmpty()) {
        problems.add("NetworkPolicy " + name(policy) + ": selects no pod template");
      }
      for (NetworkPolicyIngressRule rule : nullSafe(policy.getSpec().getIngress())) {
        for (NetworkPolicyPort port : nullSafe(rule.getPorts())) {
          boolean somewhere =
              selected.stream().anyMatch(t -> resolve(port.getPort(), containerPorts(t)) != null);
          if (!somewhere) {
            problems.add(
                "NetworkPolicy "
                    + name(policy)
                    + ": port "
                    + text(port.getPort())
                    + " is no port of the pods it selects");
          }
        }
      }
    }
  }

  /**
   * Aggregator shards (ADR 0014): every aggregator and every ingest container works with a shard
   * count equal to the aggregator StatefulSet's replicas (one without a StatefulSet: the one-pod
   * layout), read from the same ConfigMap file where it comes from one; and ingest reaches shard N
   * at the StatefulSet's pod N through its headless Service.
   */
  private void shards() {
    List<StatefulSet> aggregators = manifests.all(StatefulSet.class);
    int replicas = 1;
    String owner = "the one aggregator (no StatefulSet)";
    String podHost = null;
    for (StatefulSet aggregator : aggregators) {
      replicas =
          aggregator.getSpec().getReplicas() == null ? 1 : aggregator.getSpec().getReplicas();
      owner = "StatefulSet " + name(aggregator) + " with " + replicas + " replicas";
      podHost =
          name(aggregator) + "-" + ShardTarget.SHARD + "." + aggregator.getSpec().getServiceName();
    }
    for (Template t : templates) {
      for (Container c : nullSafe(t.spec().getContainers())) {
        String where = t.owner() + " container " + c.getName();
        Integer count =
            switch (String.valueOf(c.getName())) {
              case "aggregator" ->
                  shardCount(
                      t,
                      c,
                      "SEXTANT_AGGREGATOR_SHARD_COUNT_FILE",
                      "SEXTANT_AGGREGATOR_SHARD_COUNT");
              case "ingest" ->
                  shardCount(
                      t,
                      c,
                      "SEXTANT_INGEST_PIPELINE_SHARDS_COUNT_FILE",
                      "SEXTANT_INGEST_PIPELINE_SHARDS_COUNT");
              default -> null;
            };
        if (count == null) {
          continue;
        }
        if (count != replicas) {
          problems.add(where + ": works with " + count + " aggregator shards, but " + owner);
        }
        if ("ingest".equals(c.getName()) && podHost != null) {
          String targets = env(t, c, "SEXTANT_INGEST_PIPELINE_SHARDS_TARGETS");
          if (!ShardTarget.reaches(targets, podHost, replicas)) {
            problems.add(
                where
                    + ": SEXTANT_INGEST_PIPELINE_SHARDS_TARGETS is '"
                    + targets
                    + "', not the aggregator pods "
                    + podHost
                    + ":<port>");
          }
        }
      }
    }
  }

  /** How ingest names the aggregator shards: one host:port per shard, or one pattern. */
  private static final class ShardTarget {
    static final String SHARD = "{shard}";

    static boolean reaches(String targets, String podHost, int replicas) {
      if (targets == null) {
        return false;
      }
      if (!targets.contains(SHARD)) {
        return targets.split(",").length >= replicas;
      }
      return targets.startsWith(podHost + ":") || targets.startsWith(podHost + ".");
    }
  }

  /**
   * The shard count a container reads: from the file its setting names (which must be a key of a
   * mounted ConfigMap), else from its count setting, else 1. Null when it is not a number.
   */
  private Integer shardCount(Template t, Container c, String fileSetting, String countSetting) {
    String where = t.owner() + " container " + c.getName();
    String file = env(t, c, fileSetting);
    String text = file == null ? env(t, c, countSetting) : configMapFile(t, c, file);
    if (file != null && text == null) {
      problems.add(where + ": " + fileSetting + " " + file + " is no key of a mounted ConfigMap");
      return null;
    }
    try {
      return text == null ? 1 : Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      problems.add(where + ": shard count '" + text + "' is not a number");
      return null;
    }
  }

  /** A container's environment variable, set directly or from a ConfigMap; null when unset. */
  private String env(Template t, Container c, String name) {
    for (EnvVar env : nullSafe(c.getEnv())) {
      if (name.equals(env.getName())) {
        if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
          var ref = env.getValueFrom().getConfigMapKeyRef();
          return manifests
              .find(ConfigMap.class, ref.getName())
              .map(map -> nullSafe(map.getData()).get(ref.getKey()))
              .orElse(null);
        }
        return env.getValue();
      }
    }
    for (EnvFromSource from : nullSafe(c.getEnvFrom())) {
      if (from.getConfigMapRef() != null) {
        String value =
            manifests
                .find(ConfigMap.class, from.getConfigMapRef().getName())
                .map(map -> nullSafe(map.getData()).get(name))
                .orElse(null);
        if (value != null) {
          return value;
        }
      }
    }
    return null;
  }

  /**
   * What the file at {@code path} holds in the container when it is a key of a ConfigMap volume
   * mounted as a directory (a subPath mount is never updated, so it does not count); else null.
   */
  private String configMapFile(Template t, Container c, String path) {
    for (VolumeMount mount : nullSafe(c.getVolumeMounts())) {
      String dir =
          mount.getMountPath().endsWith("/") ? mount.getMountPath() : mount.getMountPath() + "/";
      if (!path.startsWith(dir) || mount.getSubPath() != null) {
        continue;
      }
      String file = path.substring(dir.length());
      for (Volume volume : nullSafe(t.spec().getVolumes())) {
        if (!volume.getName().equals(mount.getName()) || volume.getConfigMap() == null) {
          continue;
        }
        String key = file;
        if (volume.getConfigMap().getItems() != null) {
          key =
              volume.getConfigMap().getItems().stream()
                  .filter(item -> file.equals(item.getPath()))
                  .map(item -> item.getKey())
                  .findFirst()
                  .orElse(null);
        }
        String mapped = key;
        return manifests
            .find(ConfigMap.class, volume.getConfigMap().getName())
            .map(map -> nullSafe(map.getData()).get(mapped))
            .orElse(null);
      }
    }
    return null;
  }

  private List<Template> selected(LabelSelector selector) {
    return templates.stream()
        .filter(t -> selector != null && matches(selector, t.labels()))
        .toList();
  }

  private static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
      return false; // not used here; a selector we cannot evaluate selects nothing
    }
    Map<String, String> wanted = nullSafe(selector.getMatchLabels());
    return !wanted.isEmpty() && labels.entrySet().containsAll(wanted.entrySet());
  }

  private static List<ContainerPort> containerPorts(Template t) {
    return nullSafe(t.spec().getContainers()).stream()
        .flatMap(c -> nullSafe(c.getPorts()).stream())
        .toList();
  }

  /** The port number a named or numbered port refers to among {@code ports}, or null. */
  private static Integer resolve(IntOrString port, List<ContainerPort> ports) {
    if (port == null) {
      return null;
    }
    for (ContainerPort candidate : ports) {
      if (port.getStrVal() != null
          ? port.getStrVal().equals(candidate.getName())
          : Objects.equals(port.getIntVal(), candidate.getContainerPort())) {
        return candidate.getContainerPort();
      }
    }
    return null;
  }

  private void secretKey(String where, String name, String key) {
    var secret = manifests.find(Secret.class, name);
    if (secret.isEmpty()) {
      problems.add(where + ": no Secret " + name);
      return;
    }
    if (key != null
        && !nullSafe(secret.get().getData()).containsKey(key)
        && !nullSafe(secret.get().getStringData()).containsKey(key)) {
      problems.add(where + ": Secret " + name + " has no key " + key);
    }
  }

  private void configMapKey(String where, String name, String key) {
    var map = manifests.find(ConfigMap.class, name);
    if (map.isEmpty()) {
      problems.add(where + ": no ConfigMap " + name);
      return;
    }
    if (key != null && !nullSafe(map.get().getData()).containsKey(key)) {
      problems.add(where + ": ConfigMap " + name + " has no key " + key);
    }
  }

  private static String text(IntOrString port) {
    return port == null
        ? "null"
        : port.getStrVal() != null ? port.getStrVal() : String.valueOf(port.getIntVal());
  }

  private static String name(HasMetadata object) {
    return object.getMetadata() == null ? null : object.getMetadata().getName();
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static <K, V> Map<K, V> nullSafe(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
