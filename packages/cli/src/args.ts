import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** The commands `sess` knows. */
export const COMMANDS = ['clearsessions', 'list', 'revoke'] as const;

/** One of {@link COMMANDS}. */
export type CommandName = (typeof COMMANDS)[number];

/** Flags that choose and reach the engine, shared by every command (they override the config file). */
export interface EngineFlags {
  config?: string;
  engine?: string;
  url?: string;
  table?: string;
  directory?: string;
  prefix?: string;
  batchSize?: number;
  timeoutMs?: number;
}

/** Every flag after parsing; the ones a command does not take stay at their defaults. */
export interface Flags extends EngineFlags {
  help: boolean;
  dryRun: boolean;
  quiet: boolean;
  verbose: boolean;
  json: boolean;
  owner?: string;
  except?: string;
  handle?: string;
}

/** What the command line asks for. */
export type Invocation =
  | { kind: 'help'; command?: CommandName }
  | { kind: 'command'; command: CommandName; flags: Flags };

type OptionSpec = { type: 'string' | 'boolean'; short?: string };

const ENGINE_OPTIONS: Record<string, OptionSpec> = {
  config: { type: 'string', short: 'c' },
  engine: { type: 'string', short: 'e' },
  url: { type: 'string' },
  table: { type: 'string' },
  directory: { type: 'string' },
  prefix: { type: 'string' },
  'timeout-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const COMMAND_OPTIONS: Record<CommandName, Record<string, OptionSpec>> = {
  clearsessions: {
    'dry-run': { type: 'boolean', short: 'n' },
    'batch-size': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    verbose: { type: 'boolean', short: 'v' },
  },
  list: { owner: { type: 'string' }, json: { type: 'boolean' } },
  revoke: {
    owner: { type: 'string' },
    except: { type: 'string' },
    handle: { type: 'string' },
    json: { type: 'boolean' },
  },
};

/** Whether `value` names a command. */
export const isCommand = (value: string | undefined): value is CommandName =>
  (COMMANDS as readonly string[]).includes(value ?? '');

/** A whole number within bounds, from a flag's text. */
function wholeNumber(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(
      `--${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/**
 * Joins each string flag with the argument after it (`--except -x…` → `--except=-x…`), as getopt does:
 * handles are base64url and may start with `-`, as may owner ids, and parseArgs would refuse them.
 */
function attachValues(args: readonly string[], options: Record<string, OptionSpec>): string[] {
  const takesValue = new Set<string>();
  for (const [name, spec] of Object.entries(options)) {
    if (spec.type !== 'string') continue;
    takesValue.add(`--${name}`);
    if (spec.short !== undefined) takesValue.add(`-${spec.short}`);
  }
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    if (takesValue.has(arg) && next !== undefined) {
      joined.push(arg.startsWith('--') ? `${arg}=${next}` : `${arg}${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** Parses `argv` (without `node` and the script): `sess <command> [flags]`. Mistakes throw {@link UsageError}. */
export function parseInvocation(argv: readonly string[]): Invocation {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { kind: 'help' };
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { kind: 'help' };
    if (!isCommand(topic)) throw new UsageError(`unknown command ${JSON.stringify(topic)}`);
    return { kind: 'help', command: topic };
  }
  if (!isCommand(first)) {
    throw new UsageError(
      first.startsWith('-')
        ? `a command comes first (${COMMANDS.join(', ')}), got ${JSON.stringify(first)}`
        : `unknown command ${JSON.stringify(first)}`,
    );
  }
  const command = first;
  const options = { ...ENGINE_OPTIONS, ...COMMAND_OPTIONS[command] };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: attachValues(rest, options),
      options,
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'bad flags', { cause: error });
  }
  if (values.help === true) return { kind: 'help', command };

  const text = (name: string): string | undefined => {
    const value = values[name];
    // An empty prefix is a real choice (the file and Redis engines allow it); elsewhere it is a slip.
    if (value === '' && name !== 'prefix') throw new UsageError(`--${name} must not be empty`);
    return typeof value === 'string' ? value : undefined;
  };
  const flags: Flags = {
    help: false,
    dryRun: values['dry-run'] === true,
    quiet: values.quiet === true,
    verbose: values.verbose === true,
    json: values.json === true,
  };
  const assign = (key: keyof Flags, value: string | number | undefined): void => {
    if (value !== undefined) Object.assign(flags, { [key]: value });
  };
  for (const name of [
    'config',
    'engine',
    'url',
    'table',
    'directory',
    'prefix',
    'owner',
    'except',
    'handle',
  ]) {
    assign(name as keyof Flags, text(name));
  }
  assign('batchSize', wholeNumber('batch-size', text('batch-size'), 1, 1_000_000));
  assign('timeoutMs', wholeNumber('timeout-ms', text('timeout-ms'), 1, 3_600_000));
  if (flags.quiet && flags.verbose) throw new UsageError('--quiet and --verbose exclude each other');
  return { kind: 'command', command, flags };
}
