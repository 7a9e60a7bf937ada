// The timer wheel of one owned partition: a min-heap of (atMs, actor) fed from snapshots'
// timer_at_ms. An actor has at most one pending timer; a newer value supersedes the older heap
// entry lazily (stale entries are skipped when popped). Firing is at-least-once: a fired timer
// stays pending, due again `retryAfterMs` later, until a persisted state replaces it (set()), so
// a firing lost to a failed publish or a failed batch is fired again; the command carries a
// deterministic Nats-Msg-Id and the actor treats a late duplicate idempotently.

export type TimerEntry = { readonly type: string; readonly key: string; readonly atMs: number };

type HeapEntry = TimerEntry & { readonly dueMs: number };

export class TimerWheel {
  private readonly heap: HeapEntry[] = [];
  private readonly current = new Map<string, number>();

  get size(): number {
    return this.current.size;
  }

  /** Sets (or with undefined clears) the pending timer of one actor. */
  set(type: string, key: string, atMs: number | undefined): void {
    const id = `${type}\u0000${key}`;
    if (atMs === undefined) {
      this.current.delete(id);
      return;
    }
    if (this.current.get(id) === atMs) return;
    this.current.set(id, atMs);
    this.push({ type, key, atMs, dueMs: atMs });
  }

  /**
   * Returns every live timer due at or before `nowMs`, earliest first. Each stays pending and
   * is due again at `nowMs + retryAfterMs` unless set() replaces it before.
   */
  takeDue(nowMs: number, retryAfterMs: number): TimerEntry[] {
    const due: TimerEntry[] = [];
    while (this.heap.length > 0 && this.heap[0]!.dueMs <= nowMs) {
      const entry = this.pop();
      const id = `${entry.type}\u0000${entry.key}`;
      if (this.current.get(id) !== entry.atMs) continue;
      due.push({ type: entry.type, key: entry.key, atMs: entry.atMs });
    }
    for (const entry of due) this.push({ ...entry, dueMs: nowMs + retryAfterMs });
    return due;
  }

  private push(entry: HeapEntry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.dueMs <= entry.dueMs) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): HeapEntry {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.dueMs < heap[left]!.dueMs ? right : left;
      if (heap[child]!.dueMs >= last.dueMs) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}
