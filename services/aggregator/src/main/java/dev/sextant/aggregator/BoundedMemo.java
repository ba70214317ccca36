package dev.sextant.aggregator;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values computed once per key, for keys that repeat point after point (names, series). Bounded:
 * when full it starts over, so a flood of distinct keys costs the misses and a little memory, never
 * an unbounded map. Thread-safe; two threads may compute one key at once, and both get the value
 * that was stored first.
 */
public final class BoundedMemo<K, V> {
  private final int capacity;
  private final ConcurrentHashMap<K, V> values = new ConcurrentHashMap<>();

  public BoundedMemo(int capacity) {
    this.capacity = capacity;
  }

  public V get(K key, Function<? super K, ? extends V> compute) {
    V known = values.get(key);
    if (known != null) {
      return known;
    }
    if (values.size() >= capacity) {
      values.clear();
    }
    V computed = compute.apply(key);
    known = values.putIfAbsent(key, computed);
    return known == null ? computed : known;
  }
}
