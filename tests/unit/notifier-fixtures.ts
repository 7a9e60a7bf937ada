// Shared fixtures for the notifier's unit tests: a directory of DFSPs, a scripted transport, a
// hub-originated PUT, and a simulated clock that lets minutes of outage run in milliseconds.

import type { ActorRef } from '../../actors/actor.ts';
import type { Callback } from '../../actors/callback.ts';
import type { ForwardFailed } from '../../actors/contracts/forward-failure.ts';
import type { ParticipantDirectoryEntry } from '../../actors/participant/directory.ts';
import type { Directory } from '../../runtime/bus.ts';
import { NotifierCore } from '../../runtime/notifier/core.ts';
import { notifierMetrics } from '../../runtime/notifier/metrics.ts';
import type { AttemptResult } from '../../runtime/notifier/retry.ts';
import type { HttpRequest, Transport } from '../../runtime/notifier/transport.ts';

export const SILENT = { debug() {}, warn() {}, error() {} };

export function directoryOf(entries: ParticipantDirectoryEntry[]): Directory {
  const byName = new Map(entries.map((e) => [e.name, e]));
  return {
    lookup: <T>(type: string, key: string) =>
      (type === 'participant' ? byName.get(key) : undefined) as T | undefined,
    entries: () => [],
  };
}

export function dfsp(name: string): ParticipantDirectoryEntry {
  return {
    name,
    isActive: true,
    currencies: {},
    endpoints: { FSPIOP_CALLBACK_URL_TRANSFER_PUT: `http://${name}.test/transfers/{{transferId}}` },
  };
}

/** Answers with the scripted results in order, then with the last one. */
export function scripted(results: AttemptResult[]): Transport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async send(request) {
      requests.push(request);
      return results[Math.min(requests.length, results.length) - 1]!;
    },
    async close() {},
  };
}

export function put(to: string, transferId = 't-1'): Callback {
  return {
    to,
    endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
    params: { transferId },
    method: 'PUT',
    path: `/transfers/${transferId}`,
    resource: 'transfers',
    body: { transferState: 'COMMITTED' },
    id: `cb-${transferId}`,
  };
}

export const T0 = Date.UTC(2026, 0, 1);

export function core(
  transport: Transport,
  horizonMs = 60_000,
  names = ['payerfsp', 'Hub'],
): NotifierCore {
  return new NotifierCore({
    directory: directoryOf(names.map(dfsp)),
    hub: { hubName: 'Hub' },
    transport,
    retry: { horizonMs, backoffBaseMs: 1, backoffMaxMs: 4 },
    log: SILENT,
    clock: () => T0,
    random: () => 0.5,
  });
}

/**
 * A DFSP whose every attempt takes `attemptMs` of a simulated clock and answers with `results`
 * in order (then the last one), so that minutes of outage run in milliseconds.
 */
export function outage(results: AttemptResult[], attemptMs: number) {
  let nowMs = T0;
  const transport = scripted(results);
  const send = transport.send.bind(transport);
  transport.send = async (request) => {
    nowMs += attemptMs;
    return send(request);
  };
  const reports: Array<{ to: ActorRef; command: ForwardFailed }> = [];
  const notifier = new NotifierCore({
    directory: directoryOf([dfsp('payerfsp')]),
    hub: { hubName: 'Hub' },
    transport,
    retry: { horizonMs: 10 * 60_000, backoffBaseMs: 1, backoffMaxMs: 4 },
    log: SILENT,
    clock: () => nowMs,
    random: () => 0.5,
    reportFailure: async (to, command) => {
      reports.push({ to, command });
    },
  });
  return { notifier, transport, reports };
}

export const status = (code: number): AttemptResult => ({ kind: 'status', status: code });

export async function counted(outcome: string, dfspName: string): Promise<number> {
  const values = (await notifierMetrics.callbacks.get()).values;
  const found = values.find(
    (v) => v.labels['outcome'] === outcome && v.labels['dfsp'] === dfspName,
  );
  return found?.value ?? 0;
}
