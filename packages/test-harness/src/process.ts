import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { trackGroup, untrackGroup } from './reaper.js';
import type { UserIds } from './users.js';

const OUTPUT_TAIL = 32 * 1024;

export interface ProcessOptions {
  cwd?: string;
  user?: UserIds | undefined;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

const describeExit = ({ code, signal, error }: ExitStatus): string =>
  error ? error.message : signal ? `killed by ${signal}` : `exited with code ${code}`;

/**
 * A long-running child in its own process group (so that signals reach its children too, and a Ctrl-C on
 * the terminal does not), registered with the reaper, never keeping the event loop alive.
 */
export class ManagedProcess {
  readonly #child: ChildProcess;
  #output = '';
  #exit: ExitStatus | undefined;
  readonly exited: Promise<ExitStatus>;

  constructor(
    readonly label: string,
    command: string,
    args: readonly string[],
    options: ProcessOptions = {},
  ) {
    this.#child = spawn(command, args, {
      cwd: options.cwd,
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = this.#child.pid;
    if (pid !== undefined) trackGroup(pid);
    this.exited = new Promise((resolve) => {
      const settle = (status: ExitStatus): void => {
        this.#exit ??= status;
        resolve(this.#exit);
      };
      this.#child.once('exit', (code, signal) => settle({ code, signal }));
      this.#child.once('error', (error) => settle({ code: null, signal: null, error }));
    });
    void this.exited.then(() => {
      if (pid === undefined) return;
      // The leader is gone; kill whatever it left in its group (e.g. PostgreSQL backends).
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {}
      untrackGroup(pid);
    });
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        this.#output = (this.#output + chunk).slice(-OUTPUT_TAIL);
      });
      (stream as Socket | null)?.unref();
    }
    this.#child.unref();
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return this.#exit === undefined && this.#child.pid !== undefined;
  }

  /** Why it is no longer running, or undefined while it runs. */
  exitReason(): string | undefined {
    return this.#exit ? `${this.label} ${describeExit(this.#exit)}` : undefined;
  }

  /** The last 32 KiB of its stdout and stderr. */
  output(): string {
    return this.#output;
  }

  /**
   * Sends a signal to the whole process group and to every descendant: PostgreSQL backends call
   * setsid(), so they leave the group and a group signal alone would miss them.
   */
  signal(signal: NodeJS.Signals): void {
    const pid = this.#child.pid;
    if (pid === undefined || !this.running) return;
    try {
      process.kill(-pid, signal);
    } catch {}
    for (const child of descendantsOf(pid)) {
      try {
        process.kill(child, signal);
      } catch {}
    }
  }

  /** Sends `signal`, waits for the exit, SIGKILLs after `timeoutMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<ExitStatus> {
    if (!this.running) return this.exited;
    this.signal('SIGCONT');
    this.signal(signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    this.signal('SIGKILL');
    return this.exited;
  }
}

/** Runs a command to completion (supervised like a server); rejects with its output when it fails. */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: ProcessOptions & { timeoutMs?: number } = {},
): Promise<string> {
  const child = new ManagedProcess(command, command, args, options);
  const timer = setTimeout(() => void child.stop('SIGKILL'), options.timeoutMs ?? 60_000);
  const status = await child.exited;
  clearTimeout(timer);
  const output = child.output().trim();
  if (status.code !== 0) throw new Error(`${command} ${args.join(' ')}: ${child.exitReason()}\n${output}`);
  return output;
}

/** Every live descendant of `root`, read from /proc (empty where /proc is missing). */
function descendantsOf(root: number): number[] {
  const parents = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: the fields after the last ')' are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = parents.get(ppid) ?? [];
      list.push(Number(entry));
      parents.set(ppid, list);
    } catch {}
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of parents.get(queue.pop() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}
