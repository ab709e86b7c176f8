import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { parseInfo, redisCommand } from '@sess/test-harness/servers';

/** One command Redis executed, as MONITOR reported it. */
export interface MonitoredCommand {
  /** Lower-case command name (`hgetall`, `evalsha`). */
  name: string;
  /** `host:port` of the client connection, or `lua` for a command a script ran. */
  source: string;
}

const LINE = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]*)"/;

function hostPort(url: string): { host: string; port: number } {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port || 6379) };
}

/**
 * Watches a Redis server through MONITOR (the server's own view of every command, scripts' inner commands
 * marked `lua`) and reads `INFO commandstats`. `take()` returns what ran since the previous `take()`: it
 * sends an ECHO marker on another connection and waits until MONITOR shows it, so nothing is cut off.
 */
export class RedisMonitor {
  readonly #socket: Socket;
  readonly #target: { host: string; port: number };
  #buffer = '';
  #seen: MonitoredCommand[] = [];
  #waiting: { token: string; resolve: () => void } | undefined;
  #started: (() => void) | undefined;

  private constructor(socket: Socket, target: { host: string; port: number }) {
    this.#socket = socket;
    this.#target = target;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.#read(chunk));
  }

  /** Connects and starts MONITOR. */
  static async open(url: string): Promise<RedisMonitor> {
    const target = hostPort(url);
    const socket = connect(target);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const monitor = new RedisMonitor(socket, target);
    await new Promise<void>((resolve) => {
      monitor.#started = resolve;
      socket.write('MONITOR\r\n');
    });
    return monitor;
  }

  #read(chunk: string): void {
    this.#buffer += chunk;
    let end = this.#buffer.indexOf('\r\n');
    while (end >= 0) {
      const line = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      end = this.#buffer.indexOf('\r\n');
      if (line === '+OK' && this.#started) {
        this.#started();
        this.#started = undefined;
        continue;
      }
      const match = LINE.exec(line);
      if (!match) continue;
      const [, source = '', raw = ''] = match;
      const name = raw.toLowerCase();
      const waiting = this.#waiting;
      if (name === 'echo' && waiting && line.includes(waiting.token)) {
        this.#waiting = undefined;
        waiting.resolve();
        continue;
      }
      this.#seen.push({ name, source });
    }
  }

  /** The commands since the last call, the bench's own INFO/ECHO left out. */
  async take(): Promise<MonitoredCommand[]> {
    const token = `bench-mark-${randomBytes(6).toString('hex')}`;
    const seen = new Promise<void>((resolve) => {
      this.#waiting = { token, resolve };
    });
    await redisCommand(this.#target, ['ECHO', token]);
    await seen;
    const taken = this.#seen.filter((c) => c.name !== 'info' && c.name !== 'echo');
    this.#seen = [];
    return taken;
  }

  /** `INFO commandstats` as calls per command (`get` → 12). */
  async commandStats(): Promise<Record<string, number>> {
    const info = parseInfo(await redisCommand(this.#target, ['INFO', 'commandstats']));
    const calls: Record<string, number> = {};
    for (const [field, value] of Object.entries(info)) {
      if (!field.startsWith('cmdstat_')) continue;
      calls[field.slice('cmdstat_'.length)] = Number(/calls=(\d+)/.exec(value)?.[1] ?? 0);
    }
    return calls;
  }

  close(): void {
    this.#socket.destroy();
  }
}
