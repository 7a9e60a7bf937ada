// Prometheus metrics of callback delivery, on prom-client's default registry. Every callback ends
// in exactly one outcome counted in mkondo_callbacks_total{outcome, dfsp}; the dfsp label is a
// participant name (tens to hundreds of values), never an id of a transfer or a party.

import { Counter, Gauge, Histogram, register } from 'prom-client';

function counter(name: string, help: string, labelNames: string[]): Counter {
  return (register.getSingleMetric(name) as Counter) ?? new Counter({ name, help, labelNames });
}

function gauge(name: string, help: string, labelNames: string[]): Gauge {
  return (register.getSingleMetric(name) as Gauge) ?? new Gauge({ name, help, labelNames });
}

function histogram(name: string, help: string, labelNames: string[], buckets: number[]) {
  return (
    (register.getSingleMetric(name) as Histogram) ??
    new Histogram({ name, help, labelNames, buckets })
  );
}

export const notifierMetrics = {
  callbacks: counter('mkondo_callbacks_total', 'Callbacks by final outcome and destination', [
    'outcome',
    'dfsp',
  ]),
  attempts: counter('mkondo_callback_attempts_total', 'HTTP attempts by result class', [
    'result',
    'dfsp',
  ]),
  seconds: histogram(
    'mkondo_callback_duration_seconds',
    'Time from taking a callback to its final outcome, retries included',
    ['outcome'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  ),
  deferred: counter(
    'mkondo_callbacks_deferred_total',
    'Callbacks handed back for later because the destination lane was full',
    ['dfsp'],
  ),
  inFlight: gauge('mkondo_callbacks_in_flight', 'Callbacks being delivered or queued', ['dfsp']),
};
