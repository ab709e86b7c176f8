import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The Python half of the driver. */
export const DRIVER_PATH = fileURLToPath(new URL('../py/django_driver.py', import.meta.url));

/** The Python the driver runs on unless told otherwise: Debian's, where `python3-django` installs. */
export const DEFAULT_PYTHON = '/usr/bin/python3';

const INSTALL_HINT =
  'install Debian packages python3-django and python3-psycopg2 (apt-get install python3-django python3-psycopg2); ' +
  'the Django interop tests never skip';

/** Django cannot run here: no Python, no Django, no psycopg2, or settings Django refused. */
export class DjangoUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`@sess/django-interop: ${message}`, options);
    this.name = 'DjangoUnavailable';
  }
}

/** Keeps the last few kilobytes of the driver's stderr, for error messages. */
function stderrTail(child: ChildProcessWithoutNullStreams): () => string {
  let tail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4000);
  });
  return () => tail.trim();
}

/** A running driver: one JSON line out, one JSON line back, one exchange at a time. */
export class DriverProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #stderr: () => string;
  readonly #timeoutMs: number;
  readonly #waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  #queue: Promise<unknown> = Promise.resolve();
  #ended: Error | undefined;
  readonly #exited: Promise<void>;

  constructor(python: string, timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
    this.#child = spawn(python, [DRIVER_PATH], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#stderr = stderrTail(this.#child);
    createInterface({ input: this.#child.stdout }).on('line', (line) => this.#waiting.shift()?.resolve(line));
    this.#exited = new Promise((resolve) => {
      this.#child.on('error', (error: NodeJS.ErrnoException) => {
        const reason =
          error.code === 'ENOENT'
            ? new DjangoUnavailable(`${python} not found: ${INSTALL_HINT}`, { cause: error })
            : new DjangoUnavailable(`could not start ${python}: ${error.message}`, { cause: error });
        this.#end(reason);
        resolve();
      });
      this.#child.on('exit', (code, signal) => {
        const stderr = this.#stderr();
        this.#end(
          new DjangoUnavailable(
            `the driver exited (${signal ?? `code ${code}`})${stderr ? `:\n${stderr}` : ''}`,
          ),
        );
        resolve();
      });
    });
    // A driver that exits early closes stdin under us; the exit handler reports why.
    this.#child.stdin.on('error', () => {});
  }

  /** The driver's stderr so far (Django's warnings, tracebacks). */
  get stderr(): string {
    return this.#stderr();
  }

  /** Sends one message and waits for its answer line, bounded by the timeout. */
  exchange(message: unknown): Promise<unknown> {
    const next = this.#queue.then(() => this.#exchange(message));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #exchange(message: unknown): Promise<unknown> {
    if (this.#ended) throw this.#ended;
    const answer = new Promise<string>((resolve, reject) => this.#waiting.push({ resolve, reject }));
    this.#child.stdin.write(`${JSON.stringify(message)}\n`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new DjangoUnavailable(
          `no answer within ${this.#timeoutMs} ms${this.#stderr() ? `:\n${this.#stderr()}` : ''}`,
        );
        this.#end(error);
        this.#child.kill('SIGKILL');
        reject(error);
      }, this.#timeoutMs);
    });
    try {
      return JSON.parse(await Promise.race([answer, timeout]));
    } finally {
      clearTimeout(timer);
    }
  }

  #end(error: Error): void {
    this.#ended ??= error;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(this.#ended);
  }

  /** Closes stdin (the driver then exits) and waits for the exit; kills it if it lingers. */
  async close(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.stdin.end();
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
      await this.#exited;
      clearTimeout(timer);
    }
  }
}

/** Explains a fatal answer of the driver's start-up. */
export function unavailableFrom(
  answer: { fatal?: string; message?: string },
  python: string,
): DjangoUnavailable {
  switch (answer.fatal) {
    case 'django-missing':
      return new DjangoUnavailable(`${python} cannot import django (${answer.message}): ${INSTALL_HINT}`);
    case 'psycopg2-missing':
      return new DjangoUnavailable(`${python} cannot import psycopg2 (${answer.message}): ${INSTALL_HINT}`);
    default:
      return new DjangoUnavailable(`Django refused its settings: ${answer.message ?? 'unknown error'}`);
  }
}
