// Configuration from environment variables, validated with valibot at start. A bad value stops the
// process with a message naming the variable and the rule. Every variable is documented in the
// README's table; defaults give a working laptop setup (`make run`).

import { hostname } from 'node:os';
import * as v from 'valibot';
import { refuseUnsafeProduction, SECURITY_SETTINGS } from './security-config.ts';

const port = (fallback: string) =>
  v.pipe(
    v.optional(v.string(), fallback),
    v.regex(/^\d{1,5}$/, 'must be a TCP port number'),
    v.transform(Number),
    v.minValue(1, 'must be a TCP port number (1-65535)'),
    v.maxValue(65535, 'must be a TCP port number (1-65535)'),
  );

const integer = (fallback: string, min: number, max: number) =>
  v.pipe(
    v.optional(v.string(), fallback),
    v.regex(/^\d+$/, 'must be a whole number'),
    v.transform(Number),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );

const flag = (fallback: 'true' | 'false') =>
  v.pipe(
    v.optional(v.picklist(['true', 'false'], 'must be true or false'), fallback),
    v.transform((text) => text === 'true'),
  );

const ConfigSchema = v.object({
  MKONDO_ENV: v.optional(
    v.picklist(['development', 'production'], 'must be development or production'),
    'development',
  ),
  NATS_URL: v.pipe(
    v.optional(v.string(), 'nats://127.0.0.1:4222'),
    v.regex(
      /^(nats|tls|wss?):\/\/[^\s]+(,(nats|tls|wss?):\/\/[^\s]+)*$/,
      'must be nats:// URLs, comma separated',
    ),
  ),
  DATABASE_URL: v.optional(
    v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL')),
  ),
  DATA_DIR: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty')), '.data'),
  FSPIOP_PORT: port('3000'),
  ADMIN_PORT: port('3001'),
  OPS_PORT: port('3002'),
  HOST: v.optional(v.string(), '0.0.0.0'),
  PARTITIONS: integer('16', 1, 1024),
  LEASE_TTL_MS: integer('5000', 500, 600000),
  BATCH_SIZE_MAX: integer('256', 1, 10000),
  ACTOR_CACHE_MAX: integer('10000', 10, 10000000),
  PARTITION_STALL_MS: integer('30000', 100, 86400000),
  WORKER_ID: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 _ . -')),
  ),
  HUB_NAME: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be an FspId (1-32 of A-Z a-z 0-9 _ -)'),
    ),
    'Hub',
  ),
  ENABLE_ON_US_TRANSFERS: flag('false'),
  SEND_TRANSFER_CONFIRMATION_TO_PAYEE: flag('true'),
  CALLBACK_VERSION: v.optional(v.picklist(['1.0', '1.1', '2.0'], 'must be 1.0, 1.1 or 2.0'), '1.0'),
  CALLBACK_INFLIGHT_PER_DFSP: integer('32', 1, 10000),
  CALLBACK_RETRY_HORIZON_S: integer('600', 1, 86_400),
  JWS_SIGNING_KEY_PATH: v.optional(v.pipe(v.string(), v.minLength(1, 'must be a file path'))),
  ADMIN_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters'))),
  ...SECURITY_SETTINGS,
  HTTP_BODY_BYTES_MAX: integer('131072', 1024, 8388608),
  BULK_BODY_BYTES_MAX: integer('786432', 1024, 8388608),
  REQUEST_TIMEOUT_MS: integer('10000', 100, 600000),
  STREAM_REPLICAS: integer('1', 1, 5),
  STREAM_MAX_AGE_DAYS: integer('30', 1, 3650),
  // Per stream; past it the stream refuses publishes (discard new) instead of dropping history.
  STREAM_MAX_BYTES: integer(String(4 * 1024 ** 3), 1024 ** 2, 2 ** 50),
  STREAM_MAX_MSG_BYTES: integer(String(1024 ** 2), 1024, 64 * 1024 ** 2),
  NATS_NAMESPACE: v.optional(
    v.pipe(v.string(), v.regex(/^([A-Za-z0-9-]{1,32})?$/, 'must be 1-32 of A-Z a-z 0-9 -')),
    '',
  ),
  STREAM_WATCH_INTERVAL_MS: integer('5000', 500, 600000),
  LEDGER_METRICS_REFRESH_MS: integer('5000', 0, 3600000),
  LOG_LEVEL: v.optional(
    v.picklist(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      'must be a pino level',
    ),
    'info',
  ),
});

type RawConfig = v.InferOutput<typeof ConfigSchema>;

export type Config = Omit<RawConfig, 'WORKER_ID'> & { readonly WORKER_ID: string };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the configuration; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = Object.fromEntries(
    Object.keys(ConfigSchema.entries)
      .filter((name) => env[name] !== undefined && env[name] !== '')
      .map((name) => [name, env[name]]),
  );
  const result = v.safeParse(ConfigSchema, input);
  if (!result.success) {
    const lines = result.issues.map((issue) => {
      const name = issue.path?.[0]?.key ?? '?';
      return `  ${String(name)}=${JSON.stringify(input[String(name)])}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = result.output;
  if (config.FSPIOP_PORT === config.ADMIN_PORT) {
    throw new ConfigError('invalid configuration:\n  ADMIN_PORT: must differ from FSPIOP_PORT');
  }
  const unsafe = refuseUnsafeProduction(config);
  if (unsafe.length > 0) {
    const heading =
      config.MKONDO_ENV === 'production'
        ? 'MKONDO_ENV=production refuses to start'
        : 'invalid configuration';
    throw new ConfigError(`${heading}:\n  ${unsafe.join('\n  ')}`);
  }
  return { ...config, WORKER_ID: config.WORKER_ID ?? `${hostname()}-${process.pid}` };
}
