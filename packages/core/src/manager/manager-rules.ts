import { SessionConfigError } from '../errors.js';
import type { BackendProvider, SessionBackend } from '../store/backend-contract.js';
import type { SessionStore } from '../store/contract.js';
import { createStoreBackend } from '../store-backend.js';
import { checkCookieRules } from './cookie-options.js';
import type { ResolvedManagerOptions } from './manager-options.js';
import { checkStrict } from './strict-preset.js';

const SOURCE = '@sess/core';

function fail(option: string, expected: string, received: unknown): never {
  throw new SessionConfigError(SOURCE, option, expected, received);
}

const isProvider = (store: SessionStore | BackendProvider): store is BackendProvider =>
  typeof (store as BackendProvider).createBackend === 'function';

/**
 * The backend of a manager: its server store wrapped (the key in the cookie, timeouts, hashing at rest),
 * or the backend a provider (the cookie engine) builds, bound to the cookie name and clock.
 */
export function buildBackend(options: ResolvedManagerOptions): SessionBackend {
  const store = options.store;
  const hashKeysAtRest = options.hashKeysAtRest;
  if (isProvider(store)) {
    if (hashKeysAtRest !== false) {
      fail('hashKeysAtRest', `false with ${store.name}, which keeps no keys at rest`, hashKeysAtRest);
    }
    return store.createBackend({
      cookieName: options.cookieName,
      cookieAge: options.cookieAge,
      clock: options.clock,
    });
  }
  if (hashKeysAtRest !== false && store.capabilities.sharedKeys === true) {
    fail(
      'hashKeysAtRest',
      `false with ${store.name}, whose records Django looks up by their raw key`,
      hashKeysAtRest,
    );
  }
  return createStoreBackend(store, {
    cookieName: options.cookieName,
    storeTimeoutMs: options.storeTimeoutMs,
    hashKeysAtRest,
  });
}

/** The rules between options, and between the options and what the backend can do. */
export function checkManagerRules(options: ResolvedManagerOptions, backend: SessionBackend): void {
  const cookie = {
    domain: options.cookieDomain,
    path: options.cookiePath,
    secure: options.cookieSecure,
    httpOnly: options.cookieHttpOnly,
    sameSite: options.cookieSameSite,
    partitioned: options.cookiePartitioned,
    priority: options.cookiePriority,
  };
  checkCookieRules(options.cookieName, cookie);
  const { capabilities, name } = backend;
  if (options.preset === 'strict') {
    checkStrict({
      cookieName: options.cookieName,
      cookieSecure: options.cookieSecure,
      cookieHttpOnly: options.cookieHttpOnly,
      cookieSameSite: options.cookieSameSite,
      absoluteTimeout: options.absoluteTimeout,
      rawKeysFrom:
        capabilities.serverSide && capabilities.rawKeys
          ? isProvider(options.store)
            ? 'store'
            : 'hashKeysAtRest'
          : null,
      tokenHeader: options.tokenHeader !== undefined,
      metadata: capabilities.metadata,
      backendName: name,
    });
  }
  if (options.tokenHeader !== undefined && !capabilities.serverSide) {
    fail('tokenHeader', `used with a server-side store only (${name} keeps the session in cookies)`, 'set');
  }
  if (options.rotateInterval !== null && !capabilities.serverSide) {
    fail('rotateInterval', 'null with a backend that has no server-side keys', options.rotateInterval);
  }
  // Without stored metadata a server store reports load time as lastSeenAt and createdAt, so a touch or a
  // rotation would never fall due: refuse them rather than accept options that silently do nothing.
  const dataOnlyServer = capabilities.serverSide && !capabilities.metadata;
  if (options.touchInterval !== null && dataOnlyServer) {
    fail('touchInterval', `null with ${name}, which keeps no session metadata`, options.touchInterval);
  }
  if (options.rotateInterval !== null && dataOnlyServer) {
    fail('rotateInterval', `null with ${name}, which keeps no session metadata`, options.rotateInterval);
  }
  if (options.absoluteTimeout !== null && !capabilities.metadata) {
    fail('absoluteTimeout', `null with ${name}, which keeps no session metadata`, options.absoluteTimeout);
  }
  if (options.ownerLimit !== null && !capabilities.ownerIndex) {
    fail('ownerLimit', 'null with a store that has no owner index', options.ownerLimit);
  }
}
