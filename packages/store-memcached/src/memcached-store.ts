import type { SessionRecord, SessionStore, SessionUpdate, StoreCapabilities } from '@sess/core';
import { SessionStoreError } from '@sess/core';
import { callClient, commandFailed } from './client-call.js';
import { applyDelta } from './delta.js';
import { type DecodedEnvelope, dataToJson, decodeEnvelope, encodeEnvelope } from './envelope.js';
import { memcachedExptime } from './lifetime.js';
import type { MemcachedCallback, MemcachedLike } from './memcached-like.js';
import {
  KEY_CHARS,
  type MemcachedStoreOptions,
  resolveMemcachedStoreOptions,
  STORE_NAME,
} from './options.js';
import { type Item, RecentItems } from './recent-items.js';

/** The longest pause between two `gets`/`cas` rounds, ms. */
const CAS_BACKOFF_CAP_MS = 200;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A {@link SessionStore} on memcached, with its key layout exposed for operators and tests. */
export interface MemcachedStore extends SessionStore {
  /** The memcached key of session `key`: `<prefix><key>` (the client puts its `namespace` in front). */
  keyOf(key: string): string;
}

/** What a `gets`/`cas` round writes, computed from the current envelope. */
interface Rewrite {
  value: string;
  expiresAt: number;
}

const CAPABILITIES: StoreCapabilities = Object.freeze({
  delta: true,
  ownerIndex: false,
  nativeExpiry: true,
  expiryResolution: 's',
});

const isNotStored = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { notStored?: unknown }).notStored === true;

/**
 * A session store on a `memcached` client (one server or a pool: the client's consistent hashing
 * spreads sessions over the servers). The client is the user's: the store never ends it. Each session
 * is one JSON envelope; `add` creates, `load` reads with `gets`, `replace` or `cas` update (on the token
 * the load read, or after a fresh `gets`), `delete` destroys, and
 * memcached expires items itself (lifetimes over 30 days are sent as absolute Unix times).
 */
