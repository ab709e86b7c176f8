import type {
  CookieJar,
  CookieValue,
  LoadedSession,
  SaveRequest,
  SaveResult,
  SessionBackend,
} from './backend.js';
import { SessionError, SessionInterrupted } from './errors.js';
import { generateSessionKey, hashSessionKey, isValidSessionKey } from './session-key.js';
import type { OwnerIndex, SessionRecord, SessionStore } from './store.js';
import { guardStoreCall } from './timeout.js';

/** Options of {@link createStoreBackend}. */
export interface StoreBackendOptions {
  /** Deadline of each store operation, in milliseconds. @default 5000 */
  timeoutMs?: number;
  /** How many fresh keys to try when `create` reports a collision. @default 10 */
  createAttempts?: number;
  /**
   * Store each record under a one-way hash of its key ({@link hashSessionKey}), so the store never holds
   * a live cookie value. `'migrate'` also finds a record an earlier deployment stored under the raw key
   * and moves it under the hash on first use. @default false
   */
  hashKeys?: boolean | 'migrate';
}

const sameKey = (key: string) => key;

/**
 * Wraps a server store into the backend the manager talks to: the cookie carries the key, keys are
 * validated before any store I/O, collisions are retried, every call is bounded by a timeout, and
 * (with `hashKeys`) the store sees only a hash of each key.
 */
export function createStoreBackend(store: SessionStore, options: StoreBackendOptions = {}): SessionBackend {
  const timeoutMs = options.timeoutMs ?? 5000;
  const attempts = options.createAttempts ?? 10;
  const hashKeys = options.hashKeys ?? false;
  const idOf = hashKeys === false ? sameKey : hashSessionKey;
  const call = <T>(operation: string, fn: () => Promise<T>) =>
    guardStoreCall(store.name, operation, timeoutMs, fn);

  /**
   * A record an earlier deployment stored under the raw key moves under its hash. Two requests may race
   * here: only one `create` succeeds, and neither overwrites the other.
   */
  async function adoptLegacy(key: string): Promise<SessionRecord | null> {
    const legacy = await call('load', () => store.load(key));
    if (!legacy) return null;
    await call('create', () => store.create(idOf(key), legacy));
    await call('destroy', () => store.destroy(key));
    return legacy;
  }

  const keyCookie = (cookieName: string, key: string): CookieValue[] => [{ name: cookieName, value: key }];

  async function create(request: SaveRequest, cookieName: string): Promise<SaveResult> {
    const record = { data: request.data, expiresAt: request.expiresAt, meta: request.meta };
    for (let attempt = 0; attempt < attempts; attempt++) {
      const key = generateSessionKey();
      if (await call('create', () => store.create(idOf(key), record)))
        return { key, cookies: keyCookie(cookieName, key) };
    }
    throw new SessionError(
      `[${store.name}] could not create a session: ${attempts} fresh keys all collided`,
      {
        code: 'KEY_COLLISION',
      },
    );
  }

  const backend: SessionBackend = {
    name: store.name,
    capabilities: {
      serverSide: true,
      delta: store.capabilities.delta,
      ownerIndex: store.capabilities.ownerIndex,
      metadata: store.capabilities.metadata !== false,
    },

    async load(jar: CookieJar, cookieName: string): Promise<LoadedSession | null> {
      const key = jar.get(cookieName);
      if (!isValidSessionKey(key)) return null;
      let record = await call('load', () => store.load(idOf(key)));
      if (!record && hashKeys === 'migrate') record = await adoptLegacy(key);
      return record && { key, data: record.data, meta: record.meta, expiresAt: record.expiresAt };
    },

    async save(request: SaveRequest, cookieName: string): Promise<SaveResult> {
      if (request.key === null) return create(request, cookieName);
      const key = request.key;
      const update = { data: request.data, expiresAt: request.expiresAt, meta: request.meta };
      const found = await call('update', () =>
        store.update(idOf(key), request.delta ? { ...update, delta: request.delta } : update),
      );
      if (!found) throw new SessionInterrupted();
      return { key, cookies: keyCookie(cookieName, key) };
    },

    async touch(request: SaveRequest, cookieName: string): Promise<SaveResult> {
      const key = request.key;
      if (key === null) return create(request, cookieName);
      const found = await call('touch', () =>
        store.touch(idOf(key), request.expiresAt, request.meta.lastSeenAt),
      );
      if (!found) throw new SessionInterrupted();
      return { key, cookies: keyCookie(cookieName, key) };
    },

    destroy: (key: string) => call('destroy', () => store.destroy(idOf(key))),
    recordId: idOf,
    destroyRecord: (id: string) => call('destroy', () => store.destroy(id)),

    cookiesToClear: (_jar: CookieJar, cookieName: string) => [{ name: cookieName, value: null }],
  };
  const owners = store.owners;
  if (owners) {
    const index: OwnerIndex = {
      list: (owner) => call('owners.list', () => owners.list(owner)),
      destroyAll: (owner, exceptKey) => call('owners.destroyAll', () => owners.destroyAll(owner, exceptKey)),
    };
    Object.assign(backend, { owners: index });
  }
  if (store.close) {
    const close = store.close.bind(store);
    Object.assign(backend, { close });
  }
  return backend;
}
