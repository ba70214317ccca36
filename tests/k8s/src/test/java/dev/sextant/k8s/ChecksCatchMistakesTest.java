package dev.sextant.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The checks are not vacuous: each kind of mistake planted in a render is reported. */
class ChecksCatchMistakesTest {
  private static final Path REPOSITORY = KustomizeOverlaysTest.REPOSITORY;
  private static final String RENDERED =
      Kubectl.kustomize(REPOSITORY.resolve("k8s/overlays/postgres"));

  private static List<String> schemaProblems(String yaml) {
    return Manifests.parse(yaml).problems;
  }

  private static List<String> crossProblems(String yaml) {
    Manifests manifests = Manifests.parse(yaml);
    assertThat(manifests.problems).isEmpty();
    return CrossReferences.check(manifests, REPOSITORY);
  }

  /** The render with the first match of {@code regex} replaced (kubectl 1.20 and 1.32 alike). */
  private static String plant(String regex, String replacement) {
    Matcher matcher = Pattern.compile(regex).matcher(RENDERED);
    assertThat(matcher.find()).as("%s in the render", regex).isTrue();
    return matcher.replaceFirst(replacement);
  }

  @Test
  void theUnplantedRenderIsClean() {
    assertThat(schemaProblems(RENDERED)).isEmpty();
    assertThat(crossProblems(RENDERED)).isEmpty();
  }

  @Test
  void aWrongTypeIsRefused() {
    assertThat(schemaProblems(plant("replicas: 2", "replicas: two")))
        .anySatisfy(p -> assertThat(p).contains("does not match the Kubernetes API types"));
  }

  @Test
  void anUnknownFieldIsRefused() {
    assertThat(schemaProblems(plant("containerPort: 4318", "containerPortz: 4318")))
        .anySatisfy(
            p ->
                assertThat(p).contains("unknown to the Kubernetes API").contains("containerPortz"));
  }

  @Test
  void anUnknownKindIsRefused() {
    assertThat(schemaProblems(plant("kind: PodDisruptionBudget", "kind: PodDisruptionBudgett")))
        .anySatisfy(p -> assertThat(p).contains("not a kind of the Kubernetes API"));
  }

  @Test
  void aServiceSelectingNoPodIsReported() {
    assertThat(
            crossProblems(
                plant(
                    "selector:\n(\\s+)sextant.dev/query: \"true\"",
                    "selector:\n$1sextant.dev/queryx: \"true\"")))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("Service sextant-query")
                    .contains("matches no pod template"));
  }

  @Test
  void aProbeOnTheWrongPortOrPathIsReported() {
    assertThat(crossProblems(plant("port: query-http", "port: query-grpc")))
        .anySatisfy(
            p -> assertThat(p).contains("port 9095 is not the service's quarkus.http.port 9090"));
    assertThat(crossProblems(plant("path: /q/health/ready", "path: /healthz")))
        .anySatisfy(p -> assertThat(p).contains("path /healthz"));
    assertThat(crossProblems(plant("port: otlp-http", "port: otlp-htp")))
        .anySatisfy(p -> assertThat(p).contains("port otlp-htp is not a port of the container"));
  }

  @Test
  void anUndefinedSecretOrKeyIsReported() {
    assertThat(
            crossProblems(
                plant(
                    "key: password\n(\\s+)name: sextant-postgres",
                    "key: password\n$1name: sextant-pg")))
        .anySatisfy(p -> assertThat(p).contains("no Secret sextant-pg"));
    assertThat(crossProblems(plant("key: aggregator-api-key", "key: aggregator-key")))
        .anySatisfy(p -> assertThat(p).contains("has no key aggregator-key"));
  }

  @Test
  void aShardCountThatIsNotTheAggregatorReplicasIsReported() {
    assertThat(
            crossProblems(
                plant(
                    "podManagementPolicy: Parallel\n(\\s+)replicas: 2",
                    "podManagementPolicy: Parallel\n$1replicas: 3")))
        .anySatisfy(
            p ->
                assertThat(p)
                    .isEqualTo(
                        "Deployment sextant-ingest container ingest: works with 2 aggregator"
                            + " shards, but StatefulSet sextant-aggregator with 3 replicas"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(
                        "StatefulSet sextant-aggregator container aggregator: works with 2"));
    assertThat(crossProblems(plant("count: \"2\"", "count: \"3\"")))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("Deployment sextant-ingest container ingest: works with 3"));
  }

  @Test
  void aShardCountFileThatIsNoMountedConfigMapKeyIsReported() {
    assertThat(
            crossProblems(plant("value: /etc/sextant/shards/count", "value: /etc/sextant/count")))
        .anySatisfy(
            p -> assertThat(p).contains("/etc/sextant/count is no key of a mounted ConfigMap"));
  }

  @Test
  void shardTargetsThatAreNotTheAggregatorPodsAreReported() {
    assertThat(
            crossProblems(
                plant(
                    "sextant-aggregator-\\{shard\\}\\.sextant-aggregator:9180",
                    "sextant-aggregator:9180")))
        .anySatisfy(
            p ->
                assertThat(p)
                    .isEqualTo(
                        "Deployment sextant-ingest container ingest:"
                            + " SEXTANT_INGEST_PIPELINE_SHARDS_TARGETS is 'sextant-aggregator:9180',"
                            + " not the aggregator pods"
                            + " sextant-aggregator-{shard}.sextant-aggregator:<port>"));
  }
}
