// `mkondo poison list|retry <seq>|drop <seq>`: the operator's view of the poison record
// (runtime/poison-store.ts). A parked command changed nothing: `retry` publishes it to its
// partition again (a failure parks it again, under its new sequence), `drop` forgets it. A
// command that halted its partition is decided in place: the halted loop polls the decision,
// re-runs the batch on `retry` and skips the command, changing nothing, on `drop`.

import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { migrate } from '../runtime/index.ts';
import { decideHalt, deletePoison, findPoison, listPoison } from '../runtime/poison-store.ts';
import type { Config } from './config.ts';
import { openConfiguredDatabase } from './roles.ts';

export const POISON_USAGE = `mkondo poison list | retry <seq> | drop <seq>

list         every parked, halted and dropped command: partition, stream sequence, status,
             actor, reason
retry <seq>  parked: publish it to its partition again (parked again if it fails again);
             halted: re-run its partition's batch (after a fix)
drop <seq>   parked or dropped: forget the record; halted: skip the command (it changes
             nothing) and let the partition go on`;

export async function runPoisonCommand(config: Config, args: readonly string[]): Promise<void> {
  const [action, seqText] = args;
  const seq = Number(seqText);
  if (action !== 'list' && !(Number.isSafeInteger(seq) && seq > 0)) {
    throw new Error(`usage: ${POISON_USAGE}`);
  }
  const opened = await openConfiguredDatabase(config);
  try {
    await migrate(opened);
    const db = opened.db;
    if (action === 'list') {
      for (const p of await listPoison(db)) {
        const line = [p.partition, p.seq, p.status, p.actor ?? '-', p.recordedAt, p.reason];
        process.stdout.write(`${line.join('\t')}\n`);
      }
      return;
    }
    const found = await findPoison(db, seq);
    if (found === undefined) throw new Error(`no poison record at stream sequence ${seq}`);
    if (found.status === 'halted') {
      if (action !== 'retry' && action !== 'drop') throw new Error(`usage: ${POISON_USAGE}`);
      await decideHalt(db, seq, action);
      process.stdout.write(`partition ${found.partition}: ${action} of ${seq} requested\n`);
      return;
    }
    if (action === 'retry') {
      const nc = await connect({ servers: config.NATS_URL.split(',') });
      try {
        const ack = await jetstream(nc).publish(found.subject, found.payload);
        process.stdout.write(`re-published ${seq} as ${ack.seq}\n`);
      } finally {
        await nc.close();
      }
    } else if (action !== 'drop') {
      throw new Error(`usage: ${POISON_USAGE}`);
    }
    await deletePoison(db, seq);
  } finally {
    await opened.close();
  }
}
