// A command re-published from an outbox after JetStream's duplicate window has passed (an owner
// that crashed between publishing a batch and recording it published, and came back late) reaches
// the stream a second time. The receiving partition must skip it: the runtime records the
// Nats-Msg-Ids it applied in the batch transaction and checks them before applying.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headers as natsHeaders } from '@nats-io/transport-node';
import {
  publishAdds,
  readStream,
  spawnWorker,
  startServices,
  stopWorker,
  tallyCount,
  waitFor,
} from '../fixtures/runtime-harness.ts';

const DUPLICATE_WINDOW_MS = 500;

describe('a command re-published after the duplicate window', () => {
  it('is applied once: the copy is skipped by the receiving partition', async () => {
    const services = await startServices({ duplicateWindowMs: DUPLICATE_WINDOW_MS });
    const worker = spawnWorker(services, { WORKER_ID: 'late' });
    try {
      await publishAdds(services.bus, 3, 4);
      await waitFor('the adds to reach the tally', async () => (await tallyCount(services)) === 12);
      // The tally's commands came from the counters' outboxes, each with its Nats-Msg-Id.
      const counts = (await readStream(services.js, services.jsm, 'CMD')).filter(
        (m) => (m.body as { type: string }).type === 'tally',
      );
      assert.equal(counts.length, 12);
      const original = await services.jsm.streams.getMessage('CMD', { seq: counts[0]!.seq });
      assert.ok(original);
      const msgId = original.header.get('Nats-Msg-Id');
      assert.match(msgId, /^\d+-\d+$/);
      await new Promise((r) => setTimeout(r, DUPLICATE_WINDOW_MS * 3));
      const h = natsHeaders();
      h.set('Nats-Msg-Id', msgId);
      const copy = await services.js.publish(original.subject, original.data, { headers: h });
      assert.equal(copy.duplicate, false, 'JetStream stored the late copy');
      // A marker after the copy: once it is applied, the copy has been seen.
      await publishAdds(services.bus, 1, 1, 100);
      await waitFor(
        'the marker to reach the tally',
        async () => (await tallyCount(services)) >= 13,
      );
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await tallyCount(services), 13);
    } finally {
      await stopWorker(worker);
      await services.close();
    }
  });
});
