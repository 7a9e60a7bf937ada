// PUT /parties/{Type}/{ID}[/{SubId}] in the ISO 20022 binding: an acmt.024 identification
// verification report whose `Rpt.UpdtdPtyAndAcctId` is the party found (`Vrfctn` true), sent by
// `Assgnmt.Assgnr` to `Assgnmt.Assgne` (the FSPIOP-Source and FSPIOP-Destination of the hop).

import type { IsoContext } from './context.ts';
import { assignment } from './errors.ts';
import { type FspiopParty, fspiopPartyOf, isoPartyOf } from './party.ts';
import type { Acmt024 } from './schemas.ts';

export function acmt024ToFspiop(iso: Acmt024): { party: FspiopParty } {
  const found = iso.Rpt.UpdtdPtyAndAcctId;
  return { party: fspiopPartyOf(found.Pty, found.Agt, found.Acct) };
}

export function fspiopToAcmt024(body: { party: FspiopParty }, ctx: IsoContext): object {
  const iso = isoPartyOf(body.party);
  return {
    Assgnmt: assignment(ctx),
    Rpt: {
      OrgnlId: ctx.msgId,
      Vrfctn: true,
      UpdtdPtyAndAcctId: {
        Pty: iso.party,
        Agt: iso.agent,
        ...(iso.account === undefined ? {} : { Acct: iso.account }),
      },
    },
  };
}
