// A three-node NATS cluster on loopback for the chaos suite: each node has its client port, a
// route port and its own JetStream store folder, so a node can be killed and restarted with its
// disk (or without it). `no_advertise` keeps clients on the URLs they were given, which is what
// lets the suite put a partitioning proxy between a worker and the cluster.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePort, launch, type Proc, running, sleep, stopProc, waitPort } from './processes.ts';

export type NatsNode = {
  readonly name: string;
  readonly port: number;
  readonly routePort: number;
  readonly storeDir: string;
  readonly config: string;
  proc: Proc;
};

export type NatsCluster = {
  readonly nodes: readonly NatsNode[];
  readonly urls: readonly string[];
  kill(node: NatsNode): Promise<void>;
  start(node: NatsNode): Promise<void>;
  /** The node whose name the stream's cluster info gives as leader. */
  leaderOf(stream: string): Promise<NatsNode | undefined>;
  stop(): Promise<void>;
};

function nodeConfig(node: Omit<NatsNode, 'proc' | 'config'>, routes: readonly number[]): string {
  return [
    `server_name: ${node.name}`,
    `listen: 127.0.0.1:${node.port}`,
    `jetstream { store_dir: "${node.storeDir}", max_file_store: 4G, max_memory_store: 256M }`,
    'cluster {',
    '  name: mkondo-chaos',
    `  listen: 127.0.0.1:${node.routePort}`,
    `  routes: [${routes.map((p) => `nats://127.0.0.1:${p}`).join(', ')}]`,
    '  no_advertise: true',
    '}',
    '',
  ].join('\n');
}

export async function startNatsCluster(dir: string, size = 3): Promise<NatsCluster> {
  const specs: Array<Omit<NatsNode, 'proc' | 'config'>> = [];
  for (let i = 1; i <= size; i++) {
    const name = `n${i}`;
    specs.push({
      name,
      port: await freePort(),
      routePort: await freePort(),
      storeDir: join(dir, `js-${name}`),
    });
  }
  const nodes: NatsNode[] = specs.map((spec) => {
    mkdirSync(spec.storeDir, { recursive: true });
    const config = join(dir, `${spec.name}.conf`);
    const routes = specs.filter((s) => s !== spec).map((s) => s.routePort);
    writeFileSync(config, nodeConfig(spec, routes));
    return { ...spec, config, proc: launchNode(dir, spec.name, config) };
  });
  const urls = nodes.map((n) => `nats://127.0.0.1:${n.port}`);
  for (const node of nodes) await waitPort(node.port, `nats ${node.name}`);
  await waitJetStream(urls);
  return {
    nodes,
    urls,
    kill: (node) => stopProc(node.proc, 'SIGKILL'),
    async start(node) {
      if (running(node.proc)) return;
      node.proc = launchNode(dir, node.name, node.config);
      await waitPort(node.port, `nats ${node.name}`);
    },
    async leaderOf(stream) {
      const nc = await connect({ servers: [...urls] });
      try {
        const info = await (await jetstreamManager(nc)).streams.info(stream);
        return nodes.find((n) => n.name === info.cluster?.leader);
      } finally {
        await nc.close();
      }
    },
    async stop() {
      for (const node of nodes) await stopProc(node.proc);
      for (const node of nodes) rmSync(node.storeDir, { recursive: true, force: true });
    },
  };
}

function launchNode(dir: string, name: string, config: string): Proc {
  return launch(dir, `nats-${name}`, 'nats-server', ['-c', config]);
}

/** Waits until the cluster has a JetStream meta leader (account info answers). */
async function waitJetStream(urls: readonly string[], timeoutMs = 60_000): Promise<void> {
  const nc = await connect({ servers: [...urls] });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await (await jetstreamManager(nc)).getAccountInfo();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(500);
      }
    }
  } finally {
    await nc.close();
  }
}
