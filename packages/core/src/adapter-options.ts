import { SessionConfigError } from './errors.js';
import type { SessionManagerOptions } from './manager-options.js';
import type { CookieOverrides, RoutePolicy } from './request-session.js';
import { createSessionManager, type SessionManager } from './session-manager.js';
import type { SessionData } from './store.js';

/**
 * What every framework adapter takes: the manager's options (or a prebuilt `manager`) plus the per-request
 * choices below, each a function of the framework's request object `Req` (Koa's context, Node's request).
 */
export interface AdapterOptions<Data extends SessionData, Req> extends SessionManagerOptions<Data> {
  /**
   * Load the session before the handler runs. A function decides per request.
   * @default false (lazy: no store I/O until the handler asks)
   */
  eager?: boolean | ((req: Req) => boolean);
  /**
   * Per-request overrides of the cookie's `domain`, `path`, `secure` and `sameSite` (a tenant's domain).
   * @default undefined (the manager's cookie options)
   */
  cookie?: (req: Req) => CookieOverrides | undefined;
  /**
   * The route's policy: `readOnly` (never writes, touches, rotates or deletes; session writes throw — for
   * polling endpoints) and `failOpen` (a store outage gives an empty read-only session instead of an error).
   * A function decides per request.
   * @default undefined (read-write, fail closed)
   */
  policy?: RoutePolicy | ((req: Req) => RoutePolicy | undefined);
  /**
   * A manager built with `createSessionManager()`, shared with other code; no manager options may be given
   * beside it.
   * @default undefined (one is built from the other options)
   */
  manager?: SessionManager<Data>;
}

/** {@link AdapterOptions} after validation: a manager, and every per-request choice as a function. */
export interface ResolvedAdapterOptions<Data extends SessionData, Req> {
  manager: SessionManager<Data>;
  eager: (req: Req) => boolean;
  cookie: ((req: Req) => CookieOverrides | undefined) | undefined;
  policy: (req: Req) => RoutePolicy | undefined;
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

/**
 * Validates an adapter's options, naming the offending one with the adapter's package name (`source`),
 * and builds the manager. `reqName` is what the adapter calls its request object in messages
 * (`'context'`, `'request'`).
 */
export function resolveAdapterOptions<Data extends SessionData, Req>(
  source: string,
  reqName: string,
  input: AdapterOptions<Data, Req>,
): ResolvedAdapterOptions<Data, Req> {
  const fail = (option: string, expected: string, received: unknown): never => {
    throw new SessionConfigError(source, option, expected, received);
  };
  if (typeof input !== 'object' || input === null) fail('options', 'an object', input);
  const { eager = false, cookie, policy, manager, ...managerOptions } = input;
  if (typeof eager !== 'boolean' && typeof eager !== 'function') {
    fail('eager', `a boolean or a function of the ${reqName}`, eager);
  }
  if (cookie !== undefined && typeof cookie !== 'function') {
    fail('cookie', `a function of the ${reqName} returning cookie overrides`, cookie);
  }
  if (policy !== undefined && typeof policy !== 'function' && !isRoutePolicy(policy)) {
    fail('policy', `{ readOnly?: boolean, failOpen?: boolean } or a function of the ${reqName}`, policy);
  }
  let resolved: SessionManager<Data>;
  if (manager !== undefined) {
    if (!isManager(manager)) fail('manager', 'a SessionManager from createSessionManager()', manager);
    const extra = Object.keys(managerOptions)[0];
    if (extra !== undefined) {
      fail(
        extra,
        `absent when \`manager\` is given (only ${ADAPTER_KEYS.join(', ')} go beside it)`,
        (managerOptions as Record<string, unknown>)[extra],
      );
    }
    resolved = manager as SessionManager<Data>;
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
