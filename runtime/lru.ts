// A bounded least-recently-used map for resident actor state (limit: actorCacheMax). A JS Map
// iterates in insertion order, so re-inserting on access keeps the oldest entry first.

export class Lru<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  /** Drops every entry whose key matches (e.g. the actors of a partition just taken over). */
  deleteWhere(matches: (key: K) => boolean): void {
    for (const key of this.map.keys()) if (matches(key)) this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
