package dev.sextant.aggregator;

import java.util.function.Function;

/**
 * One shared instance per distinct value, for values that repeat point after point: metric and
 * label names, and whole series definitions (whose id, a hash, is then computed once and whose
 * identity lets the store skip its own lookups). Bounded as a {@link BoundedMemo}.
 */
final class Canonical<T> {
  private final BoundedMemo<T, T> pool;

  Canonical(int capacity) {
    this.pool = new BoundedMemo<>(capacity);
  }

  T canonical(T value) {
    return pool.get(value, Function.identity());
  }
}
