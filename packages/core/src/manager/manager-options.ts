import { SessionConfigError } from '../errors.js';
import { declareOptions } from '../options/declare-options.js';
import * as option from '../options/option-kinds.js';
import type { OptionsInput } from '../options/option-spec.js';
import type { StandardSchemaLike } from '../standard-schema.js';
import type { BackendProvider } from '../store/backend-contract.js';
import type { SessionData, SessionStore } from '../store/contract.js';
import { COOKIE_OPTION_SPECS } from './cookie-options.js';
import { PEER_OPTION_HINTS } from './peer-option-hints.js';
import { POLICY_OPTION_SPECS } from './policy-options.js';
import { type SessionPreset, withStrictDefaults } from './strict-preset.js';
import { parseTokenHeader, type ResolvedTokenHeader, type TokenHeaderOptions } from './token-header.js';

const SOURCE = '@sess/core';

/** Where sessions live: a server store, or a backend provider (the cookie engine). */
export type StoreOption = SessionStore | BackendProvider;

const STORE_METHODS = ['load', 'create', 'update', 'touch', 'destroy'] as const;

function checkStore(value: unknown, invalid: (detail?: string) => never): StoreOption {
  const candidate = value as Record<string, unknown> | null;
  if (typeof candidate === 'object' && candidate !== null) {
    if (typeof candidate.createBackend === 'function') return candidate as unknown as BackendProvider;
    if (
      STORE_METHODS.every((m) => typeof candidate[m] === 'function') &&
      typeof candidate.capabilities === 'object'
    ) {
      return candidate as unknown as SessionStore;
    }
    if (['get', 'set', 'destroy'].every((m) => typeof candidate[m] === 'function')) {
      invalid(
        'a sess store: this looks like an express-session or koa-session store (get/set/destroy); ' +
          'use the sess engine for the same server (createRedisStore, createDbStore, createMemcachedStore, ' +
          'createFileStore, createMemoryStore) or createCookieStore',
      );
    }
  }
  return invalid();
}

/** The manager's own options (the cookie's and the policy's are declared beside them). */
const MANAGER_OWN_SPECS = {
  /**
   * Where sessions live: a server store (`createRedisStore`, `createDbStore`, `createMemoryStore`…) or the
   * cookie engine (`createCookieStore`). Required.
   */
  store: option.required(
    option.custom<StoreOption | undefined>({
      default: undefined,
      expected: 'a session store (createMemoryStore(), createRedisStore(…), createCookieStore(…)…)',
      check: checkStore,
    }),
  ),
  /** SESSION_EXPIRE_AT_BROWSER_CLOSE: cookies without Max-Age (the record still ends after `cookieAge`). */
  expireAtBrowserClose: option.boolean({ default: false }),
  /** SESSION_SAVE_EVERY_REQUEST: save every session the request carries, changed or not. */
  saveEveryRequest: option.boolean({ default: false }),
  /** Deadline of each operation of a server store. */
  storeTimeoutMs: option.milliseconds({ default: 5000 }),
  /** Where time comes from. */
  clock: option.clock(),
  /** Validates loaded data (zod, valibot… any Standard Schema); invalid data starts a fresh session. */
  schema: option.custom<StandardSchemaLike | undefined>({
    default: undefined,
    expected: 'a Standard Schema (zod, valibot…)',
    check: (value, invalid) =>
      typeof (value as StandardSchemaLike | null)?.['~standard']?.validate === 'function'
        ? (value as StandardSchemaLike)
        : invalid(),
  }),
  /**
   * Carries the key in headers instead of the cookie (API clients that cannot keep cookies): read from
   * `request` (`Authorization` means `Bearer <key>`), sent back in `response`. Server-side stores only.
   */
  tokenHeader: option.custom<TokenHeaderOptions | undefined>({
    default: undefined,
    defaultText: 'none (the cookie)',
    expected: '{ request, response } header names',
    check: (value) => value as TokenHeaderOptions,
  }),
  /**
   * Store each session under a one-way hash of its key, so a stolen table or dump yields no cookie that
   * opens a session. `'migrate'` also finds sessions an earlier deployment stored under the raw key and
   * moves them on first use. Server stores in their native format only (Django looks up raw keys).
   */
  hashKeysAtRest: option.custom<boolean | 'migrate'>({
    default: false,
    defaultText: "false (true under preset 'strict')",
    expected: "true, false or 'migrate'",
    check: (value, invalid) => (typeof value === 'boolean' || value === 'migrate' ? value : invalid()),
  }),
  /**
   * `'django'`: Django's defaults. `'strict'`: what OWASP ASVS 5 asks beyond them (a `__Host-` Secure cookie
   * that ends with the browser, a 30-minute idle and a 12-hour absolute timeout, keys hashed at rest), and
   * options that would weaken it are refused (see SECURITY.md).
   */
  preset: option.oneOf(['django', 'strict'] as const, { default: 'django' }),
};

/**
 * The manager's options, declared once: names after Django's `SESSION_*` settings, lifetimes in seconds
 * as in Django, I/O timeouts in milliseconds ending in `Ms`. (The type parameter keeps each option's
 * JSDoc in the published types.)
 */
export const MANAGER_OPTIONS = declareOptions<
  typeof MANAGER_OWN_SPECS & typeof COOKIE_OPTION_SPECS & typeof POLICY_OPTION_SPECS
>(SOURCE, { ...MANAGER_OWN_SPECS, ...COOKIE_OPTION_SPECS, ...POLICY_OPTION_SPECS }, PEER_OPTION_HINTS);

type ManagerSpecs = typeof MANAGER_OPTIONS.specs;

/**
 * Options of the session manager (and of every adapter, which takes them too), named after Django's
 * `SESSION_*` settings.
 */
export type SessionManagerOptions<Data extends SessionData = SessionData> = Omit<
  OptionsInput<ManagerSpecs>,
  'schema'
> & {
  /** Validates loaded data (zod, valibot… any Standard Schema); invalid data starts a fresh session. @default none */
  schema?: StandardSchemaLike<Data> | undefined;
};

/** The manager's options after validation, with the preset applied. */
export type ResolvedManagerOptions = ReturnType<typeof MANAGER_OPTIONS.resolve> & {
  tokenHeader: ResolvedTokenHeader | undefined;
  preset: SessionPreset;
};

/** Names a manager takes, for declarations that take them too (the adapters). */
export const MANAGER_OPTION_NAMES: readonly string[] = Object.keys(MANAGER_OPTIONS.specs);

/** Validates the options (naming the offending one), applies the preset and fills in Django's defaults. */
export function resolveManagerOptions(input: unknown): ResolvedManagerOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SessionConfigError(SOURCE, 'options', 'an object', input);
  }
  const given = input as Record<string, unknown>;
  const preset = MANAGER_OPTIONS.specs.preset.parse(given.preset, () => {
    throw new SessionConfigError(SOURCE, 'preset', "'django' or 'strict'", given.preset);
  });
  const resolved = MANAGER_OPTIONS.resolve(preset === 'strict' ? withStrictDefaults(given) : given);
  return { ...resolved, tokenHeader: parseTokenHeader(resolved.tokenHeader), preset };
}
