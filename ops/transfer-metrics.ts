// Transfer metrics a payments operator watches, counted where a transfer's fate becomes durable:
// a worker publishing the Transfer actor's events (WorkerOptions.wrapPorts), after the batch that
// holds them is persisted. Outcomes by FSPIOP error code, and the time of each stage measured
// from the clock stamped on the command that started it (envelope nowMs, which a reply carries
// on): prepare accepted to funds reserved, fulfil accepted to committed, prepare to final state.

import { Counter, Histogram, register } from 'prom-client';
import type { TransferEvent } from '../actors/transfer/events.ts';
import type { PublishPort } from '../runtime/ports.ts';
import type { OutboxRow } from '../runtime/snapshot-store.ts';
import type { PartitionPorts } from '../runtime/worker.ts';

const STAGE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

function outcomes(): Counter {
  const name = 'mkondo_transfers_total';
  return (
    (register.getSingleMetric(name) as Counter) ??
    new Counter({
      name,
      help: 'Transfers reaching a final state, by outcome, abort reason and FSPIOP error code',
      labelNames: ['outcome', 'reason', 'error_code'],
    })
  );
}

function stages(): Histogram {
  const name = 'mkondo_transfer_stage_seconds';
  return (
    (register.getSingleMetric(name) as Histogram) ??
    new Histogram({
      name,
      help: 'Time of a transfer stage, from the stamp of the command that began it to its event',
      labelNames: ['stage'],
      buckets: STAGE_BUCKETS,
    })
  );
}

type EventBody = { readonly nowMs: number; readonly event: TransferEvent };

/** Counts transfer outcomes and stage times from the events a batch publishes. */
export function meteredPorts(
  ports: PartitionPorts,
  clock: () => number = Date.now,
): PartitionPorts {
  const counted = outcomes();
  const timed = stages();
  const bus: PublishPort = {
    async publish(rows) {
      await ports.bus.publish(rows);
      const nowMs = clock();
      for (const row of rows) observe(row, nowMs, counted, timed);
    },
    reply: (subject, payload) => ports.bus.reply(subject, payload),
  };
  return { ...ports, bus };
}

const TRANSFER_EVENTS = /(^|\.)evt\.transfer\./;

function observe(row: OutboxRow, nowMs: number, counted: Counter, timed: Histogram): void {
  if (!TRANSFER_EVENTS.test(row.subject)) return;
  const { nowMs: stampMs, event } = JSON.parse(row.payload) as EventBody;
  const seconds = Math.max(0, nowMs - stampMs) / 1000;
  switch (event.type) {
    case 'TransferReserved':
      timed.observe({ stage: 'prepare_to_reserve' }, seconds);
      return;
    case 'TransferCommitted':
      timed.observe({ stage: 'fulfil_to_commit' }, seconds);
      counted.inc({ outcome: 'committed', reason: '', error_code: '' });
      return;
    case 'TransferAborted':
      counted.inc({ outcome: 'aborted', reason: event.reason, error_code: event.error.errorCode });
      return;
    case 'TransferInvalidated':
      counted.inc({ outcome: 'invalid', reason: 'INVALID', error_code: event.error.errorCode });
      return;
    default:
      return;
  }
}
