import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** Ports handed out by this process, so that parallel starts never get the same one. */
const handedOut = new Set<number>();

/** Binds `port` (0: any) on loopback and closes it again; resolves the bound port, or undefined if taken. */
function probePort(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

export interface FreePortOptions {
  /** Redis Cluster: port + 10000 (the cluster bus) must be free too. */
  clusterBus?: boolean;
}

/**
 * A loopback port that is free right now (bind port 0, close). Another process may still take it before
 * the server binds it: the starters retry with a new port when a server reports "Address already in use".
 */
export async function freePort(options: FreePortOptions = {}): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = await probePort(0);
    if (port === undefined || handedOut.has(port)) continue;
    if (options.clusterBus) {
      if (port + 10000 > 65535 || handedOut.has(port + 10000)) continue;
      if ((await probePort(port + 10000)) === undefined) continue;
      handedOut.add(port + 10000);
    }
    handedOut.add(port);
    return port;
  }
  throw new Error('sess test harness: could not find a free loopback port');
}

/** Whether nothing listens on `port` on loopback. */
export async function isPortFree(port: number): Promise<boolean> {
  return (await probePort(port)) !== undefined;
}
