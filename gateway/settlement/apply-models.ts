// Keeps participants' settlement terms in step with the settlement models: a new participant (or
// currency) is told every active model and the OPEN window, and a new model is told to every
// existing participant, so accounts follow the models that apply, including later ones (the
// Participant actor opens what is missing; see actors/participant/decide-settlement.ts).

import { PARTICIPANT_ACTOR_TYPE } from '../../actors/participant/directory.ts';
import type { AdminReply } from '../../actors/participant/messages.ts';
import type { ApplySettlementModels } from '../../actors/participant/settlement-messages.ts';
import type { ModelTerms } from '../../actors/settlement-model/rules.ts';
import { type AdminDeps, expectOk } from '../admin/http.ts';
import { nowOption } from '../admin/participants.ts';
import { allParticipants, allSettlementModels } from '../admin/views.ts';
import { readWindows } from './views.ts';

async function applyCommand(deps: AdminDeps): Promise<ApplySettlementModels> {
  const models: ModelTerms[] = (await allSettlementModels(deps))
    .filter((m) => m.isActive)
    .map((m) => ({
      name: m.name,
      ledgerAccountType: m.ledgerAccountType,
      settlementAccountType: m.settlementAccountType,
      settlementGranularity: m.settlementGranularity,
      settlementDelay: m.settlementDelay,
      ...(m.currency === undefined ? {} : { currency: m.currency }),
    }));
  const windows = await readWindows(deps);
  return { kind: 'ApplySettlementModels', models, settlementWindowId: windows.openWindowId };
}

export async function applySettlementModels(deps: AdminDeps, names?: readonly string[]) {
  const command = await applyCommand(deps);
  const targets =
    names ?? (await allParticipants(deps)).map((p) => p.name).filter((n) => n !== deps.hub.hubName);
  for (const name of targets) {
    const ref = { type: PARTICIPANT_ACTOR_TYPE, key: name };
    expectOk(await deps.bus.request<AdminReply>(ref, command, nowOption(deps)));
    await deps.directory?.refresh?.(PARTICIPANT_ACTOR_TYPE, name);
  }
}
