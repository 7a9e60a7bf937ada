// Directory over NATS KV: for each type asked, watch the bucket `dir-<type>` (created if absent)
// and keep every entry in a map, so lookups are synchronous and current within a watch delivery.
// Entries are written by the workers' outbox after the snapshot that produced them is durable.
// Buckets get the deployment's replicas (STREAM_REPLICAS) like the streams: losing the one node
// of an R1 directory bucket would stop every gateway's routing.

import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Directory } from './bus.ts';
import { decodeBytes } from './codec.ts';
import { ensureKvBucket } from './kv-buckets.ts';
import { actorKeyOf, directoryBucket, directoryKey } from './outbox.ts';

type Held = { readonly value: unknown; readonly revision: number };

export class KvDirectory implements Directory {
  private readonly maps = new Map<string, Map<string, Held>>();
  private readonly buckets = new Map<string, KV>();
  private readonly stops: Array<() => void> = [];

  private constructor() {}

  /** Resolves once the current contents of every bucket have been loaded. */
  static async open(
    nc: NatsConnection,
    types: readonly string[],
    options: { readonly replicas?: number } = {},
  ): Promise<KvDirectory> {
    const directory = new KvDirectory();
    for (const type of types) {
      await directory.watch(await ensureKvBucket(nc, directoryBucket(type), options), type);
    }
    return directory;
  }

  private async watch(kv: KV, type: string): Promise<void> {
    const entries = new Map<string, Held>();
    this.maps.set(type, entries);
    this.buckets.set(type, kv);
    const watcher = await kv.watch();
    this.stops.push(() => watcher.stop());
    let markLoaded: () => void = () => {};
    const loaded = new Promise<void>((resolve) => {
      markLoaded = resolve;
    });
    void (async () => {
      for await (const entry of watcher) {
        const key = actorKeyOf(entry.key);
        if (entry.operation === 'PUT') hold(entries, key, decodeBytes(entry.value), entry.revision);
        else entries.delete(key);
        if (entry.delta === 0) markLoaded();
      }
    })();
    if (watcher.getPending() === 0 && (await isEmpty(kv))) markLoaded();
    await loaded;
  }

  lookup<T>(type: string, key: string): T | undefined {
    return this.maps.get(type)?.get(key)?.value as T | undefined;
  }

  entries<T>(type: string): ReadonlyArray<{ key: string; value: T }> {
    const map = this.maps.get(type);
    if (!map) return [];
    return [...map].map(([key, held]) => ({ key, value: held.value as T }));
  }

  /**
   * Reads one entry straight from the bucket, so a change this process just caused (an Admin API
   * write) is visible to its next request without waiting for the watch to deliver it.
   */
  async refresh(type: string, key: string): Promise<void> {
    const kv = this.buckets.get(type);
    const entries = this.maps.get(type);
    if (!kv || !entries) return;
    const entry = await kv.get(directoryKey(key));
    if (entry?.operation === 'PUT') hold(entries, key, decodeBytes(entry.value), entry.revision);
  }

  close(): void {
    for (const stop of this.stops) stop();
  }
}

// The watch and refresh() may deliver the same key out of order; the higher revision wins.
function hold(entries: Map<string, Held>, key: string, value: unknown, revision: number): void {
  const current = entries.get(key);
  if (!current || current.revision < revision) entries.set(key, { value, revision });
}

async function isEmpty(kv: { status(): Promise<{ values: number }> }): Promise<boolean> {
  return (await kv.status()).values === 0;
}
