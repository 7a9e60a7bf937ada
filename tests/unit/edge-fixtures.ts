// A gateway over a scripted bus, for the edge tests: it records every command the routes publish
// (so a test asserts that nothing reached the switch), lets a test make a publish fail the way
// JetStream fails, and makes actor requests hang as a stalled partition would.

import type { ActorRef } from '../../actors/actor.ts';
import type { ParticipantDirectoryEntry } from '../../actors/participant/directory.ts';
import { createAdminApp } from '../../gateway/admin/app.ts';
import { createFspiopApp } from '../../gateway/fspiop/app.ts';
import type { EdgeLimits } from '../../gateway/fspiop/edge.ts';
import type { CommandBus, Directory, RequestOptions, StateReader } from '../../runtime/bus.ts';

export const HUB = { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true };
export const DATE = new Date(0).toUTCString();

function entry(name: string): ParticipantDirectoryEntry {
  return {
    name,
    isActive: true,
    currencies: { USD: { positionAccountActive: true } },
    endpoints: { FSPIOP_CALLBACK_URL_QUOTES: 'http://dfsp' },
  };
}

export type Published = { readonly to: ActorRef; readonly command: unknown };

export type ScriptedSwitch = {
  readonly published: Published[];
  readonly requestOptions: Array<RequestOptions | undefined>;
  /** When set, every publish fails with this error. */
  publishError?: unknown;
};

export function scriptedSwitch(): ScriptedSwitch & { bus: CommandBus; directory: Directory } {
  const participants = new Map(['payerfsp', 'payeefsp'].map((name) => [name, entry(name)]));
  const state: ScriptedSwitch = { published: [], requestOptions: [] };
  const bus: CommandBus = {
    async send(to, command) {
      if (state.publishError !== undefined) throw state.publishError;
      state.published.push({ to, command });
    },
    request(_to, _command, options) {
      state.requestOptions.push(options);
      return new Promise(() => undefined);
    },
  };
  const directory: Directory = {
    lookup: <T>(type: string, key: string) =>
      (type === 'participant' ? participants.get(key) : undefined) as T | undefined,
    entries: () => [],
  };
  return Object.assign(state, { bus, directory });
}

const reader: StateReader = { get: async () => undefined, list: async () => [] };

export function edgeApps(limits: EdgeLimits) {
  const sw = scriptedSwitch();
  const fspiop = createFspiopApp({ bus: sw.bus, directory: sw.directory, hub: HUB, edge: limits });
  const admin = createAdminApp({ bus: sw.bus, reader, hub: HUB, edge: limits });
  return { sw, fspiop, admin };
}

export function fspiopHeaders(
  resource: string,
  source: string,
  extra: Record<string, string> = {},
) {
  return {
    accept: `application/vnd.interoperability.${resource}+json;version=1`,
    'content-type': `application/vnd.interoperability.${resource}+json;version=1.1`,
    date: DATE,
    'fspiop-source': source,
    ...extra,
  };
}

export async function errorOf(response: Response): Promise<[number, string, string]> {
  const body = (await response.json()) as {
    errorInformation: { errorCode: string; errorDescription: string };
  };
  return [response.status, body.errorInformation.errorCode, body.errorInformation.errorDescription];
}
