import { SessionError, SessionInterrupted } from './errors.js';
import { isInProcess, runInProcess } from './in-process-store.js';
import type {
  BackendWrite,
  CookieJar,
  OpenedSession,
  SaveResult,
  SessionBackend,
} from './store/backend-contract.js';
import type { OwnerIndex, RecordMeta, SessionRecord, SessionStore } from './store/contract.js';
import { generateSessionKey, hashSessionKey, isValidSessionKey } from './store/session-key.js';
import { StoreCalls } from './timeout.js';

/** How {@link createStoreBackend} wraps a store. */
export interface StoreBackendSettings {
  cookieName: string;
  /** Deadline of each store operation, ms. */
  storeTimeoutMs: number;
  /** Store records under a one-way hash of their key; `'migrate'` also adopts records stored under the raw key. */
  hashKeysAtRest: boolean | 'migrate';
}

/** How many fresh keys a create tries when the store reports a collision. */
const CREATE_ATTEMPTS = 10;
/** How far a logout follows rotation links (a family is a handful of records at most). */
const FAMILY_LIMIT = 16;

const NO_SESSION: OpenedSession = Object.freeze({ key: null, record: null });
const sameKey = (key: string) => key;

/**
 * Wraps a server store into the backend the manager talks to: the cookie carries the key, keys are
 * validated before any store I/O, collisions are retried, every call is bounded by a timeout (core's
 * in-process memory store's own calls, which settle before they return, skip the timer), a logout ends a
 * whole rotation family, and (with `hashKeysAtRest`) the store sees only a hash of each key.
 */
