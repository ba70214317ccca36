package dev.sextant.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every layout under k8s/ renders with kubectl kustomize into valid, consistent objects. */
class KustomizeOverlaysTest {
  static final Path REPOSITORY = repository();

  static Path repository() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("k8s/common"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new AssertionError("no k8s/common above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Manifests render(String layout) {
    Manifests manifests =
        Manifests.parse(Kubectl.kustomize(REPOSITORY.resolve("k8s").resolve(layout)));
    assertThat(manifests.problems).as("schema problems of %s", layout).isEmpty();
    assertThat(CrossReferences.check(manifests, REPOSITORY))
        .as("cross-reference problems of %s", layout)
        .isEmpty();
    return manifests;
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/sqlite", "overlays/postgres", "overlays/clickhouse"})
  void rendersValidConsistentObjects(String layout) {
    Manifests manifests = render(layout);
    assertThat(manifests.objects)
        .filteredOn(o -> !o.getKind().equals("Namespace"))
        .filteredOn(o -> !"sextant".equals(o.getMetadata().getNamespace()))
        .extracting(o -> o.getKind() + " " + o.getMetadata().getName())
        .as("objects outside the sextant namespace")
        .isEmpty();
    assertThat(manifests.all(Service.class))
        .extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "sextant-ingest", "sextant-query", "sextant-aggregator", "sextant-retention");
    assertThat(manifests.all(NetworkPolicy.class)).hasSizeGreaterThanOrEqualTo(5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/postgres", "overlays/clickhouse"})
  void scaledLayoutsRunEachServiceOnItsOwnOnTheirBackend(String layout) {
    Manifests manifests = render(layout);
    String kind = layout.substring(layout.indexOf('/') + 1);
    assertThat(manifests.all(Deployment.class))
        .extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder("sextant-ingest", "sextant-query", "sextant-retention");
    StatefulSet aggregator = manifests.find(StatefulSet.class, "sextant-aggregator").orElseThrow();
    assertThat(aggregator.getSpec().getServiceName()).isEqualTo("sextant-aggregator");
    assertThat(aggregator.getSpec().getReplicas()).as("aggregator shards").isGreaterThan(1);
    assertThat(manifests.find(ConfigMap.class, "sextant-shards").orElseThrow().getData())
        .containsEntry("count", String.valueOf(aggregator.getSpec().getReplicas()));
    assertThat(manifests.all(HorizontalPodAutoscaler.class))
        .extracting(h -> h.getSpec().getScaleTargetRef().getName())
        .containsExactlyInAnyOrder("sextant-ingest", "sextant-query");
    assertThat(manifests.all(PodDisruptionBudget.class))
        .extracting(p -> p.getMetadata().getName())
        .contains("sextant-ingest", "sextant-query", "sextant-aggregator");
    ConfigMap config = manifests.find(ConfigMap.class, "sextant-config").orElseThrow();
    assertThat(config.getData()).containsEntry("SEXTANT_STORAGE_KIND", kind);
    String password = "SEXTANT_STORAGE_" + kind.toUpperCase() + "_PASSWORD";
    for (var template :
        List.of(
            aggregator.getSpec().getTemplate(),
            manifests
                .find(Deployment.class, "sextant-ingest")
                .orElseThrow()
                .getSpec()
                .getTemplate(),
            manifests.find(Deployment.class, "sextant-query").orElseThrow().getSpec().getTemplate(),
            manifests
                .find(Deployment.class, "sextant-retention")
                .orElseThrow()
                .getSpec()
                .getTemplate())) {
      assertThat(template.getSpec().getContainers().get(0).getEnv())
          .anySatisfy(
              env -> {
                assertThat(env.getName()).isEqualTo(password);
                assertThat(env.getValueFrom().getSecretKeyRef().getName())
                    .isEqualTo("sextant-" + kind);
              });
    }
    assertThat(manifests.all(PersistentVolumeClaim.class)).isEmpty();
  }

  @Test
  void sqliteIsOnePodOnOneVolume() {
    Manifests manifests = render("overlays/sqlite");
    assertThat(manifests.all(StatefulSet.class)).isEmpty();
    Deployment pod = manifests.find(Deployment.class, "sextant").orElseThrow();
    assertThat(pod.getSpec().getReplicas()).isEqualTo(1);
    assertThat(pod.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(pod.getSpec().getTemplate().getSpec().getContainers())
        .extracting(c -> c.getName())
        .containsExactly("aggregator", "ingest", "query", "retention");
    assertThat(manifests.all(PersistentVolumeClaim.class)).hasSize(1);
    assertThat(manifests.find(ConfigMap.class, "sextant-config").orElseThrow().getData())
        .containsEntry("SEXTANT_STORAGE_KIND", "sqlite")
        .containsEntry("SEXTANT_STORAGE_SQLITE_DATA_DIR", "/var/lib/sextant");
    assertThat(manifests.all(HorizontalPodAutoscaler.class)).isEmpty();
    assertThat(manifests.find(ConfigMap.class, "sextant-shards")).as("one shard").isEmpty();
  }
}
