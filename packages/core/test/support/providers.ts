import type { BackendProvider, SessionBackend, SessionStore } from '../../src/store/index.js';
import { createStoreBackend } from '../../src/store-backend.js';

/**
 * A backend provider over a server store, as core builds one for `store:` — for tests that hand the
 * manager a prebuilt backend (hashing on its own, or changed by `wrap`).
 */
export function providerOf(
  store: SessionStore,
  options: { hashKeysAtRest?: boolean | 'migrate'; wrap?: (backend: SessionBackend) => SessionBackend } = {},
): BackendProvider {
  return {
    name: store.name,
    createBackend: ({ cookieName }) => {
      const backend = createStoreBackend(store, {
        cookieName,
        storeTimeoutMs: 5000,
        hashKeysAtRest: options.hashKeysAtRest ?? false,
      });
      return options.wrap ? options.wrap(backend) : backend;
    },
  };
}
