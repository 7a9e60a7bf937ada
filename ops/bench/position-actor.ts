// Scenario d: the position actor alone. ReserveFunds + CommitReservation pairs for one payer DFSP
// are published straight to the CMD stream through the runtime's NatsCommandBus, so all of them
// land on one partition and one actor, with real NATS and DB underneath. The rate is read from
// outside: the payer's position (Admin API) grows by the amount at each applied reservation, and
// its commit follows in the same partition order. The runtime's own counter is reported too.

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connect } from '@nats-io/transport-node';
import { NatsCommandBus } from '../../runtime/nats-bus.ts';
import { sleep } from './loadgen.ts';
import type { SwitchClient } from './switch-client.ts';
import type { Check } from './validity.ts';

export type PositionRunOptions = {
  readonly natsUrl: string;
  readonly partitions: number;
  readonly admin: SwitchClient;
  readonly opsUrls: readonly string[];
  readonly payer: string;
  readonly payee: string;
  readonly currency: string;
  readonly warmupS: number;
  readonly durationS: number;
  /** Reservations published but not yet applied, beyond which publishing waits. */
  readonly backlogMax: number;
  readonly progress: boolean;
};

export type PositionRunResult = {
  readonly opsPerSecond: number;
  readonly runtimeMessagesPerSecond: number;
  readonly published: number;
  readonly checks: Check[];
};

const AMOUNT_MINOR = 10_000n; // 1 unit at the fixed scale of 4
const PUBLISH_WINDOW = 512;
const DRAIN_MS = 15_000;
const BACKLOG_MIN = 200;

async function position(admin: SwitchClient, name: string, currency: string): Promise<number> {
  const rows = (await admin.json('GET', `/participants/${name}/positions`)) as {
    currency: string;
    value: unknown;
  }[];
  return Number(rows.find((row) => row.currency === currency)?.value ?? 0);
}

/** The runtime's applied-message counter summed over processes (and label sets); NaN if unread. */
export async function messagesApplied(opsUrls: readonly string[]): Promise<number> {
  let total = 0;
  for (const url of opsUrls) {
    try {
      const text = await (await fetch(`${url}/metrics`)).text();
      const lines = text.matchAll(/^mkondo_runtime_messages_applied_total(?:\{[^}]*\})? (\S+)$/gm);
      for (const line of lines) total += Number(line[1]);
    } catch {
      return Number.NaN;
    }
  }
  return total;
}

export async function runPositionActor(o: PositionRunOptions): Promise<PositionRunResult> {
  const nc = await connect({ servers: o.natsUrl, name: 'mkondo-bench' });
  const bus = new NatsCommandBus(nc, { partitions: o.partitions });
  const to = { type: 'participant', key: o.payer };
  const start = await position(o.admin, o.payer, o.currency);
  let reserves = 0;
  let applied = 0;
  let appliedPerS = 0;
  let stop = false;
  const inFlight = new Set<Promise<void>>();
  const publisher = (async () => {
    while (!stop) {
      // About one second of work queued: batches stay full and the drain stays short.
      if (reserves - applied >= Math.min(o.backlogMax, Math.max(BACKLOG_MIN, appliedPerS))) {
        await sleep(5);
        continue;
      }
      const transferId = randomUUID();
      const reserve = {
        kind: 'ReserveFunds',
        transferId,
        payerFsp: o.payer,
        payeeFsp: o.payee,
        currency: o.currency,
        amountMinor: AMOUNT_MINOR,
      };
      for (const command of [reserve, { kind: 'CommitReservation', transferId }]) {
        const sent = bus.send(to, command).finally(() => inFlight.delete(sent));
        inFlight.add(sent);
      }
      reserves++;
      if (inFlight.size >= PUBLISH_WINDOW) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  })();
  const t0 = performance.now();
  let lastPollMs = t0;
  let printedS = 0;
  let windowStart: { reserves: number; messages: number; atMs: number } | undefined;
  let windowEnd: { reserves: number; messages: number; atMs: number } | undefined;
  try {
    while (!windowEnd) {
      await sleep(250);
      const now = performance.now();
      const nowApplied = (await position(o.admin, o.payer, o.currency)) - start;
      appliedPerS = ((nowApplied - applied) * 1000) / Math.max(1, now - lastPollMs);
      applied = nowApplied;
      lastPollMs = now;
      const elapsedS = (now - t0) / 1000;
      const mark = async () => ({
        reserves: applied,
        messages: await messagesApplied(o.opsUrls),
        atMs: now,
      });
      if (!windowStart && elapsedS >= o.warmupS) windowStart = await mark();
      if (windowStart && elapsedS >= o.warmupS + o.durationS) windowEnd = await mark();
      if (o.progress && Math.floor(elapsedS) > printedS) {
        printedS = Math.floor(elapsedS);
        process.stderr.write(
          `[d] ${windowStart ? 'measure' : 'warm-up'} ${Math.floor(elapsedS)}s  published ` +
            `${reserves} pairs  reservations applied ${applied}\n`,
        );
      }
    }
  } finally {
    stop = true;
    await publisher;
  }
  const seconds = (windowEnd.atMs - windowStart!.atMs) / 1000;
  const drained = await drain(o, start, reserves);
  await nc.drain();
  return {
    opsPerSecond: Math.round(((windowEnd.reserves - windowStart!.reserves) * 2) / seconds),
    runtimeMessagesPerSecond: Math.round((windowEnd.messages - windowStart!.messages) / seconds),
    published: reserves * 2,
    checks: [
      {
        name: 'every published reservation applied exactly once',
        ok: drained === reserves,
        detail:
          `position moved by ${drained} units for ${reserves} ReserveFunds ` +
          `(${DRAIN_MS / 1000} s allowed after the window)`,
      },
    ],
  };
}

async function drain(o: PositionRunOptions, start: number, reserves: number): Promise<number> {
  const deadline = Date.now() + DRAIN_MS;
  let moved = 0;
  while (Date.now() < deadline) {
    moved = (await position(o.admin, o.payer, o.currency)) - start;
    if (moved >= reserves) break;
    await sleep(200);
  }
  await sleep(500);
  return (await position(o.admin, o.payer, o.currency)) - start;
}
