import { SessionConfigError } from '../errors.js';

/**
 * The option presets. `'django'` is Django's defaults, unchanged. `'strict'` turns on what OWASP ASVS 5
 * asks beyond them (see SECURITY.md at the repository root) and refuses options that would weaken it.
 */
export type SessionPreset = 'django' | 'strict';

/** What `preset: 'strict'` sets when the option is not given. Every value may be tuned, within the rules. */
export const STRICT_DEFAULTS = Object.freeze({
  /** ASVS 3.3.1: Secure, `Path=/`, no Domain, enforced by the browser. */
  cookieName: '__Host-sessionid',
  cookieSecure: true,
  /** ASVS 7.3.1: an idle timeout of 30 minutes (NIST SP 800-63B at AAL2)… */
  cookieAge: 1800,
  /** …that activity extends: an unmodified session's expiry is refreshed at most once a minute. */
  touchInterval: 60,
  /** ASVS 7.3.2: 12 hours from creation, whatever the activity (NIST SP 800-63B at AAL2). */
  absoluteTimeout: 43200,
  /** The cookie ends with the browser; the server-side record ends at `cookieAge` of inactivity. */
  expireAtBrowserClose: true,
});

const SOURCE = '@sess/core';

/** The preset named in `options`, validated. */
export function presetOf(options: Record<string, unknown>): SessionPreset {
  const preset = options.preset ?? 'django';
  if (preset !== 'django' && preset !== 'strict') {
    throw new SessionConfigError(SOURCE, 'preset', "'django' or 'strict'", preset);
  }
  return preset;
}

/**
 * The options with the strict defaults filled in where the app gave none. A server store also gets
 * `hashKeysAtRest: true` (unless Django shares its keys: `checkStrict` then names the preset); the
 * cookie engine has no keys at rest.
 */
export function withStrictDefaults(options: Record<string, unknown>): Record<string, unknown> {
  const filled: Record<string, unknown> = { ...STRICT_DEFAULTS };
  const store = options.store as { load?: unknown; capabilities?: { sharedKeys?: unknown } } | undefined;
  const serverStore = typeof store?.load === 'function' && typeof store.capabilities === 'object';
  if (serverStore && store.capabilities?.sharedKeys !== true) filled.hashKeysAtRest = true;
  for (const [name, value] of Object.entries(options)) if (value !== undefined) filled[name] = value;
  return filled;
}

/** The settings `preset: 'strict'` checks once the options are resolved. */
export interface StrictCheck {
  cookieName: string;
  cookieSecure: boolean | 'auto';
  cookieHttpOnly: boolean;
  cookieSameSite: 'Lax' | 'Strict' | 'None' | false;
  absoluteTimeout: number | null;
  /**
   * When the backend stores server-side keys as they are: the option that made it so (`hashKeysAtRest`
   * for a server store, `store` for a backend provider that keeps raw keys). Null when keys are hashed
   * or there are none at rest.
   */
  rawKeysFrom: 'hashKeysAtRest' | 'store' | null;
  metadata: boolean;
  backendName: string;
  tokenHeader: boolean;
}

function refuse(option: string, expected: string, received: unknown): never {
  throw new SessionConfigError(SOURCE, option, `${expected} under preset 'strict'`, received);
}

/** Refuses, naming the option, any setting that would weaken `preset: 'strict'`. */
export function checkStrict(resolved: StrictCheck): void {
  if (!resolved.metadata) {
    refuse(
      'preset',
      `a backend that keeps session metadata for the absolute timeout (${resolved.backendName} keeps none; ` +
        "use a server store in its native format, or preset 'django')",
      'strict',
    );
  }
  if (!resolved.cookieName.startsWith('__Host-')) refuse('cookieName', 'a __Host- name', resolved.cookieName);
  if (resolved.cookieSecure !== true) refuse('cookieSecure', 'true', resolved.cookieSecure);
  if (!resolved.cookieHttpOnly) refuse('cookieHttpOnly', 'true', false);
  if (resolved.cookieSameSite !== 'Lax' && resolved.cookieSameSite !== 'Strict') {
    refuse('cookieSameSite', "'Lax' or 'Strict'", resolved.cookieSameSite);
  }
  if (resolved.absoluteTimeout === null) refuse('absoluteTimeout', 'a number of seconds', null);
  if (resolved.rawKeysFrom === 'hashKeysAtRest') refuse('hashKeysAtRest', "true or 'migrate'", false);
  if (resolved.rawKeysFrom === 'store') {
    refuse(
      'store',
      'a server store (hashed at rest by hashKeysAtRest) or a backend that hashes its keys',
      'raw keys',
    );
  }
  // The header transport hands the key to scripts (no HttpOnly), which strict rules out.
  if (resolved.tokenHeader)
    refuse('tokenHeader', 'unset (the key travels only in an HttpOnly cookie)', 'set');
}
