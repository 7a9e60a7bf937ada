// The `mkondo bench` command line: which scenarios, how long, open loop (--rate) or closed loop
// (--concurrency), how many worker processes, and --smoke for a short correctness-only run.
// Bad input stops with a message and the help text, before anything is started.

import { parseArgs } from 'node:util';

export type ScenarioName = 'a' | 's' | 'i' | 'b' | 'c' | 'd' | 'e' | 'f';

export type BenchOptions = {
  readonly scenarios: readonly ScenarioName[];
  readonly durationS: number;
  readonly warmupS: number;
  /** Open-loop rate override (flows/s); undefined = each scenario's target rate. */
  readonly rate?: number;
  readonly concurrency?: number;
  readonly workers: number;
  readonly smoke: boolean;
  readonly jsonOnly: boolean;
  readonly help: boolean;
};

export const HELP = `mkondo bench [options]

End-to-end benchmark: starts a fresh nats-server, a fresh PostgreSQL database and mkondo, onboards
simulated DFSPs through the Admin API, drives FSPIOP load and checks the books afterwards.
Each scenario gets its own fresh switch. Results are printed as a table and one JSON line,
and appended to BENCHMARKS.md.

Scenarios:
  a  transfers only (prepare + fulfil, all callbacks), 2 DFSPs
     target >= 500/s, p99 <= 50 ms
  s  scenario a secured: mutual TLS on the FSPIOP port, every DFSP request JWS-signed and
     verified by the switch (JWS_VERIFY=required), hub messages signed, every message verified
     by the receiving DFSP; reports the JWS sign/verify cost and the TLS handshake cost
  i  scenario a with an ISO 20022 payer (pacs.008 prepare, pacs.002 callback) and an FSPIOP
     payee: every transfer translated both ways; compare with a for the translation cost
  b  full flow: lookup -> quote -> transfer, 2 DFSPs
     target >= 200/s, p99 <= 250 ms
  c  hot payer: 8 DFSPs, 70 % of transfers from one payer, then a uniform mix at the same
     load (closed loop, 64 in flight, unless --rate/--concurrency); target ratio >= 0.9
  d  position actor alone: ReserveFunds + CommitReservation for one DFSP, published straight
     to the CMD stream; target >= 20,000 ops/s
  e  settlement window close: fill the open window with 100,000 commits (reserve + commit pairs
     published to the CMD stream), then close it while transfers run at 25/s; p99 before,
     during and after the close; target p99 during <= 2 x p99 before
  f  bulk transfers: bulks of 1,000 individual transfers (50 with --smoke) from one payer to
     one payee DFSP, 2 bulks in flight (--concurrency: bulks in flight; --rate does not
     apply); individual transfers committed per second, and per bulk the time from its POST
     to the payer's final PUT /bulkTransfers/{ID}

Options:
  --scenario a|s|i|b|c|d|e|f|all
                           scenarios to run, comma separated (default a,b,c,d;
                           with --smoke all)
  --duration <seconds>     measured window per scenario (default 20; smoke 4)
  --warmup <seconds>       warm-up per scenario, not counted (default 10; smoke 1)
  --rate <n>               open loop: flows started per second (default: the scenario's target
                           rate; smoke 20)
  --concurrency <n>        closed loop: flows kept in flight instead of a fixed rate
  --workers <n>            run gateway + notifier + n worker processes (default 0: one
                           \`mkondo dev\` process with every role)
  --smoke                  a few seconds at a low rate, correctness checks only; exits non-zero
                           when a check fails, and does not write BENCHMARKS.md
  --json-only              print only the JSON line (progress still goes to stderr)
  -h, --help               this text

Needs nats-server on PATH and PostgreSQL at postgres://postgres@127.0.0.1:5432 (or
BENCH_POSTGRES_URL). Latency is measured from the time a flow was due to the payer's final
callback, so queueing in an overloaded switch is counted.`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function positive(name: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'whole ' : ''}number`);
  }
  return value;
}

function scenarioList(text: string | undefined, smoke: boolean): ScenarioName[] {
  // The secured variant (s), the ISO 20022 variant (i), the window close under load (e, which
  // seeds 100,000 commits) and the bulks of 1,000 (f) are left out of the default run so
  // `make bench` stays within five minutes on 2 cores: `--scenario a,s` compares s with a,
  // `--scenario a,i` i with a, `--scenario e` runs e, `all` runs every one.
  if (text === undefined && !smoke) return ['a', 'b', 'c', 'd'];
  if (text === undefined || text === 'all') return ['a', 's', 'i', 'b', 'c', 'd', 'e', 'f'];
  const names = text.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!['a', 's', 'i', 'b', 'c', 'd', 'e', 'f'].includes(name)) {
      throw new UsageError(`unknown scenario '${name}'`);
    }
  }
  return [...new Set(names)] as ScenarioName[];
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  const smoke = v.smoke === true;
  const rate = positive('rate', v.rate, false) ?? (smoke ? 20 : undefined);
  const concurrency = positive('concurrency', v.concurrency, true);
  if (v.rate !== undefined && concurrency !== undefined) {
    throw new UsageError('--rate and --concurrency exclude each other');
  }
  const workers = v.workers === undefined ? 0 : positive('workers', v.workers, true)!;
  return {
    scenarios: scenarioList(v.scenario, smoke),
    durationS: positive('duration', v.duration, false) ?? (smoke ? 4 : 20),
    warmupS: v.warmup === '0' ? 0 : (positive('warmup', v.warmup, false) ?? (smoke ? 1 : 10)),
    ...(concurrency === undefined && rate !== undefined ? { rate } : {}),
    ...(concurrency === undefined ? {} : { concurrency }),
    workers,
    smoke,
    jsonOnly: v['json-only'] === true,
    help: v.help === true,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      scenario: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rate: { type: 'string' },
      concurrency: { type: 'string' },
      workers: { type: 'string' },
      smoke: { type: 'boolean' },
      'json-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
    strict: true,
  });
}