export function createStoreBackend(store: SessionStore, settings: StoreBackendSettings): SessionBackend {
  const { cookieName, storeTimeoutMs, hashKeysAtRest } = settings;
  const idOf = hashKeysAtRest === false ? sameKey : hashSessionKey;
  const calls = new StoreCalls(store.name, storeTimeoutMs);
  const call = <T>(operation: string, fn: () => Promise<T>): Promise<T> =>
    isInProcess(store, operation) ? runInProcess(store.name, operation, fn) : calls.run(operation, fn);
  const keyCookie = (key: string) => [{ name: cookieName, value: key }];

  /**
   * `'migrate'`: a record an earlier deployment stored under the raw key moves under its hash. Only the
   * request whose create succeeds moves it; if the raw record was gone by then (another request moved it
   * and a logout ended it meanwhile), the copy is removed again, so a migration never revives a session.
   */
  async function adoptLegacy(key: string): Promise<SessionRecord | null> {
    const legacy = await call('load', () => store.load(key));
    if (!legacy) return null;
    const id = idOf(key);
    if (!(await call('create', () => store.create(id, legacy)))) return call('load', () => store.load(id));
    if ((await call('destroy', () => store.destroy(key))) !== null) return legacy;
    await call('destroy', () => store.destroy(id));
    return null;
  }

  async function create(
    record: SessionRecord,
    withNewKey?: (key: string) => Promise<void>,
    preferredKey?: string,
  ) {
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      const key = attempt === 0 && preferredKey !== undefined ? preferredKey : generateSessionKey();
      await withNewKey?.(key);
      if (await call('create', () => store.create(idOf(key), record))) return key;
    }
    throw new SessionError(
      `[${store.name}] could not create a session: ${CREATE_ATTEMPTS} fresh keys all collided`,
      { code: 'KEY_COLLISION' },
    );
  }

  /** Destroys the record `id` and, following the links it held, its rotation family. */
  async function destroyFamily(id: string): Promise<void> {
    const pending = [id];
    const seen = new Set<string>();
    while (pending.length > 0 && seen.size < FAMILY_LIMIT) {
      const next = pending.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      const meta: RecordMeta | null = await call('destroy', () => store.destroy(next));
      if (meta?.previous !== undefined) pending.push(meta.previous);
      if (meta?.next !== undefined) pending.push(meta.next);
    }
  }

  /**
   * A periodic rotation: the old record is first marked with its successor and given the grace expiry
   * (it must still exist), then the successor is created, then the old record is checked again. A logout
   * landing at any point in between either finds the link and ends the successor, or makes the check fail
   * and the rotation removes its own successor: no copy of a logged-out session stays alive.
   */
  async function rotate(oldKey: string, write: BackendWrite, graceSeconds: number): Promise<string> {
    const oldId = idOf(oldKey);
    const now = write.change.now;
    const record: SessionRecord = { ...write.record, meta: { ...write.record.meta, previous: oldId } };
    delete record.meta.next;
    const newKey = await create(record, async (key) => {
      const marked = await call('touch', () =>
        store.touch(oldId, {
          now,
          defaultLifetime: write.change.defaultLifetime,
          // A fixed instant: requests still in flight with the old key must not slide it.
          expiry: { expiresAt: now + graceSeconds * 1000, lifetime: 0 },
          next: idOf(key),
        }),
      );
      if (!marked) throw new SessionInterrupted();
    });
    const newId = idOf(newKey);
    const old = await call('load', () => store.load(oldId));
    if (old?.meta.next !== newId) {
      await call('destroy', () => store.destroy(newId));
      throw new SessionInterrupted();
    }
    return newKey;
  }

  const backend: SessionBackend = {
    name: store.name,
    capabilities: {
      serverSide: true,
      delta: store.capabilities.delta,
      ownerIndex: store.capabilities.ownerIndex,
      metadata: store.capabilities.metadata !== false,
      rawKeys: hashKeysAtRest === false,
    },

    async open(jar: CookieJar): Promise<OpenedSession> {
      const key = jar.get(cookieName);
      if (!isValidSessionKey(key)) return NO_SESSION;
      let record = await call('load', () => store.load(idOf(key)));
      if (!record && hashKeysAtRest === 'migrate') record = await adoptLegacy(key);
      return record ? { key, record } : NO_SESSION;
    },

    async save(_opened: OpenedSession, write: BackendWrite): Promise<SaveResult> {
      const key = write.key;
      if (key === null) {
        const created = await create(write.record, undefined, write.preferredKey);
        return { key: created, cookies: keyCookie(created) };
      }
      const update = write.delta
        ? { data: write.record.data, delta: write.delta, meta: write.change }
        : { data: write.record.data, meta: write.change };
      if (!(await call('update', () => store.update(idOf(key), update)))) throw new SessionInterrupted();
      return { key, cookies: keyCookie(key) };
    },

    async touch(_opened: OpenedSession, write: BackendWrite): Promise<SaveResult> {
      const key = write.key;
      // A session without a key has no record to refresh: as good as vanished, never created here.
      if (key === null || !(await call('touch', () => store.touch(idOf(key), write.change)))) {
        throw new SessionInterrupted();
      }
      return { key, cookies: keyCookie(key) };
    },

    async cycle(_opened: OpenedSession, write: BackendWrite, graceSeconds: number): Promise<SaveResult> {
      const oldKey = write.key;
      if (oldKey !== null && graceSeconds > 0) {
        const key = await rotate(oldKey, write, graceSeconds);
        return { key, cookies: keyCookie(key) };
      }
      const key = await create(write.record);
      if (oldKey !== null) await destroyFamily(idOf(oldKey));
      return { key, cookies: keyCookie(key) };
    },

    destroy: (key: string) => destroyFamily(idOf(key)),
    recordId: idOf,
    destroyRecord: (id: string) => destroyFamily(id),
    clear: () => [{ name: cookieName, value: null }],
  };
  const owners = store.owners;
  if (owners) {
    const index: OwnerIndex = {
      list: (owner) => call('owners.list', () => owners.list(owner)),
      destroyAll: (owner, exceptId) => call('owners.destroyAll', () => owners.destroyAll(owner, exceptId)),
    };
    Object.assign(backend, { owners: index });
  }
  if (store.close) Object.assign(backend, { close: store.close.bind(store) });
  return backend;
}
