import { formatHostPort, type HostPort } from './address.js';
import { freePort } from './ports.js';
import { ManagedProcess } from './process.js';
import { removeTempDir } from './tempdir.js';
import type { UserIds } from './users.js';
import { waitFor } from './wait.js';

export interface ServerSpec {
  kind: string;
  host: string;
  port: number;
  /** What clients use: a URL, or `host:port` where the kind has no URL scheme. */
  url: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  user?: UserIds | undefined;
  /** A temp dir that belongs to this server: removed by `close()`. */
  dir?: string | undefined;
  /** The signal of a clean, quick shutdown (PostgreSQL: SIGINT, "fast"). Default SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /**
   * One readiness check: resolves when the server answers, and it is this process (`pid`) that answers, not
   * another test run's server that got the port first.
   */
  probe: (pid: number) => Promise<void>;
  readyTimeoutMs?: number;
}

/** The server could not bind its port (someone took it): start again on another one. */
export class PortInUseError extends Error {}

/** A real server process that can be started, stopped, killed, paused and restarted on the same port. */
export class Server implements HostPort {
  #process: ManagedProcess | undefined;
  #closed = false;

  constructor(readonly spec: ServerSpec) {}

  get kind(): string {
    return this.spec.kind;
  }
  get host(): string {
    return this.spec.host;
  }
  get port(): number {
    return this.spec.port;
  }
  get url(): string {
    return this.spec.url;
  }
  /** `host:port` */
  get address(): string {
    return formatHostPort(this.spec);
  }
  get dir(): string | undefined {
    return this.spec.dir;
  }
  get pid(): number | undefined {
    return this.#process?.running ? this.#process.pid : undefined;
  }
  get running(): boolean {
    return this.#process?.running ?? false;
  }

  /** Starts the process (again, on the same port and data dir) and waits until it answers. */
  async start(): Promise<this> {
    if (this.#closed) throw new Error(`${this.kind} ${this.address}: closed`);
    if (this.running) return this;
    const { spec } = this;
    const child = new ManagedProcess(`${spec.kind} ${this.address}`, spec.command, spec.args, {
      ...(spec.cwd ? { cwd: spec.cwd } : {}),
      user: spec.user,
    });
    this.#process = child;
    try {
      const what = `${spec.kind} on ${this.address}`;
      await Promise.race([
        waitFor(what, () => spec.probe(child.pid ?? -1), {
          timeoutMs: spec.readyTimeoutMs ?? 30_000,
          abort: () => child.exitReason(),
        }),
        // Notice an early exit at once, even while a probe waits for an answer.
        child.exited.then(() => {
          throw new Error(`${what}: ${child.exitReason()}`);
        }),
      ]);
    } catch (error) {
      await child.stop('SIGKILL');
      const output = child.output();
      const message = `${(error as Error).message}\n--- ${spec.command} ${spec.args.join(' ')}\n${output}`;
      if (/address already in use/i.test(output)) throw new PortInUseError(message);
      throw new Error(message);
    }
    return this;
  }

  /** Stops the process (data dir kept). `SIGKILL` simulates a crash. */
  async stop(signal: NodeJS.Signals = this.spec.stopSignal ?? 'SIGTERM', timeoutMs = 10_000): Promise<void> {
    await this.#process?.stop(signal, timeoutMs);
  }

  /** SIGKILL: a crash. */
  kill(): Promise<void> {
    return this.stop('SIGKILL');
  }

  /** SIGSTOP: the server hangs (connections open, no answers) until `resume()`. */
  pause(): void {
    this.#process?.signal('SIGSTOP');
  }

  resume(): void {
    this.#process?.signal('SIGCONT');
  }

  /** Its recent stdout and stderr, for error messages. */
  output(): string {
    return this.#process?.output() ?? '';
  }

  /** Stops it and removes its temp dir. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.stop();
    if (this.spec.dir) await removeTempDir(this.spec.dir);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Starts a server made by `make(port)`: on `port` if given, else on a free port, trying another one when
 * the port was taken in the meantime. `make` is called once per attempt.
 */
export async function startOnPort(
  port: number | undefined,
  make: (port: number) => Server | Promise<Server>,
  options: { clusterBus?: boolean; onRetry?: (server: Server) => Promise<void> } = {},
): Promise<Server> {
  for (let attempt = 1; ; attempt++) {
    const server = await make(port ?? (await freePort({ clusterBus: options.clusterBus ?? false })));
    try {
      return await server.start();
    } catch (error) {
      if (port !== undefined || !(error instanceof PortInUseError) || attempt >= 5) {
        await server.close();
        throw error;
      }
      await (options.onRetry ? options.onRetry(server) : server.close());
    }
  }
}

/** Closes all, even if some fail; rethrows the first failure. */
export async function closeAll(closables: readonly { close(): Promise<void> }[]): Promise<void> {
  const results = await Promise.allSettled(closables.map((c) => c.close()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
