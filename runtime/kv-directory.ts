// Directory over NATS KV: for each type asked, watch the bucket `dir-<type>` (created if absent)
// and keep every entry in a map, so lookups are synchronous and current within a watch delivery.
// Entries are written by the workers' outbox after the snapshot that produced them is durable.

import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Directory } from './bus.ts';
import { decodeBytes } from './codec.ts';
import { actorKeyOf, directoryBucket } from './outbox.ts';

export class KvDirectory implements Directory {
  private readonly maps = new Map<string, Map<string, unknown>>();
  private readonly stops: Array<() => void> = [];

  private constructor() {}

  /** Resolves once the current contents of every bucket have been loaded. */
  static async open(nc: NatsConnection, types: readonly string[]): Promise<KvDirectory> {
    const directory = new KvDirectory();
    const kvm = new Kvm(nc);
    for (const type of types) await directory.watch(kvm, type);
    return directory;
  }

  private async watch(kvm: Kvm, type: string): Promise<void> {
    const kv = await kvm.create(directoryBucket(type), { history: 1 });
    const entries = new Map<string, unknown>();
    this.maps.set(type, entries);
    const watcher = await kv.watch();
    this.stops.push(() => watcher.stop());
    let markLoaded: () => void = () => {};
    const loaded = new Promise<void>((resolve) => {
      markLoaded = resolve;
    });
    void (async () => {
      for await (const entry of watcher) {
        const key = actorKeyOf(entry.key);
        if (entry.operation === 'PUT') entries.set(key, decodeBytes(entry.value));
        else entries.delete(key);
        if (entry.delta === 0) markLoaded();
      }
    })();
    if (watcher.getPending() === 0 && (await isEmpty(kv))) markLoaded();
    await loaded;
  }

  lookup<T>(type: string, key: string): T | undefined {
    return this.maps.get(type)?.get(key) as T | undefined;
  }

  entries<T>(type: string): ReadonlyArray<{ key: string; value: T }> {
    const map = this.maps.get(type);
    if (!map) return [];
    return [...map].map(([key, value]) => ({ key, value: value as T }));
  }

  close(): void {
    for (const stop of this.stops) stop();
  }
}

async function isEmpty(kv: { status(): Promise<{ values: number }> }): Promise<boolean> {
  return (await kv.status()).values === 0;
}
