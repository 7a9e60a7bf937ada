// How the loop classifies a failure (RELIABILITY.md, "Runtime decisions"). Transient failures
// (a lost connection, a timeout, serialization 40001, deadlock 40P01, NATS unavailable) retry the
// batch with capped backoff; deterministic ones (the database refuses a value: SQLSTATE classes
// 22, 23 and 54) would fail again, so the driver isolates the command responsible and parks it.
// Decode errors and actors that throw are found by the step itself and never reach here.

import { metrics } from './metrics.ts';
import { type DriverDeps, type DriverLog, PortError } from './ports.ts';
import { FencedError, type PoisonRow, StaleStateError } from './snapshot-store.ts';
import type { Halt } from './step.ts';

export type FailureClass = 'fenced' | 'stale' | 'transient' | 'deterministic';

/** SQLSTATE classes of data the database refuses whatever the moment: retrying cannot help. */
const DETERMINISTIC_SQLSTATE_CLASSES = new Set(['22', '23', '54']);

export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof FencedError) return 'fenced';
  if (error instanceof StaleStateError) return 'stale';
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if (e instanceof PortError) {
      return e.kind === 'deterministic' ? 'deterministic' : 'transient';
    }
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return DETERMINISTIC_SQLSTATE_CLASSES.has(code.slice(0, 2)) ? 'deterministic' : 'transient';
    }
  }
  // Unknown failures are retried: a stalled partition is visible (/ready, metrics), while
  // parking commands on an error nobody understood could skip a healthy command.
  return 'transient';
}

/** Capped exponential backoff for the n-th consecutive retry (n ≥ 1). */
export function retryDelayMs(n: number): number {
  return Math.min(RETRY_DELAY_MAX_MS, RETRY_DELAY_MIN_MS * 2 ** Math.min(n - 1, 10));
}

export const RETRY_DELAY_MIN_MS = 50;
export const RETRY_DELAY_MAX_MS = 5000;

const HALT_POLL_MS = 2000;

/**
 * A money invariant broke: say so once, record the halting command, then poll until an
 * operator decides (`mkondo poison retry|drop`) or the driver stops.
 */
export async function awaitOperatorDecision(
  deps: Pick<DriverDeps, 'store' | 'clock' | 'log'>,
  partition: number,
  halt: Halt,
  stopping: () => boolean,
): Promise<void> {
  const { store, clock, log } = deps;
  const { seq, reason, actor } = halt.row;
  const row = { partition, seq, actor, reason };
  metrics.partitionHalts.inc({ partition: String(partition) });
  log.error({ ...row, err: halt.error }, 'partition halted: a command broke a money invariant');
  let recorded = false;
  while (!stopping()) {
    if (!recorded)
      recorded = await store.recordHalt(halt.row).then(
        () => true,
        () => false,
      );
    await clock.sleep(HALT_POLL_MS);
    if (stopping()) return;
    const decision = await store.haltDecision(seq).catch(() => 'halted' as const);
    if (decision === 'halted') continue;
    log.warn({ ...row, decision }, 'operator decided on the halting command; resuming');
    return;
  }
}

/** Each parked command is logged once, with what an operator needs to find it. */
export function logParked(log: DriverLog, partition: number, parked: readonly PoisonRow[]) {
  for (const { seq, actor, reason, status } of parked) {
    metrics.parked.inc({ partition: String(partition) });
    log.warn({ partition, seq, actor, reason, status }, 'command parked');
  }
}
