import { SessionConfigError } from '../errors.js';
import { MANAGER_OPTION_NAMES, type SessionManagerOptions } from '../manager/manager-options.js';
import { PEER_OPTION_HINTS } from '../manager/peer-option-hints.js';
import { createSessionManager, type SessionManager } from '../manager/session-manager.js';
import { declareOptions } from '../options/declare-options.js';
import * as option from '../options/option-kinds.js';
import type { CookieOverrides } from '../request/commit-result.js';
import type { RoutePolicy } from '../request/session-request.js';
import type { SessionData } from '../store/contract.js';

// Duck-typed, so a manager from another copy of @sess/core is accepted too.
function isManager(value: unknown): value is SessionManager<never> {
  const manager = value as SessionManager;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof manager.open === 'function' &&
    typeof manager.options === 'object'
  );
}

function isRoutePolicy(value: unknown): value is RoutePolicy {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).every(
    ([name, flag]) =>
      (name === 'readOnly' || name === 'failOpen') && (flag === undefined || typeof flag === 'boolean'),
  );
}

/** The options every adapter adds to the manager's: when to load, per-request cookie and route policy. */
export const ADAPTER_OPTIONS = declareOptions(
  '@sess/core/adapter',
  {
    /**
     * Load the session before the handler runs, so `ctx.session` / `req.session` is there from the start
     * (what express-session and Passport expect). A function decides per request. Lazy (`false`): no store
     * I/O until the handler awaits `getSession()`; reading `session` before that throws, naming this option.
     */
    eager: option.custom<boolean | ((req: never) => boolean)>({
      default: false,
      defaultText: 'false (lazy)',
      expected: 'a boolean or a function of the request',
      check: (value, invalid) =>
        typeof value === 'boolean' || typeof value === 'function'
          ? (value as boolean | ((req: never) => boolean))
          : invalid(),
    }),
    /**
     * Per-request overrides of the session cookie's `domain`, `path`, `secure`, `sameSite` and `httpOnly`
     * (a tenant's domain, say): a function of the request.
     */
    cookieFor: option.callback<(req: never) => CookieOverrides | undefined>({
      default: undefined,
      expected: 'a function of the request returning cookie overrides',
    }),
    /**
     * The route's policy: `readOnly` (never writes, touches, rotates or deletes; session writes throw — for
     * polling endpoints) and `failOpen` (a store outage gives an empty read-only session instead of an
     * error). A function decides per request.
     */
    policy: option.custom<RoutePolicy | ((req: never) => RoutePolicy | undefined) | undefined>({
      default: undefined,
      defaultText: 'none (read-write, fail closed)',
      expected: '{ readOnly?: boolean, failOpen?: boolean } or a function of the request',
      check: (value, invalid) =>
        typeof value === 'function' || isRoutePolicy(value)
          ? (value as RoutePolicy | ((req: never) => RoutePolicy | undefined))
          : invalid(),
    }),
    /** A manager built with `createSessionManager()` and shared with other code; no manager option goes beside it. */
    manager: option.custom<SessionManager<never> | undefined>({
      default: undefined,
      defaultText: 'none (built from the other options)',
      expected: 'a SessionManager from createSessionManager()',
      check: (value, invalid) => (isManager(value) ? value : invalid()),
    }),
  },
  PEER_OPTION_HINTS,
);

/**
 * What every framework adapter takes: the manager's options (or a prebuilt `manager`) plus the per-request
 * choices, each a function of the framework's request object `Req` (Koa's context, Node's request…).
 */
export interface AdapterOptions<Data extends SessionData, Req> extends SessionManagerOptions<Data> {
  /** {@inheritDoc ADAPTER_OPTIONS.specs.eager} @default false (lazy) */
  eager?: boolean | ((req: Req) => boolean) | undefined;
  /** Per-request overrides of the session cookie's attributes. @default none */
  cookieFor?: ((req: Req) => CookieOverrides | undefined) | undefined;
  /** The route's policy (`readOnly`, `failOpen`), or a function of the request. @default none */
  policy?: RoutePolicy | ((req: Req) => RoutePolicy | undefined) | undefined;
  /** A prebuilt manager; no manager option goes beside it. @default none */
  manager?: SessionManager<Data> | undefined;
}

/** Adapter options in the form an adapter is given them: a manager, or the manager's options. */
export type AdapterInput<Data extends SessionData, Req> =
  | AdapterOptions<Data, Req>
  | (Omit<AdapterOptions<Data, Req>, 'store'> & { manager: SessionManager<Data> });

/** {@link AdapterOptions} after validation: a manager, and every per-request choice as a function. */
export interface ResolvedAdapterOptions<Data extends SessionData, Req> {
  manager: SessionManager<Data>;
  eager: (req: Req) => boolean;
  cookieFor: ((req: Req) => CookieOverrides | undefined) | undefined;
  policy: (req: Req) => RoutePolicy | undefined;
}

const ADAPTER_NAMES = Object.keys(ADAPTER_OPTIONS.specs);

/** True for a Koa application object (or an Express app, which is a function) passed where options belong. */
function isApplication(value: unknown): boolean {
  const app = value as Record<string, unknown> | null;
  return (
    (typeof app === 'object' || typeof app === 'function') &&
    app !== null &&
    typeof app.use === 'function' &&
    (typeof app.callback === 'function' || typeof app.listen === 'function')
  );
}

/**
 * Validates an adapter's options, naming the offending one with the adapter's package name (`source`),
 * and builds the manager. Every unknown option is reported at once, with the sess way for names that come
 * from express-session, koa-session and the other peers; koa-session's `session(app)` form gets its own message.
 */
export function resolveAdapterOptions<Data extends SessionData, Req>(
  source: string,
  input: unknown,
  extra?: unknown,
): ResolvedAdapterOptions<Data, Req> {
  if (isApplication(input) || isApplication(extra)) {
    throw new SessionConfigError(
      source,
      'options',
      'the options object alone: sess takes no app (koa-session’s `session(app)` / `session(opts, app)`); ' +
        'write `app.use(session({ store, … }))`',
      'an application',
    );
  }
  const own = ADAPTER_OPTIONS.resolve(input, { alsoKnown: MANAGER_OPTION_NAMES, source });
  const given = input as Record<string, unknown>;
  const managerOptions: Record<string, unknown> = {};
  for (const name of Object.keys(given))
    if (!ADAPTER_NAMES.includes(name)) managerOptions[name] = given[name];
  let manager: SessionManager<Data>;
  if (own.manager !== undefined) {
    const beside = Object.keys(managerOptions)[0];
    if (beside !== undefined) {
      throw new SessionConfigError(
        source,
        beside,
        `absent when \`manager\` is given (only ${ADAPTER_NAMES.join(', ')} go beside it)`,
        managerOptions[beside],
      );
    }
    manager = own.manager as unknown as SessionManager<Data>;
  } else {
    manager = createSessionManager(managerOptions as SessionManagerOptions<Data>);
  }
  const eager = own.eager as boolean | ((req: Req) => boolean);
  const policy = own.policy as RoutePolicy | ((req: Req) => RoutePolicy | undefined) | undefined;
  return {
    manager,
    eager: typeof eager === 'function' ? eager : () => eager,
    cookieFor: own.cookieFor as ((req: Req) => CookieOverrides | undefined) | undefined,
    policy: typeof policy === 'function' ? policy : () => policy,
  };
}
