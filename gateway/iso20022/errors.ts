// FSPIOP errors in the ISO 20022 binding: every `/error` callback but the parties one is a pacs.002
// `PacsError` whose `TxInfAndSts.StsRsnInf.Rsn.Prtry` is the FSPIOP error code and `AddtlInf` the
// description (cut to its 105 characters); PUT /parties/.../error is an acmt.024 with
// `Rpt.Vrfctn` false and the code in `Rpt.Rsn.Cd`, which carries no description, so the catalogue
// message stands in for it (as ml-schema-transformer-lib does).

import { FSPIOP_MESSAGES, type FspiopError } from '../../schema/fspiop/errors.ts';
import { type IsoContext, IsoMappingError } from './context.ts';
import type { Pacs002Error } from './schemas.ts';

type ErrorBody = { readonly errorInformation: FspiopError };

export function pacs002ErrorToFspiop(iso: Pacs002Error): ErrorBody {
  const reason = iso.TxInfAndSts.StsRsnInf;
  const code = reason.Rsn.Prtry;
  return {
    errorInformation: {
      errorCode: code,
      errorDescription: reason.AddtlInf ?? FSPIOP_MESSAGES[code] ?? 'Unknown error',
    },
  };
}

export function fspiopErrorToPacs002(body: ErrorBody, ctx: IsoContext): Record<string, unknown> {
  const { errorCode, errorDescription } = body.errorInformation;
  return {
    GrpHdr: { MsgId: ctx.msgId, CreDtTm: ctx.createdAt },
    TxInfAndSts: {
      StsRsnInf: { Rsn: { Prtry: errorCode }, AddtlInf: errorDescription.slice(0, 105) },
    },
  };
}

type Acmt024Error = { readonly Rpt: { readonly Rsn?: { readonly Cd?: string } } };

export function acmt024ErrorToFspiop(iso: Acmt024Error): ErrorBody {
  const code = iso.Rpt.Rsn?.Cd;
  if (code === undefined) {
    throw new IsoMappingError('3102', "/requestBody/Rpt/Rsn must have required property 'Cd'");
  }
  return {
    errorInformation: {
      errorCode: code,
      errorDescription: FSPIOP_MESSAGES[code] ?? 'Unknown error',
    },
  };
}

export function fspiopErrorToAcmt024(body: ErrorBody, ctx: IsoContext): Record<string, unknown> {
  return {
    Assgnmt: assignment(ctx),
    Rpt: { OrgnlId: ctx.msgId, Vrfctn: false, Rsn: { Cd: body.errorInformation.errorCode } },
  };
}

/** acmt.024's Assgnmt: the message header, naming the sender (Assgnr) and receiver (Assgne). */
export function assignment(ctx: IsoContext): Record<string, unknown> {
  const agent = (id: string | undefined) => ({ Agt: { FinInstnId: { Othr: { Id: id ?? '' } } } });
  return {
    MsgId: ctx.msgId,
    CreDtTm: ctx.createdAt,
    Assgnr: agent(ctx.source),
    Assgne: agent(ctx.destination),
  };
}
