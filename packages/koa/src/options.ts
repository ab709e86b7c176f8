import {
  type CookieOverrides,
  createSessionManager,
  type RoutePolicy,
  SessionConfigError,
  type SessionData,
  type SessionManager,
  type SessionManagerOptions,
} from '@sess/core';
import type { Context } from 'koa';

const SOURCE = '@sess/koa';

/**
 * Options of {@link session}: the manager's options (`store`, `cookieName`, `cookieAge`, …, see
 * `@sess/core`) plus the adapter's own. Give either manager options or a prebuilt `manager`.
 */
export interface KoaSessionOptions<Data extends SessionData = SessionData>
  extends SessionManagerOptions<Data> {
  /**
   * Load the session before the downstream middleware runs, so `ctx.session` is set from the start. A function
   * decides per request.
   * @default false (lazy: no store I/O until `await ctx.getSession()`)
   */
  eager?: boolean | ((ctx: Context) => boolean);
  /**
   * Per-request overrides of the cookie's `domain`, `path`, `secure` and `sameSite` (a tenant's domain).
   * @default undefined (the manager's cookie options)
   */
  cookie?: (ctx: Context) => CookieOverrides | undefined;
  /**
   * The route's policy: `readOnly` (never writes, touches, rotates or deletes; session writes throw — for
   * polling endpoints) and `failOpen` (a store outage gives an empty read-only session instead of an error).
   * A function decides per request.
   * @default undefined (read-write, fail closed)
   */
  policy?: RoutePolicy | ((ctx: Context) => RoutePolicy | undefined);
  /**
   * A manager built with `createSessionManager()`, shared with other code; no manager options may be given
   * beside it.
   * @default undefined (one is built from the other options)
   */
  manager?: SessionManager<Data>;
}

/** The options after validation. */
export interface ResolvedKoaOptions<Data extends SessionData> {
  manager: SessionManager<Data>;
  eager: (ctx: Context) => boolean;
  cookie: ((ctx: Context) => CookieOverrides | undefined) | undefined;
  policy: (ctx: Context) => RoutePolicy | undefined;
}

const ADAPTER_KEYS = ['eager', 'cookie', 'policy', 'manager'] as const;

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

/** Validates the options (naming the offending one) and builds the manager. */
export function resolveKoaOptions<Data extends SessionData>(
  input: KoaSessionOptions<Data>,
): ResolvedKoaOptions<Data> {
  if (typeof input !== 'object' || input === null) {
    throw new SessionConfigError(SOURCE, 'options', 'an object', input);
  }
  const { eager = false, cookie, policy, manager, ...managerOptions } = input;
  if (typeof eager !== 'boolean' && typeof eager !== 'function') {
    throw new SessionConfigError(SOURCE, 'eager', 'a boolean or a function of the context', eager);
  }
  if (cookie !== undefined && typeof cookie !== 'function') {
    throw new SessionConfigError(
      SOURCE,
      'cookie',
      'a function of the context returning cookie overrides',
      cookie,
    );
  }
  if (policy !== undefined && typeof policy !== 'function' && !isRoutePolicy(policy)) {
    throw new SessionConfigError(
      SOURCE,
      'policy',
      '{ readOnly?: boolean, failOpen?: boolean } or a function of the context',
      policy,
    );
  }
  let resolved: SessionManager<Data>;
  if (manager !== undefined) {
    if (!isManager(manager)) {
      throw new SessionConfigError(
        SOURCE,
        'manager',
        'a SessionManager from createSessionManager()',
        manager,
      );
    }
    const extra = Object.keys(managerOptions)[0];
    if (extra !== undefined) {
      throw new SessionConfigError(
        SOURCE,
        extra,
        `absent when \`manager\` is given (only ${ADAPTER_KEYS.join(', ')} go beside it)`,
        (managerOptions as Record<string, unknown>)[extra],
      );
    }
    resolved = manager;
  } else {
    resolved = createSessionManager(managerOptions as SessionManagerOptions<Data>);
  }
  return {
    manager: resolved,
    eager: typeof eager === 'function' ? eager : () => eager,
    cookie,
    policy: typeof policy === 'function' ? policy : () => policy,
  };
}
