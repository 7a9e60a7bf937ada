// Crash injection: a worker child process SIGKILLs itself at each point of the batch protocol
// (before its one statement reaches the DB, while it is in flight, after it committed, halfway
// through publishing, after publishing), injected through the worker's ports. While it lies dead, nothing on the streams may be ahead of the DB; after a restart
// the final state and the outputs downstream equal those of a crash-free run.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertCrashFreeOutcome,
  outputsNotAheadOfDb,
  publishAdds,
  spawnWorker,
  startServices,
  stopWorker,
  tallyCount,
  waitFor,
} from '../fixtures/runtime-harness.ts';
import type { CrashStage } from '../fixtures/worker-process.ts';

const KEYS = 10;
const PER_KEY = 30;
const STAGES: CrashStage[] = [
  'before-write',
  'during-write',
  'after-write',
  'mid-publish',
  'after-publish',
];

describe('a worker killed in the middle of a batch', () => {
  for (const stage of STAGES) {
    it(`loses and duplicates nothing when killed ${stage}`, async () => {
      const services = await startServices();
      try {
        await publishAdds(services.bus, KEYS, PER_KEY);
        const doomed = spawnWorker(services, {
          MKONDO_CRASH_AT: stage,
          MKONDO_CRASH_AFTER_BATCHES: '3',
          BATCH_SIZE_MAX: '16',
          WORKER_ID: 'doomed',
        });
        await doomed.exited;
        assert.equal(doomed.child.signalCode, 'SIGKILL');
        assert.deepEqual(await outputsNotAheadOfDb(services), []);
        assert.ok((await tallyCount(services)) < KEYS * PER_KEY);
        const survivor = spawnWorker(services, { BATCH_SIZE_MAX: '16', WORKER_ID: 'survivor' });
        try {
          await waitFor('all adds to reach the tally', async () => {
            return (await tallyCount(services)) === KEYS * PER_KEY;
          });
          await assertCrashFreeOutcome(services, KEYS, PER_KEY);
        } finally {
          await stopWorker(survivor);
        }
      } finally {
        await services.close();
      }
    });
  }
});
