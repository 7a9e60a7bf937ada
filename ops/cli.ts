// The `mkondo` command line. Each command runs one role (or all of them for `dev`); configuration
// comes from environment variables (ops/config.ts), flags only select what to run.

import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { logger } from './logger.ts';

type Command = {
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: string[]) => Promise<void>;
  /** Commands with their own flags get the raw arguments. */
  readonly rawArgs?: boolean;
};

const COMMON = `Configuration is read from environment variables (see README, "Configuration").`;

const COMMANDS: Readonly<Record<string, Command>> = {
  dev: {
    summary: 'all roles in one process (gateway, worker, notifier); migrates the database first',
    usage: `mkondo dev\n\nRuns gateway (FSPIOP_PORT, ADMIN_PORT), worker and notifier in one process and\nserves /health, /ready, /metrics on OPS_PORT. With DATABASE_URL unset it uses embedded PGlite\nunder DATA_DIR. ${COMMON}`,
    run: async () =>
      (await import('./roles.ts')).runRoles(loadConfig(), ['gateway', 'worker', 'notifier'], true),
  },
  gateway: {
    summary: 'FSPIOP API (FSPIOP_PORT) and Admin API (ADMIN_PORT); stateless, scale by replicas',
    usage: `mkondo gateway\n\nServes the FSPIOP API on FSPIOP_PORT and the Admin API on ADMIN_PORT, publishing\ncommands to NATS. ${COMMON}`,
    run: async () => (await import('./roles.ts')).runRoles(loadConfig(), ['gateway'], false),
  },
  worker: {
    summary: 'hosts actors: claims partitions, runs the actor loop, persists snapshots',
    usage: `mkondo worker\n\nClaims partitions through NATS KV leases and runs the actor loop. ${COMMON}`,
    run: async () => (await import('./roles.ts')).runRoles(loadConfig(), ['worker'], false),
  },
  notifier: {
    summary: 'delivers callbacks to DFSP endpoints with retries',
    usage: `mkondo notifier\n\nConsumes the OUT stream and delivers callbacks over HTTP. ${COMMON}`,
    run: async () => (await import('./roles.ts')).runRoles(loadConfig(), ['notifier'], false),
  },
  bench: {
    summary: 'end-to-end benchmark with simulated DFSPs (see BENCHMARKS.md)',
    usage: '',
    rawArgs: true,
    run: async (args) => (await import('./bench/index.ts')).runBench(args),
  },
  poison: {
    summary: 'lists, retries or drops commands the runtime parked or that halted a partition',
    usage: '',
    rawArgs: true,
    run: async (args) => {
      const { runPoisonCommand, POISON_USAGE } = await import('./poison.ts');
      if (args.length === 0 || args[0] === '--help' || args[0] === '-h') {
        process.stdout.write(`${POISON_USAGE}\n`);
        return;
      }
      await runPoisonCommand(loadConfig(), args);
    },
  },
  replay: {
    summary: 'rebuilds every actor from the CMD stream and compares with the database (audit)',
    usage: '',
    rawArgs: true,
    run: async (args) => {
      const { runReplayCommand, REPLAY_USAGE } = await import('./replay/index.ts');
      if (args[0] === '--help' || args[0] === '-h') {
        process.stdout.write(`${REPLAY_USAGE}\n`);
        return;
      }
      await runReplayCommand(loadConfig(), args);
    },
  },
  explain: {
    summary: "lists the ledger movements that make up a participant's balances, checks their sum",
    usage: '',
    rawArgs: true,
    run: async (args) => {
      const { runExplainCommand, EXPLAIN_USAGE } = await import('./replay/commands.ts');
      if (args.length === 0 || args[0] === '--help' || args[0] === '-h') {
        process.stdout.write(`${EXPLAIN_USAGE}\n`);
        return;
      }
      await runExplainCommand(loadConfig(), args);
    },
  },
  conservation: {
    summary: 'per currency, checks that every account of every participant sums to zero',
    usage: `mkondo conservation\n\nPer currency: the sum of the posted amounts of every participant account\n(positions, settlement, hub and fee accounts), the reservations in flight, and whether\nmoney is conserved (the sum is 0). Exit status 1 when a currency is not. ${COMMON}`,
    run: async () => (await import('./replay/commands.ts')).runConservationCommand(loadConfig()),
  },
  'realign-streams': {
    summary: 'after a lost or recreated CMD stream: move it past the checkpoints (RELIABILITY.md)',
    usage: `mkondo realign-streams\n\nWith gateways and workers stopped: moves the CMD stream's sequence past every\npartition checkpoint and records it as the stream the checkpoints count in, so workers\nstart again. Messages left at or below the highest checkpoint are discarded and listed.\n${COMMON}`,
    run: async () => {
      const { realignStreams } = await import('./deployment.ts');
      await realignStreams(loadConfig(), logger);
    },
  },
  migrate: {
    summary: 'applies the database migrations and exits',
    usage: `mkondo migrate\n\nApplies schema/db/migrations to DATABASE_URL (or the PGlite database under\nDATA_DIR) and exits. ${COMMON}`,
    run: async () => (await import('./roles.ts')).migrateOnly(loadConfig()),
  },
};

function printHelp(): void {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
  );
  process.stdout.write(
    `mkondo: a Mojaloop-compatible payment switch\n\nUsage: mkondo <command> [--help]\n\nCommands:\n${lines.join('\n')}\n\n${COMMON}\n`,
  );
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') return printHelp();
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`mkondo: unknown command '${name}'\n\n`);
    printHelp();
    process.exitCode = 2;
    return;
  }
  if (command.rawArgs) return command.run(rest);
  const { values, positionals } = parseArgs({
    args: rest,
    options: { help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: false,
  });
  if (values.help) {
    process.stdout.write(`${command.usage}\n`);
    return;
  }
  await command.run(positionals);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`mkondo: ${error.message}\n`);
  } else {
    logger.fatal({ err: error }, 'mkondo stopped on an error');
  }
  process.exit(1);
});
