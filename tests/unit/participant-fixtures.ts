// Commands that bring a Participant actor to a funded USD participant (id 5, position account
// 501, settlement account 502, NDC and funds in of 1,000.0000), shared by the settlement tests.

import type { ParticipantCommand } from '../../actors/participant/messages.ts';

export const FUNDED_PARTICIPANT: readonly ParticipantCommand[] = [
  {
    kind: 'CreateParticipant',
    participantId: 5,
    currency: 'USD',
    isProxy: false,
    accountTypes: ['POSITION', 'SETTLEMENT'],
  },
  {
    kind: 'SetInitialPositionAndLimits',
    currency: 'USD',
    netDebitCapMinor: 1_000_0000n,
    alarmPercentage: 10,
    initialPositionMinor: 0n,
  },
  {
    kind: 'RecordFundsIn',
    transferId: 'f1',
    accountId: 502,
    currency: 'USD',
    amountMinor: 1_000_0000n,
  },
];
