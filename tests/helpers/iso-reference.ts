// Mojaloop's own translator (@mojaloop/ml-schema-transformer-lib, the one the reference hub runs
// in ISO mode) as the reference the hub's mappings are checked against, in its testing mode: the
// mode that renders an FSPIOP prepare or quote answer without the ISO quote it came from.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type Source = { body: unknown; headers?: Record<string, string>; params?: Record<string, string> };
type Facade = (source: Source) => Promise<{ body: unknown }>;
type Facades = Record<string, Record<string, Facade | Record<string, Facade>>>;

const lib = require('@mojaloop/ml-schema-transformer-lib') as {
  TransformFacades: {
    FSPIOP: Facades & { configure(config: object): void };
    FSPIOPISO20022: Facades & { configure(config: object): void };
  };
};

const silent = { isTestingMode: true, logger: quietLogger() };
lib.TransformFacades.FSPIOP.configure(silent);
lib.TransformFacades.FSPIOPISO20022.configure(silent);

function quietLogger(): object {
  const nothing = () => undefined;
  const logger: Record<string, unknown> = {};
  for (const level of ['error', 'warn', 'info', 'verbose', 'debug', 'silly', 'audit', 'trace']) {
    logger[level] = nothing;
    logger[`is${level[0]?.toUpperCase()}${level.slice(1)}Enabled`] = false;
  }
  logger['child'] = () => logger;
  return logger;
}

function facade(side: Facades, path: string): Facade {
  const [resource = '', verb = '', nested] = path.split('.');
  const group = side[resource] as Record<string, Facade | Record<string, Facade>>;
  const found =
    nested === undefined ? group[verb] : (group[verb] as Record<string, Facade>)[nested];
  if (typeof found !== 'function') throw new Error(`no reference facade ${path}`);
  return found;
}

/** The reference's FSPIOP ⇒ ISO rendering, e.g. `transfers.post`. */
export async function referenceToIso(path: string, source: Source): Promise<unknown> {
  return (await facade(lib.TransformFacades.FSPIOP, path)(source)).body;
}

/** The reference's ISO ⇒ FSPIOP rendering. */
export async function referenceToFspiop(path: string, source: Source): Promise<unknown> {
  return (await facade(lib.TransformFacades.FSPIOPISO20022, path)(source)).body;
}
