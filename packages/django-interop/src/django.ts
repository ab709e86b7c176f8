import { DEFAULT_PYTHON, DjangoUnavailable, DriverProcess, unavailableFrom } from './driver-process.js';
import type {
  DjangoAction,
  DjangoExpiry,
  DjangoOp,
  DjangoOpResults,
  DjangoResult,
  DjangoResults,
  DjangoVersion,
  StoreChoice,
} from './ops.js';
import { type DjangoOptions, djangoSettings } from './settings.js';

/** Django raised while performing an op: `type` is the Python exception class (`UpdateError`, `TypeError`). */
export class DjangoOpError extends Error {
  readonly type: string;
  readonly pythonMessage: string;

  constructor(op: string, type: string, pythonMessage: string) {
    super(`@sess/django-interop: Django raised ${type} in ${op}: ${pythonMessage}`);
    this.name = 'DjangoOpError';
    this.type = type;
    this.pythonMessage = pythonMessage;
  }
}

type Success<K extends keyof DjangoOpResults> = DjangoOpResults[K] & { ok: true; logs: DjangoResult['logs'] };

/**
 * A running, configured Django (one Python process, its settings fixed). `run` performs a batch of ops and
 * reports Django's exceptions per op; the shortcuts perform one op and throw {@link DjangoOpError} instead.
 */
export interface Django {
  /** `django.VERSION`. */
  readonly version: DjangoVersion;
  /** The settings Django runs with, by Django's names. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Performs `ops` in order; a failing op is reported in its result and does not stop the others. */
  run<const Ops extends readonly DjangoOp[]>(ops: Ops): Promise<DjangoResults<Ops>>;
  /** `manage.py migrate sessions`. */
  migrate(): Promise<void>;
  /** The SQL of `manage.py sqlmigrate sessions 0001` for the configured database. */
  sqlmigrate(): Promise<string>;
  /** A new session saved by the engine's `SessionStore` (after `set_expiry(expiry)` when given). */
  createSession(
    data: Record<string, unknown>,
    options?: StoreChoice & { expiry?: DjangoExpiry },
  ): Promise<Success<'create'>>;
  /** `SessionStore(key)` loaded: Django's view of the data, the key it kept (or null) and the expiry. */
  loadSession(key: string, options?: StoreChoice): Promise<Success<'load'>>;
  /** Loads `key`, runs `actions`, and saves as the middleware would (when modified and not empty). */
  modifySession(
    key: string,
    actions: readonly DjangoAction[],
    options?: StoreChoice & { save?: boolean },
  ): Promise<Success<'modify'>>;
  /** One request through `SessionMiddleware` with the `Cookie` header `cookie`, its view running `actions`. */
  request(
    cookie: string | undefined,
    actions: readonly DjangoAction[],
    options?: { status?: number },
  ): Promise<Success<'request'>>;
  /** `SessionStore().encode(data)`, at the fixed Unix time `time` when given. */
  encode(data: Record<string, unknown>, options?: StoreChoice & { time?: number }): Promise<string>;
  /** `SessionStore().decode(text)`: `{}` for anything Django rejects. */
  decode(text: string, options?: StoreChoice): Promise<Success<'decode'>>;
  /** Ends the Python process. */
  close(): Promise<void>;
}

function unwrap<K extends keyof DjangoOpResults>(op: K, result: DjangoResult): Success<K> {
  if (!result.ok) throw new DjangoOpError(op, result.error, result.message);
  return result as Success<K>;
}

/**
 * Starts `/usr/bin/python3 py/django_driver.py` configured by `options`, and answers once Django is set up.
 * Rejects with {@link DjangoUnavailable} (an actionable message) when Python, Django or psycopg2 is missing:
 * callers must let that fail their test, never skip.
 */
export async function openDjango(options: DjangoOptions): Promise<Django> {
  const python = options.python ?? DEFAULT_PYTHON;
  const settings = djangoSettings(options);
  const driver = new DriverProcess(python, options.timeoutMs ?? 30_000);
  let started: { ok: boolean; django?: DjangoVersion; fatal?: string; message?: string };
  try {
    started = (await driver.exchange({ settings })) as typeof started;
  } catch (error) {
    await driver.close();
    throw error;
  }
  if (!started.ok || !started.django) {
    await driver.close();
    throw unavailableFrom(started, python);
  }

  async function run<const Ops extends readonly DjangoOp[]>(ops: Ops): Promise<DjangoResults<Ops>> {
    const answer = (await driver.exchange({ ops })) as { ok: boolean; results?: DjangoResult[] };
    if (!answer.ok || !Array.isArray(answer.results) || answer.results.length !== ops.length) {
      throw new DjangoUnavailable(`unexpected answer from the driver: ${JSON.stringify(answer)}`);
    }
    return answer.results as DjangoResults<Ops>;
  }

  async function one<O extends DjangoOp>(op: O): Promise<Success<O['op']>> {
    const [result] = await run([op] as const);
    return unwrap(op.op as O['op'], result as DjangoResult);
  }

  return {
    version: started.django,
    settings,
    run,
    migrate: async () => {
      await one({ op: 'migrate' });
    },
    sqlmigrate: async () => (await one({ op: 'sqlmigrate' })).sql,
    createSession: (data, choice = {}) => one({ op: 'create', data, ...choice }),
    loadSession: (key, choice = {}) => one({ op: 'load', key, ...choice }),
    modifySession: (key, actions, choice = {}) => one({ op: 'modify', key, actions, ...choice }),
    request: (cookie, actions, { status } = {}) =>
      one({
        op: 'request',
        actions,
        ...(cookie === undefined ? {} : { cookie }),
        ...(status === undefined ? {} : { status }),
      }),
    encode: async (data, choice = {}) => (await one({ op: 'encode', data, ...choice })).text,
    decode: (text, choice = {}) => one({ op: 'decode', text, ...choice }),
    close: () => driver.close(),
  };
}

/** Starts Django, performs `ops`, and stops it again. */
export async function runDjango<const Ops extends readonly DjangoOp[]>(
  ops: Ops,
  options: DjangoOptions,
): Promise<DjangoResults<Ops>> {
  const django = await openDjango(options);
  try {
    return await django.run(ops);
  } finally {
    await django.close();
  }
}

/** Whether `version` is at least `major.minor`. */
export function djangoAtLeast(version: DjangoVersion, major: number, minor: number): boolean {
  return version[0] > major || (version[0] === major && version[1] >= minor);
}

/** Whether this Django verifies with `SECRET_KEY_FALLBACKS` (added in 4.1). */
export const hasSecretKeyFallbacks = (version: DjangoVersion): boolean => djangoAtLeast(version, 4, 1);

/** `'3.2'` for `[3, 2, 25, 'final', 0]`: the form `@sess/store-db`'s `version` option takes. */
export const majorMinor = (version: DjangoVersion): `${number}.${number}` => `${version[0]}.${version[1]}`;
