/** Stable machine-readable codes carried by every {@link SessionError}. */
export type SessionErrorCode =
  | 'CONFIG_INVALID'
  | 'STORE_UNAVAILABLE'
  | 'STORE_TIMEOUT'
  | 'SESSION_INTERRUPTED'
  | 'COOKIE_TOO_LARGE'
  | 'CAPABILITY_MISSING'
  | 'SESSION_COMMITTED'
  | 'KEY_COLLISION'
  | 'OWNER_LIMIT'
  | 'READ_ONLY'
  | 'NOT_LOADED';

const BRAND = Symbol.for('@sess/core.SessionError');

/** Base class of every error sess throws on purpose. Match on `code`, not on the message. */
export class SessionError extends Error {
  readonly code: SessionErrorCode;

  constructor(message: string, options: { code: SessionErrorCode; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SessionError';
    this.code = options.code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** Invalid options, thrown at construction. `option` names the offending option. */
export class SessionConfigError extends SessionError {
  readonly option: string;

  constructor(source: string, option: string, expected: string, ...received: [unknown?]) {
    const got = received.length > 0 ? `, received ${describe(received[0])}` : '';
    super(`[${source}] option \`${option}\` must be ${expected}${got}`, { code: 'CONFIG_INVALID' });
    this.name = 'SessionConfigError';
    this.option = option;
  }
}

/**
 * A store operation failed (`STORE_UNAVAILABLE`: connection refused, server error) or timed out
 * (`STORE_TIMEOUT`). The message names the package and the operation; the driver's error is the `cause`.
 */
export class SessionStoreError extends SessionError {
  readonly operation: string;

  constructor(
    message: string,
    options: { operation: string; cause?: unknown; code?: 'STORE_UNAVAILABLE' | 'STORE_TIMEOUT' },
  ) {
    super(message, { code: options.code ?? 'STORE_UNAVAILABLE', cause: options.cause });
    this.name = 'SessionStoreError';
    this.operation = options.operation;
  }
}

/** A store operation did not answer within its `…TimeoutMs` bound. */
export class SessionStoreTimeout extends SessionStoreError {
  readonly timeoutMs: number;

  constructor(store: string, operation: string, timeoutMs: number) {
    super(`[${store}] ${operation} did not complete within ${timeoutMs} ms`, {
      operation,
      code: 'STORE_TIMEOUT',
    });
    this.name = 'SessionStoreTimeout';
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The session's record vanished during the request (logged out or cycled in a concurrent request).
 * Django answers it with a 400; adapters set `status = 400` on it.
 */
export class SessionInterrupted extends SessionError {
  readonly status = 400;

  constructor(cause?: unknown) {
    super(
      "The request's session was deleted before the request completed. The user may have logged out in a concurrent request, for example.",
      { code: 'SESSION_INTERRUPTED', cause },
    );
    this.name = 'SessionInterrupted';
  }
}

/** The session does not fit in the cookies the browser would keep. */
export class CookieTooLarge extends SessionError {
  readonly size: number;
  readonly limit: number;

  constructor(source: string, size: number, limit: number) {
    super(
      `[${source}] the session needs ${size} bytes of cookies, over the limit of ${limit}: store less in the session or use a server-side store`,
      { code: 'COOKIE_TOO_LARGE' },
    );
    this.name = 'CookieTooLarge';
    this.size = size;
    this.limit = limit;
  }
}

/** The engine does not offer an optional capability (owner index, delta updates). */
export class CapabilityMissing extends SessionError {
  readonly capability: string;

  constructor(store: string, capability: string) {
    super(`[${store}] does not support ${capability}`, { code: 'CAPABILITY_MISSING' });
    this.name = 'CapabilityMissing';
    this.capability = capability;
  }
}

/** The session was used after its response was committed. */
export class SessionAlreadyCommitted extends SessionError {
  constructor(operation: string) {
    super(`[@sess/core] session.${operation}() after the response was committed: the change would be lost`, {
      code: 'SESSION_COMMITTED',
    });
    this.name = 'SessionAlreadyCommitted';
  }
}

/**
 * The session was read synchronously (`req.session`, `ctx.session`) on a request whose session is not loaded:
 * lazy loading needs `await getSession()` first, or the adapter's `eager` option for the route.
 */
export class SessionNotLoaded extends SessionError {
  constructor(source: string, property: string) {
    super(
      `[${source}] ${property} was read before the session was loaded. Load it first with ` +
        `\`await ${property.replace(/\.session$/, '.getSession()')}\`, or load it before the handler runs with the ` +
        "`eager` option: `eager: true`, or `eager: (req) => …` for the routes that need it (Passport's " +
        'passport.session(), flash and CSRF middleware read it synchronously).',
      { code: 'NOT_LOADED' },
    );
    this.name = 'SessionNotLoaded';
  }
}

/** True for any sess error, also across duplicate installs of @sess/core. */
export function isSessionError(error: unknown): error is SessionError {
  return error instanceof SessionError || (typeof error === 'object' && error !== null && BRAND in error);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
