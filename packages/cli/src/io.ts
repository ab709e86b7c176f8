/** Where the CLI writes: a stream (`process.stdout`) or anything with `write`, for tests. */
export interface CliOutput {
  write(chunk: string): unknown;
  /** True on a terminal: `clearsessions` then draws a progress bar. */
  isTTY?: boolean;
  /** Terminal width, for the progress bar. @default 80 */
  columns?: number;
}

/** The process surroundings of one run: streams, environment and working directory. */
export interface CliIo {
  /** Results (counts, listings) and, on a terminal, the progress bar. @default process.stdout */
  stdout?: CliOutput;
  /** Errors and usage after a mistake. @default process.stderr */
  stderr?: CliOutput;
  /** Read for `DATABASE_URL`, `REDIS_URL` and `SESS_HANDLE_SECRET`. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Resolves `--config` and `--directory`. @default process.cwd() */
  cwd?: string;
}

/** {@link CliIo} with every default filled in. */
export interface ResolvedIo {
  stdout: CliOutput;
  stderr: CliOutput;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** Fills in the process's own streams, environment and directory. */
export function resolveIo(io: CliIo = {}): ResolvedIo {
  return {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
  };
}
