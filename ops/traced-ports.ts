// A span per actor turn, added around a worker's ports (WorkerOptions.wrapPorts) when tracing is
// on: each command delivered to a partition opens a consumer span, child of the trace context
// its publisher put in the message's `traceparent` header, and the span ends when the command
// is acknowledged, that is once its batch is persisted and its outputs published. The outputs
// carry the command's own traceparent on (runtime/batch.ts), never a span id of this process:
// they stay deterministic, so `mkondo replay` still matches them byte for byte.

import { context, propagation, type Span, SpanKind } from '@opentelemetry/api';
import type { ConsumerPort, Delivery, Subscription } from '../runtime/ports.ts';
import { tracer } from '../runtime/telemetry.ts';
import type { PartitionPorts } from '../runtime/worker.ts';

export function tracedPorts(ports: PartitionPorts, partition: number): PartitionPorts {
  return { ...ports, consumer: tracedConsumer(ports.consumer, partition) };
}

function tracedConsumer(consumer: ConsumerPort, partition: number): ConsumerPort {
  return {
    async open(checkpoint, limits) {
      return new TracedSubscription(await consumer.open(checkpoint, limits), partition);
    },
  };
}

class TracedSubscription implements Subscription {
  private readonly open = new Map<number, Span>();

  constructor(
    private readonly inner: Subscription,
    private readonly partition: number,
  ) {}

  async next(max: number, waitMs: number) {
    const deliveries = await this.inner.next(max, waitMs);
    if (deliveries !== 'closed') for (const d of deliveries) this.start(d);
    return deliveries;
  }

  ackThrough(seq: number): void {
    this.inner.ackThrough(seq);
    for (const [s, span] of this.open) {
      if (s > seq) continue;
      span.end();
      this.open.delete(s);
    }
  }

  close(): void {
    this.inner.close();
    for (const span of this.open.values()) span.end();
    this.open.clear();
  }

  private start(delivery: Delivery): void {
    if (this.open.has(delivery.seq)) return;
    const carrier = { traceparent: delivery.traceparent ?? '' };
    const parent = propagation.extract(context.active(), carrier);
    const actorType = delivery.subject.split('.').at(-3) ?? 'unknown';
    const span = tracer.startSpan(
      `actor ${actorType}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.destination.name': delivery.subject,
          'mkondo.partition': this.partition,
          'mkondo.stream_seq': delivery.seq,
          'mkondo.actor_type': actorType,
        },
      },
      parent,
    );
    this.open.set(delivery.seq, span);
  }
}
