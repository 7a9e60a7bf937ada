// A TCP proxy that can partition: while `partitioned`, bytes in both directions are held back
// and new connections are accepted but not forwarded, the way a dropped network link looks to
// both ends (no reset, just silence), until heal() forwards again. Used between one worker and
// NATS or PostgreSQL, since the services listen on loopback only. The chaos suite could use
// network namespaces as root instead; a proxy keeps it runnable without privileges.

import { createServer, type Server, Socket } from 'node:net';

export type PartitionProxy = {
  readonly port: number;
  /** Silence: bytes and new connections are held, nothing is reset. */
  partition(): void;
  /** Down: connections are reset and new ones refused, like a host with nothing listening. */
  down(): void;
  heal(): void;
  close(): Promise<void>;
};

type Link = { readonly client: Socket; readonly upstream: Socket };

export async function startProxy(targetPort: number): Promise<PartitionProxy> {
  const links = new Set<Link>();
  let partitioned = false;
  let refusing = false;
  const server: Server = createServer((client) => {
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = new Socket();
    const link = { client, upstream };
    links.add(link);
    if (partitioned) {
      client.pause();
      upstream.pause();
    }
    upstream.connect(targetPort, '127.0.0.1');
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const setFlow = (pause: boolean) => {
    partitioned = pause;
    refusing = false;
    for (const { client, upstream } of links) {
      if (pause) {
        client.pause();
        upstream.pause();
      } else {
        client.resume();
        upstream.resume();
      }
    }
  };
  return {
    port,
    partition: () => setFlow(true),
    down() {
      refusing = true;
      for (const { client, upstream } of links) {
        client.resetAndDestroy();
        upstream.destroy();
      }
    },
    heal: () => setFlow(false),
    close: () =>
      new Promise<void>((resolve) => {
        for (const { client, upstream } of links) {
          client.destroy();
          upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
