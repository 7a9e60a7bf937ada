// Read-your-writes for settlement steps: a step's ledger effects are postings the Settlement
// actor sends to Participant actors after its own state is durable. Before answering, the route
// waits (bounded) until every posting the step caused shows in the participants' snapshots, so
// an operator reading positions right after a PUT sees them moved, as with central-settlement.

import type { Effect } from '../../actors/actor.ts';
import type { PostSettlementTransfer } from '../../actors/contracts/settlement-participant.ts';
import type { RegisteredParticipant } from '../../actors/participant/state.ts';
import type { OpenSettlementState } from '../../actors/settlement/index.ts';
import { postingsForAbort, postingsForStep } from '../../actors/settlement/postings.ts';
import type { AdminDeps } from '../admin/http.ts';
import { findParticipant } from '../admin/views.ts';
import { readUntil } from './commands.ts';
import { readWindows } from './views.ts';

/** The postings a change from `before` to `after` caused. */
export function postingsBetween(
  before: OpenSettlementState,
  after: OpenSettlementState,
  hubName: string,
): Effect[] {
  if (after.state === 'ABORTED' && before.state !== 'ABORTED') {
    return postingsForAbort(before, hubName);
  }
  return after.accounts.flatMap((a, i) =>
    a.state === before.accounts[i]?.state ? [] : postingsForStep(after, a, a.state, hubName),
  );
}

function posted(p: RegisteredParticipant | undefined, postingId: string): boolean {
  return p?.settlement?.postings.includes(postingId) ?? false;
}

export async function awaitPostings(deps: AdminDeps, effects: readonly Effect[]): Promise<void> {
  for (const effect of effects) {
    if (effect.kind !== 'send') continue;
    const { postingId } = effect.command as PostSettlementTransfer;
    await readUntil(
      () => findParticipant(deps, effect.to.key),
      (p) => posted(p, postingId),
    );
  }
}

/** Once a settlement is SETTLED or ABORTED, waits until its window contents say so too. */
export async function awaitWindows(deps: AdminDeps, s: OpenSettlementState): Promise<void> {
  if (s.state !== 'SETTLED' && s.state !== 'ABORTED') return;
  await readUntil(
    () => readWindows(deps),
    (windows) =>
      Object.values(windows.windows).every((w) =>
        w.contents.every(
          (c) => c.settlementId !== s.settlementId || c.state !== 'PENDING_SETTLEMENT',
        ),
      ),
  );
}
