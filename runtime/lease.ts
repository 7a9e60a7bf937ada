// Partition ownership, independent of NATS so it can be tested with a fake store and clock. A lease
// is a key `p<partition>` in a store with a TTL: create fails while another worker holds it; the
// holder renews with update(expected revision) every leaseTtlMs/3; a failed renewal means the lease
// is lost and the partition stops at once. The revision returned by create is the fencing token.
// Each worker aims at ceil(partitions / liveWorkers): it claims free partitions and releases
// extras.

export interface LeaseStore {
  /** Creates the key; rejects if it exists. Resolves to the new revision. */
  create(key: string, value: string): Promise<number>;
  /** Replaces the key if its revision is still `revision`; rejects otherwise. */
  update(key: string, value: string, revision: number): Promise<number>;
  delete(key: string): Promise<void>;
  /** Keys currently held by anyone (unexpired). */
  heldKeys(): Promise<Set<string>>;
  /** Announces this worker as live for one TTL. */
  heartbeat(workerId: string): Promise<void>;
  liveWorkers(): Promise<number>;
}

export type LeaseEvents = {
  /** The partition is ours with this fencing token; start its loop. */
  acquired(partition: number, fence: number): void;
  /** The lease is gone (renewal failed): stop the loop at once, write nothing more. */
  lost(partition: number): void;
  /** Rebalancing asks us to hand the partition over: finish the batch, then resolve. */
  releasing(partition: number): Promise<void>;
};

type Held = { readonly fence: number; revision: number; renewedAtMs: number };

export function leaseKey(partition: number): string {
  return `p${partition}`;
}

/** Which partitions to claim and release to approach a fair share (pure). */
export function planRebalance(input: {
  readonly partitions: number;
  readonly owned: ReadonlySet<number>;
  readonly held: ReadonlySet<number>;
  readonly liveWorkers: number;
  /** Where this worker starts looking for free partitions, so workers don't collide. */
  readonly offset: number;
}): { claim: number[]; release: number[] } {
  const target = Math.ceil(input.partitions / Math.max(1, input.liveWorkers));
  const owned = [...input.owned].sort((a, b) => a - b);
  if (owned.length > target) return { claim: [], release: owned.slice(target) };
  const claim: number[] = [];
  for (let i = 0; i < input.partitions && owned.length + claim.length < target; i++) {
    const p = (input.offset + i) % input.partitions;
    if (!input.held.has(p) && !input.owned.has(p)) claim.push(p);
  }
  return { claim, release: [] };
}

export class LeaseManager {
  private readonly held = new Map<number, Held>();
  private readonly releasing = new Set<number>();

  constructor(
    private readonly store: LeaseStore,
    private readonly events: LeaseEvents,
    private readonly options: {
      readonly partitions: number;
      readonly leaseTtlMs: number;
      readonly workerId: string;
      readonly offset: number;
      readonly clock: () => number;
    },
  ) {}

  owned(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /** True while the last successful renewal is younger than the TTL (checked before writes). */
  isValid(partition: number): boolean {
    const lease = this.held.get(partition);
    return (
      lease !== undefined && this.options.clock() - lease.renewedAtMs < this.options.leaseTtlMs
    );
  }

  /** Renews every held lease; a failure (or a lease already past its TTL) loses the partition. */
  async renew(): Promise<void> {
    const renewals = [...this.held].map(async ([partition, lease]) => {
      const sentAtMs = this.options.clock();
      try {
        if (sentAtMs - lease.renewedAtMs >= this.options.leaseTtlMs) throw new Error('expired');
        lease.revision = await this.store.update(
          leaseKey(partition),
          this.options.workerId,
          lease.revision,
        );
        lease.renewedAtMs = sentAtMs;
      } catch {
        if (this.held.get(partition) !== lease) return;
        this.held.delete(partition);
        this.events.lost(partition);
      }
    });
    await Promise.all(renewals);
  }

  /** One rebalancing step: announce ourselves, then claim free partitions or release extras. */
  async rebalance(): Promise<void> {
    await this.store.heartbeat(this.options.workerId);
    const heldKeys = await this.store.heldKeys();
    const held = new Set<number>();
    for (let p = 0; p < this.options.partitions; p++) if (heldKeys.has(leaseKey(p))) held.add(p);
    const plan = planRebalance({
      partitions: this.options.partitions,
      owned: new Set(this.held.keys()),
      held,
      liveWorkers: await this.store.liveWorkers(),
      offset: this.options.offset,
    });
    for (const partition of plan.claim) await this.claim(partition);
    for (const partition of plan.release) await this.release(partition);
  }

  private async claim(partition: number): Promise<void> {
    const sentAtMs = this.options.clock();
    let revision: number;
    try {
      revision = await this.store.create(leaseKey(partition), this.options.workerId);
    } catch {
      return;
    }
    this.held.set(partition, { fence: revision, revision, renewedAtMs: sentAtMs });
    this.events.acquired(partition, revision);
  }

  /** Hands one partition over: stop its loop gracefully, then delete the key. */
  async release(partition: number): Promise<void> {
    if (!this.held.has(partition) || this.releasing.has(partition)) return;
    this.releasing.add(partition);
    try {
      await this.events.releasing(partition);
      this.held.delete(partition);
      await this.store.delete(leaseKey(partition)).catch(() => undefined);
    } finally {
      this.releasing.delete(partition);
    }
  }

  /** Gives up one partition without deleting its key (e.g. fenced out by a newer owner). */
  forget(partition: number): void {
    if (this.held.delete(partition)) this.events.lost(partition);
  }

  async releaseAll(): Promise<void> {
    await Promise.all(this.owned().map((p) => this.release(p)));
  }
}
