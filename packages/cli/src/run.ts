import { type CommandName, type Flags, isCommand, parseInvocation } from './args.js';
import { clearsessions } from './commands/clearsessions.js';
import { list } from './commands/list.js';
import { revoke } from './commands/revoke.js';
import { describeError, EXIT_OK, EXIT_USAGE, exitCodeOf, UsageError } from './errors.js';
import { usage } from './help.js';
import { type CliIo, type ResolvedIo, resolveIo } from './io.js';

const HANDLERS: Record<CommandName, (flags: Flags, io: ResolvedIo) => Promise<number>> = {
  clearsessions,
  list,
  revoke,
};

/**
 * Runs `sess` with `argv` (the arguments after the program name, e.g. `['clearsessions', '--dry-run']`)
 * and resolves to the exit status: 0 done, 1 the operation failed (a store error, printed with its
 * message), 2 bad usage or configuration (printed with the usage). Never throws and never exits the
 * process: the `sess` binary is this function plus `process.exitCode`.
 *
 * @example
 * const code = await run(['clearsessions', '--config', 'sess.config.mjs']);
 */
export async function run(argv: readonly string[], io?: CliIo): Promise<number> {
  const resolved = resolveIo(io);
  const named = isCommand(argv[0]) ? argv[0] : undefined;
  const prefix = named === undefined ? 'sess' : `sess ${named}`;
  try {
    const invocation = parseInvocation(argv);
    if (invocation.kind === 'help') {
      resolved.stdout.write(usage(invocation.command));
      return EXIT_OK;
    }
    return await HANDLERS[invocation.command](invocation.flags, resolved);
  } catch (error) {
    const code = exitCodeOf(error);
    resolved.stderr.write(`${prefix}: ${describeError(error)}\n`);
    if (error instanceof UsageError && error.showUsage) resolved.stderr.write(`\n${usage(named)}`);
    else if (code === EXIT_USAGE) resolved.stderr.write(`run "${prefix} --help" for usage\n`);
    return code;
  }
}
