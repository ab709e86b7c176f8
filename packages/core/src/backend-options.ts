import type { SessionBackend } from './backend.js';
import { fail } from './option-checks.js';
import { recordIdOf } from './record-ids.js';
import type { SessionStore } from './store.js';
import { createStoreBackend } from './store-backend.js';

function isStoreLike(value: unknown): value is SessionStore {
  const store = value as SessionStore;
  return (
    typeof value === 'object' &&
    value !== null &&
    ['load', 'create', 'update', 'touch', 'destroy'].every(
      (m) => typeof (store as never)[m] === 'function',
    ) &&
    typeof store.capabilities === 'object'
  );
}

function isBackendLike(value: unknown): value is SessionBackend {
  const b = value as SessionBackend;
  return (
    typeof value === 'object' &&
    value !== null &&
    ['load', 'save', 'touch', 'destroy', 'cookiesToClear'].every((m) => typeof (b as never)[m] === 'function')
  );
}

/** Validates `hashKeysAtRest` against the store it applies to. */
function hashKeysAtRest(value: unknown, store: SessionStore): boolean | 'migrate' {
  if (value === undefined) return false;
  if (typeof value !== 'boolean' && value !== 'migrate')
    fail('hashKeysAtRest', "true, false or 'migrate'", value);
  if (value !== false && store.capabilities.sharedKeys === true) {
    fail('hashKeysAtRest', `false with ${store.name}, whose records Django looks up by their raw key`, value);
  }
  return value;
}

/**
 * The backend the manager talks to: the app's `backend` as it is, or its `store` wrapped by
 * `createStoreBackend` (with `storeTimeoutMs` and `hashKeysAtRest`). Exactly one of the two.
 */
export function resolveBackend(options: Record<string, unknown>, timeoutMs: number): SessionBackend {
  if (options.store !== undefined && options.backend !== undefined)
    fail('store', 'omitted when `backend` is given', 'both');
  if (options.store !== undefined) {
    if (!isStoreLike(options.store))
      fail('store', 'a SessionStore (load, create, update, touch, destroy)', options.store);
    return createStoreBackend(options.store, {
      timeoutMs,
      hashKeys: hashKeysAtRest(options.hashKeysAtRest, options.store),
    });
  } else if (options.backend !== undefined) {
    if (!isBackendLike(options.backend)) fail('backend', 'a SessionBackend', options.backend);
    if (options.hashKeysAtRest !== undefined && options.hashKeysAtRest !== false) {
      fail(
        'hashKeysAtRest',
        'false with a `backend` (createStoreBackend takes `hashKeys`)',
        options.hashKeysAtRest,
      );
    }
    return options.backend;
  }
  return fail('store', 'a SessionStore (or give `backend`)', undefined);
}

// A well-formed key, to ask a prebuilt backend whether it stores keys as they are.
const PROBE_KEY = 'a'.repeat(32);

/** Whether a prebuilt server-side backend stores each key as it is (no `hashKeys`). */
export function storesRawKeys(backend: SessionBackend): boolean {
  return backend.capabilities.serverSide && recordIdOf(backend, PROBE_KEY) === PROBE_KEY;
}
