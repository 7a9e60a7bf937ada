// Prometheus metrics of the actor runtime, on prom-client's default registry (served by /metrics).
// Names are prefixed `mkondo_`; labels stay low-cardinality (partition numbers, never actor keys).

import { Counter, Gauge, Histogram, register } from 'prom-client';

function counter(name: string, help: string, labelNames: string[] = []): Counter {
  return (register.getSingleMetric(name) as Counter) ?? new Counter({ name, help, labelNames });
}

function gauge(name: string, help: string, labelNames: string[] = []): Gauge {
  return (register.getSingleMetric(name) as Gauge) ?? new Gauge({ name, help, labelNames });
}

function histogram(name: string, help: string, buckets: number[]): Histogram {
  return (register.getSingleMetric(name) as Histogram) ?? new Histogram({ name, help, buckets });
}

export const metrics = {
  batches: counter('mkondo_runtime_batches_total', 'Batches persisted by the actor loop'),
  messagesApplied: counter('mkondo_runtime_messages_applied_total', 'Commands applied to actors'),
  batchSize: histogram(
    'mkondo_runtime_batch_size',
    'Messages per persisted batch',
    [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
  ),
  batchSeconds: histogram(
    'mkondo_runtime_batch_duration_seconds',
    'Time from fetch to ack of one batch',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  ),
  poison: counter('mkondo_runtime_poison_messages_total', 'Messages recorded as poison', [
    'reason',
  ]),
  batchRetries: counter('mkondo_runtime_batch_retries_total', 'Batches abandoned and retried'),
  partitionsOwned: gauge('mkondo_runtime_partitions_owned', 'Partitions this worker owns'),
  lag: gauge('mkondo_runtime_partition_lag', 'Commands pending per owned partition', ['partition']),
  timersFired: counter('mkondo_runtime_timers_fired_total', 'Expiry commands fired'),
  parked: counter(
    'mkondo_runtime_parked_commands_total',
    'Commands parked as poison (changed nothing) per partition',
    ['partition'],
  ),
  partitionHalts: counter(
    'mkondo_runtime_partition_halts_total',
    'Times a partition halted on a broken money invariant',
    ['partition'],
  ),
  stalled: gauge(
    'mkondo_runtime_partition_stalled',
    '1 while an owned partition has pending commands and made no progress for PARTITION_STALL_MS',
    ['partition'],
  ),
  duplicatesSkipped: counter(
    'mkondo_runtime_duplicates_skipped_total',
    'Re-published commands skipped because this partition had applied them already',
  ),
};
