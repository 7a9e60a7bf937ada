// Request bodies Mojaloop's provisioning sends through the Admin API, shared by the benchmark's
// onboarding and the end-to-end tests: the default settlement model, and the callback endpoints of
// a DFSP served under one base URL as URL templates for every endpoint type (fspiop.md §6.3).

/** Every FSPIOP endpoint type of the provisioning collection, as templates under `base`. */
export function endpointTemplates(base: string): Record<string, string> {
  const party = `${base}/parties/{{partyIdType}}/{{partyIdentifier}}`;
  const participant = `${base}/participants/{{partyIdType}}/{{partyIdentifier}}`;
  return {
    FSPIOP_CALLBACK_URL_AUTHORIZATIONS: base,
    FSPIOP_CALLBACK_URL_PARTICIPANT_PUT: participant,
    FSPIOP_CALLBACK_URL_PARTICIPANT_PUT_ERROR: `${participant}/error`,
    FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT: `${base}/participants/{{requestId}}`,
    FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT_ERROR: `${base}/participants/{{requestId}}/error`,
    FSPIOP_CALLBACK_URL_PARTIES_GET: party,
    FSPIOP_CALLBACK_URL_PARTIES_PUT: party,
    FSPIOP_CALLBACK_URL_PARTIES_PUT_ERROR: `${party}/error`,
    FSPIOP_CALLBACK_URL_QUOTES: base,
    FSPIOP_CALLBACK_URL_BULK_QUOTES: base,
    FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE: base,
    FSPIOP_CALLBACK_URL_TRANSFER_POST: `${base}/transfers`,
    FSPIOP_CALLBACK_URL_TRANSFER_PUT: `${base}/transfers/{{transferId}}`,
    FSPIOP_CALLBACK_URL_TRANSFER_ERROR: `${base}/transfers/{{transferId}}/error`,
    FSPIOP_CALLBACK_URL_BULK_TRANSFER_POST: `${base}/bulkTransfers`,
    FSPIOP_CALLBACK_URL_BULK_TRANSFER_PUT: `${base}/bulkTransfers/{{id}}`,
    FSPIOP_CALLBACK_URL_BULK_TRANSFER_ERROR: `${base}/bulkTransfers/{{id}}/error`,
    FSPIOP_CALLBACK_URL_PARTICIPANT_SUB_ID_PUT: `${participant}/{{partySubIdOrType}}`,
    FSPIOP_CALLBACK_URL_PARTICIPANT_SUB_ID_PUT_ERROR: `${participant}/{{partySubIdOrType}}/error`,
    FSPIOP_CALLBACK_URL_PARTICIPANT_SUB_ID_DELETE: `${participant}/{{partySubIdOrType}}`,
    FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_GET: `${party}/{{partySubIdOrType}}`,
    FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_PUT: `${party}/{{partySubIdOrType}}`,
    FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_PUT_ERROR: `${party}/{{partySubIdOrType}}/error`,
  };
}

/** The FX endpoint types an FXP and an FX-capable DFSP register (provisioning's ttkfxp1.json). */
export function fxEndpointTemplates(base: string): Record<string, string> {
  return {
    FSPIOP_CALLBACK_URL_FX_QUOTES: base,
    FSPIOP_CALLBACK_URL_FX_TRANSFER_POST: `${base}/fxTransfers`,
    FSPIOP_CALLBACK_URL_FX_TRANSFER_PUT: `${base}/fxTransfers/{{commitRequestId}}`,
    FSPIOP_CALLBACK_URL_FX_TRANSFER_ERROR: `${base}/fxTransfers/{{commitRequestId}}/error`,
  };
}

/** The golden path's default settlement model (DEFERRED NET MULTILATERAL on POSITION). */
export const DEFAULT_SETTLEMENT_MODEL = {
  name: 'DEFAULTDEFERREDNET',
  settlementGranularity: 'NET',
  settlementInterchange: 'MULTILATERAL',
  settlementDelay: 'DEFERRED',
  requireLiquidityCheck: true,
  ledgerAccountType: 'POSITION',
  autoPositionReset: true,
  settlementAccountType: 'SETTLEMENT',
} as const;
