// The notifier's public surface: startNotifier() for the role, NotifierCore and the pure pieces
// (URL resolution, header building, retry policy) for tests and for other engineers' reference.

export {
  ensureNotifierConsumer,
  NOTIFIER_CONSUMER,
  type Notifier,
  type NotifierOptions,
  type NotifierStatus,
  startNotifier,
} from './consumer.ts';
export {
  type DeliveryOutcome,
  NotifierCore,
  type NotifierCoreOptions,
  type NotifierLog,
  type Prepared,
  prepareRequest,
} from './core.ts';
export { decodeCallback, isCallback } from './decode.ts';
export {
  buildHeaders,
  carriesAccept,
  mediaType,
  RELAYED_HEADERS,
  renderBody,
  versionFor,
} from './headers.ts';
export { type HubSigner, loadHubSigner, signerFromKey } from './jws.ts';
export { type AttemptResult, backoffMs, judgeAttempt, type RetryPolicy } from './retry.ts';
export { createHttpTransport, type HttpRequest, type Transport } from './transport.ts';
export { BASE_URL_ENDPOINT_TYPES, renderTemplate, resolveUrl, type UrlResolution } from './url.ts';