export function createMemcachedStore(
  client: MemcachedLike,
  options: MemcachedStoreOptions = {},
): MemcachedStore {
  const { prefix, operationTimeoutMs, casAttempts, maxValueBytes, maxKeyBytes } =
    resolveMemcachedStoreOptions(client, options);
  const keyOf = (key: string): string => `${prefix}${key}`;
  // Core only passes 32 [a-z0-9] keys; anything else must never reach the text protocol.
  const usable = (key: string): boolean =>
    typeof key === 'string' && key.length > 0 && key.length <= maxKeyBytes && KEY_CHARS.test(key);
  const call = <T>(operation: string, command: string, send: (callback: MemcachedCallback<T>) => void) =>
    callClient(operation, command, operationTimeoutMs, send);

  function sized(operation: string, value: string): string {
    const bytes = Buffer.byteLength(value);
    if (bytes > maxValueBytes) {
      throw new SessionStoreError(
        `[${STORE_NAME}] ${operation} refused: the session takes ${bytes} bytes, over maxValueBytes (${maxValueBytes})`,
        { operation },
      );
    }
    return value;
  }

  /** Throws unless the client reported a clean STORED. */
  function expectStored(operation: string, command: string, error: unknown, result: unknown): void {
    if (error) throw commandFailed(operation, command, error);
    // The client answers SERVER_ERROR with no error and `false`: never take that for success.
    if (result !== true) throw commandFailed(operation, command, 'the server did not store the item');
  }

  const live = (item: Item | null | undefined): item is Item & { envelope: DecodedEnvelope } =>
    item?.envelope != null && item.envelope.record.expiresAt > Date.now();

  const recent = new RecentItems();

  /** Reads an item with `gets`; `load` also keeps it in `recent` for the request's own update. */
  async function read(operation: string, key: string): Promise<Item | null> {
    const { error, result } = await call<unknown>(operation, 'gets', (cb) => client.gets(keyOf(key), cb));
    if (error) throw commandFailed(operation, 'gets', error);
    if (result === undefined || result === null || result === false) return null;
    const { cas, ...values } = result as Record<string, unknown>;
    if (typeof cas !== 'string') throw commandFailed(operation, 'gets', 'the reply carries no CAS token');
    const raw = Object.values(values)[0];
    const item = { envelope: decodeEnvelope(raw), cas };
    if (operation === 'load' && typeof raw === 'string' && live(item)) {
      recent.remember(key, item, raw.length, Date.now());
    }
    return item;
  }

  /** Rewrites a live item with `gets`/`cas`, retrying when a concurrent write changed it in between. */
  async function rewrite(
    operation: string,
    key: string,
    next: (current: DecodedEnvelope) => Rewrite,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < casAttempts; attempt++) {
      const started = performance.now();
      // The first round uses what this request's load read, when it is at hand: no second read.
      const remembered = attempt === 0 ? recent.take(key, Date.now()) : undefined;
      const item = live(remembered) ? remembered : await read(operation, key);
      if (!live(item)) return false;
      const { value, expiresAt } = next(item.envelope);
      const body = sized(operation, value);
      const { error, result } = await call<boolean>(operation, 'cas', (cb) =>
        client.cas(keyOf(key), body, item.cas, memcachedExptime(expiresAt, Date.now()), cb),
      );
      if (error) throw commandFailed(operation, 'cas', error);
      if (result === true) return true;
      // false is EXISTS (changed since gets) or NOT_FOUND (gone): the next gets tells them apart.
      // A writer that lost a round waits a random pause before the next one, growing with each lost
      // round and scaled by how long a round takes (longer under load): retrying at once makes every
      // writer of a busy session collide again, round after round.
      if (attempt + 1 === casAttempts) break;
      const round = Math.max(1, performance.now() - started);
      await pause(Math.random() * Math.min(CAS_BACKOFF_CAP_MS, round * 2 ** attempt));
    }
    throw new SessionStoreError(
      `[${STORE_NAME}] ${operation} gave up: concurrent writes changed the session in each of ${casAttempts} gets/cas rounds`,
      { operation },
    );
  }

  /** A whole-data update: `replace` (only if it still exists) after `gets` proved it is live. */
  async function replaceWhole(key: string, update: SessionUpdate): Promise<boolean> {
    const remembered = recent.take(key, Date.now());
    if (!live(remembered) && !live(await read('update', key))) return false;
    const body = sized('update', encodeEnvelope(update.expiresAt, update.meta, dataToJson(update.data)));
    const { error, result } = await call<boolean>('update', 'replace', (cb) =>
      client.replace(keyOf(key), body, memcachedExptime(update.expiresAt, Date.now()), cb),
    );
    if (isNotStored(error)) return false;
    expectStored('update', 'replace', error, result);
    return true;
  }

  return {
    name: STORE_NAME,
    capabilities: CAPABILITIES,
    keyOf,

    async load(key: string): Promise<SessionRecord | null> {
      if (!usable(key)) return null;
      const item = await read('load', key);
      return live(item) ? item.envelope.record : null;
    },

    async create(key: string, record: SessionRecord): Promise<boolean> {
      if (!usable(key)) {
        throw new SessionStoreError(
          `[${STORE_NAME}] create refused: ${JSON.stringify(String(key).slice(0, 40))} is not a usable memcached key`,
          { operation: 'create' },
        );
      }
      const body = sized('create', encodeEnvelope(record.expiresAt, record.meta, dataToJson(record.data)));
      const { error, result } = await call<boolean>('create', 'add', (cb) =>
        client.add(keyOf(key), body, memcachedExptime(record.expiresAt, Date.now()), cb),
      );
      if (isNotStored(error)) return false;
      expectStored('create', 'add', error, result);
      return true;
    },

    async update(key: string, update: SessionUpdate): Promise<boolean> {
      if (!usable(key)) return false;
      const { delta } = update;
      if (!delta) return replaceWhole(key, update);
      return rewrite('update', key, ({ record }) => ({
        value: encodeEnvelope(update.expiresAt, update.meta, dataToJson(applyDelta(record.data, delta))),
        expiresAt: update.expiresAt,
      }));
    },

    async touch(key: string, expiresAt: number, lastSeenAt: number): Promise<boolean> {
      if (!usable(key)) return false;
      // The data's JSON text is copied as is: only `exp` and `meta.lastSeenAt` change.
      return rewrite('touch', key, ({ record, dataJson }) => ({
        value: encodeEnvelope(expiresAt, { ...record.meta, lastSeenAt }, dataJson),
        expiresAt,
      }));
    },

    async destroy(key: string): Promise<void> {
      if (!usable(key)) return;
      recent.forget(key);
      const { error } = await call<boolean>('destroy', 'delete', (cb) => client.del(keyOf(key), cb));
      if (error) throw commandFailed('destroy', 'delete', error);
    },

    async clearExpired(): Promise<number> {
      return 0;
    },
  } satisfies MemcachedStore;
}
