package dev.sextant.query.failure;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Set;

/** Every store call fails with the code {@link FailingStorage#failWith} holds. */
public class FailingStoreProfile implements QuarkusTestProfile {
  @Override
  public Set<Class<?>> getEnabledAlternatives() {
    return Set.of(FailingStorageProducer.class);
  }
}
