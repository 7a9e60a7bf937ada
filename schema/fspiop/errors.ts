// The FSPIOP error catalogue mkondo emits, in one typed table. Error identity is the code; the
// HTTP status of a synchronous answer derives from the code's family in one function (§1.5).

export const FspiopCode = {
  COMMUNICATION_ERROR: '1000',
  DESTINATION_COMMUNICATION_ERROR: '1001',
  GENERIC_SERVER_ERROR: '2000',
  INTERNAL_SERVER_ERROR: '2001',
  NOT_IMPLEMENTED: '2002',
  SERVICE_CURRENTLY_UNAVAILABLE: '2003',
  SERVER_TIMED_OUT: '2004',
  GENERIC_CLIENT_ERROR: '3000',
  UNACCEPTABLE_VERSION: '3001',
  UNKNOWN_URI: '3002',
  ADD_PARTY_INFO_ERROR: '3003',
  DELETE_PARTY_INFO_ERROR: '3040',
  GENERIC_VALIDATION_ERROR: '3100',
  MALFORMED_SYNTAX: '3101',
  MISSING_ELEMENT: '3102',
  TOO_MANY_ELEMENTS: '3103',
  TOO_LARGE_PAYLOAD: '3104',
  INVALID_SIGNATURE: '3105',
  MODIFIED_REQUEST: '3106',
  MISSING_MANDATORY_EXTENSION: '3107',
  GENERIC_ID_NOT_FOUND: '3200',
  DESTINATION_FSP_ERROR: '3201',
  PAYER_FSP_ID_NOT_FOUND: '3202',
  PAYEE_FSP_ID_NOT_FOUND: '3203',
  PARTY_NOT_FOUND: '3204',
  QUOTE_ID_NOT_FOUND: '3205',
  TRANSACTION_REQUEST_ID_NOT_FOUND: '3206',
  TRANSACTION_ID_NOT_FOUND: '3207',
  TRANSFER_ID_NOT_FOUND: '3208',
  BULK_QUOTE_ID_NOT_FOUND: '3209',
  BULK_TRANSFER_ID_NOT_FOUND: '3210',
  GENERIC_EXPIRED_ERROR: '3300',
  TRANSACTION_REQUEST_EXPIRED: '3301',
  QUOTE_EXPIRED: '3302',
  TRANSFER_EXPIRED: '3303',
  GENERIC_PAYER_ERROR: '4000',
  PAYER_FSP_INSUFFICIENT_LIQUIDITY: '4001',
  PAYER_LIMIT_ERROR: '4200',
  GENERIC_PAYEE_ERROR: '5000',
  PAYEE_REJECTION: '5100',
} as const;

export type FspiopCode = (typeof FspiopCode)[keyof typeof FspiopCode];

/** The catalogue message of each code; descriptions are "<message> - <detail>" like Mojaloop. */
export const FSPIOP_MESSAGES: Readonly<Record<string, string>> = {
  '1000': 'Communication error',
  '1001': 'Destination communication error',
  '2000': 'Generic server error',
  '2001': 'Internal server error',
  '2002': 'Not implemented',
  '2003': 'Service currently unavailable',
  '2004': 'Server timed out',
  '3000': 'Generic client error',
  '3001': 'Unacceptable version requested',
  '3002': 'Unknown URI',
  '3003': 'Add Party information error',
  '3040': 'Delete Party information error',
  '3100': 'Generic validation error',
  '3101': 'Malformed syntax',
  '3102': 'Missing mandatory element',
  '3103': 'Too many elements',
  '3104': 'Too large payload',
  '3105': 'Invalid signature',
  '3106': 'Modified request',
  '3107': 'Missing mandatory extension parameter',
  '3200': 'Generic ID not found',
  '3201': 'Destination FSP Error',
  '3202': 'Payer FSP ID not found',
  '3203': 'Payee FSP ID not found',
  '3204': 'Party not found',
  '3205': 'Quote ID not found',
  '3206': 'Transaction request ID not found',
  '3207': 'Transaction ID not found',
  '3208': 'Transfer ID not found',
  '3209': 'Bulk quote ID not found',
  '3210': 'Bulk transfer ID not found',
  '3300': 'Generic expired error',
  '3301': 'Transaction request expired',
  '3302': 'Quote expired',
  '3303': 'Transfer expired',
  '4000': 'Generic Payer error',
  '4001': 'Payer FSP insufficient liquidity',
  '4200': 'Payer limit error',
  '5000': 'Generic Payee error',
  '5100': 'Payee rejection',
};

export type ExtensionList = { readonly extension: readonly { key: string; value: string }[] };

/** A business or validation failure as a value (STYLE.md, Errors). */
export type FspiopError = {
  readonly errorCode: string;
  readonly errorDescription: string;
  readonly extensionList?: ExtensionList;
};

export type ErrorInformationObject = { readonly errorInformation: FspiopError };

/** Builds an error with the catalogue message, plus an optional detail after " - ". */
export function fspiopError(
  code: FspiopCode,
  detail?: string,
  extensionList?: ExtensionList,
): FspiopError {
  const message = FSPIOP_MESSAGES[code] ?? 'Unknown error';
  // ErrorDescription is limited to 128 characters by the API definition.
  const description = (detail ? `${message} - ${detail}` : message).slice(0, 128);
  return extensionList
    ? { errorCode: code, errorDescription: description, extensionList }
    : { errorCode: code, errorDescription: description };
}

export function errorBody(error: FspiopError): ErrorInformationObject {
  return { errorInformation: error };
}

/** HTTP status for a synchronous error answer (reference central-services-error-handling). */
export function httpStatusFor(code: string): number {
  if (code === '3001') return 406;
  if (code === '3002') return 404;
  if (code === '2002') return 501;
  if (code === '2003' || code === '2006') return 503;
  if (code.startsWith('1')) return 503;
  if (code.startsWith('2')) return 500;
  return 400;
}
