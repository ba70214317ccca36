package dev.sextant.aggregator;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared instance per distinct value, for values that repeat point after point: metric and
 * label names, and whole series definitions (whose id, a hash, is then computed once and whose
 * identity lets the store skip its own lookups). Bounded: when full it starts over, so a flood of
 * distinct values costs the misses and a little memory, never an unbounded map.
 */
final class Canonical<T> {
  private final int capacity;
  private final ConcurrentHashMap<T, T> pool = new ConcurrentHashMap<>();

  Canonical(int capacity) {
    this.capacity = capacity;
  }

  T canonical(T value) {
    T known = pool.get(value);
    if (known != null) {
      return known;
    }
    if (pool.size() >= capacity) {
      pool.clear();
    }
    known = pool.putIfAbsent(value, value);
    return known == null ? value : known;
  }
}
