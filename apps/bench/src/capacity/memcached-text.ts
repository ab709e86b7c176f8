import { connect } from 'node:net';

/** Sends one text-protocol command to memcached (`host:port`) and resolves its reply up to `END`. */
export function memcachedText(server: string, command: string): Promise<Buffer> {
  const colon = server.lastIndexOf(':');
  const socket = connect({ host: server.slice(0, colon), port: Number(server.slice(colon + 1)) });
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    socket.setTimeout(5_000, () => socket.destroy(new Error(`memcached ${server}: no answer to ${command}`)));
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.subarray(-5).toString() === 'END\r\n' || received.includes('ERROR')) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.write(`${command}\r\n`);
  });
}

/** `stats <group>` (`''`, `slabs`, `items`) as `name → value`. */
export async function memcachedStatsOf(server: string, group = ''): Promise<Record<string, number>> {
  const text = (await memcachedText(server, group ? `stats ${group}` : 'stats')).toString('latin1');
  const stats: Record<string, number> = {};
  for (const line of text.split('\r\n')) {
    const [tag, name, value] = line.split(' ');
    if (tag === 'STAT' && name && value !== undefined) stats[name] = Number(value);
  }
  return stats;
}

/** The value of `key` as stored (bytes), or undefined when there is none. */
export async function memcachedValue(server: string, key: string): Promise<Buffer | undefined> {
  const reply = await memcachedText(server, `get ${key}`);
  const header = reply.indexOf('\r\n');
  const match = /^VALUE \S+ \d+ (\d+)/.exec(reply.toString('latin1', 0, header));
  if (!match) return undefined;
  return reply.subarray(header + 2, header + 2 + Number(match[1]));
}
