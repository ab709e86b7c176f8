import { SessionStoreError } from '@sess/core';
import {
  applyMetaChange,
  encodeEnvelope,
  encodeEnvelopeText,
  envelopeDataJson,
  isRecordId,
  type MetaChange,
  type RecordMeta,
  type SessionData,
  type SessionRecord,
  type SessionStore,
  type SessionUpdate,
  type StoreCapabilities,
} from '@sess/core/store';
import { casRounds, type Step } from './cas-rounds.js';
import { applyDelta } from './delta.js';
import { type Item, itemCommands } from './item-commands.js';
import { memcachedExptime } from './lifetime.js';
import type { MemcachedLike } from './memcached-like.js';
import { type MemcachedStoreOptions, resolveMemcachedStoreOptions, STORE_NAME } from './options.js';
import { RecentItems } from './recent-items.js';

/** A {@link SessionStore} on memcached, with its key layout exposed for operators and tests. */
export interface MemcachedStore extends SessionStore {
  /** The memcached key of record `id`: `<prefix><id>` (the client puts its `namespace` in front). */
  keyOf(id: string): string;
}

const CAPABILITIES: StoreCapabilities = Object.freeze({
  delta: true,
  ownerIndex: false,
  nativeExpiry: true,
  expiryResolution: 's',
});

/**
 * What `destroy` writes in place of the record, already expired. Never read on memcached, which removes
 * an item stored with a negative exptime at once; not an envelope either, so even a server that kept it
 * would show every read and write an absent record.
 */
export const DESTROYED = 'destroyed';

/** memcached's exptime for an item that is gone at once (protocol.txt: "a negative value … immediately expired"). */
const EXPIRED_AT_ONCE = -1;

/** An item holding a record this store wrote, not yet expired by its envelope. */
type LiveItem = Item & { envelope: NonNullable<Item['envelope']> };

const live = (item: Item): item is LiveItem =>
  item.envelope !== null && item.envelope.record.expiresAt > Date.now();

/** The write of a record whose metadata `change` moved, with `dataJson` as its data text. */
function rewrite(item: LiveItem, change: MetaChange, dataJson: string): Step<boolean> {
  const { meta, expiresAt } = applyMetaChange(item.envelope.record, change);
  const value = encodeEnvelopeText(expiresAt, meta, dataJson);
  return { result: true, value, exptime: memcachedExptime(expiresAt, Date.now()) };
}

/**
 * A session store on a `memcached` client (one server or a pool: the client's consistent hashing
 * spreads sessions over the servers). The client is the user's: the store never ends it. Each record is
 * one JSON envelope (`@sess/core/store`'s); `add` creates, `load` reads with `gets`, and update, touch and
 * destroy are `cas` writes on the item as a `gets` read it (the load's own, when it is at hand), so each
 * applies its change to the record as it is. memcached expires items itself (lifetimes over 30 days are
 * sent as absolute Unix times).
 */
export function createMemcachedStore(
  client: MemcachedLike,
  options: MemcachedStoreOptions = {},
): MemcachedStore {
  const { prefix, operationTimeoutMs, casAttempts, maxValueBytes } = resolveMemcachedStoreOptions(
    client,
    options,
  );
  const keyOf = (id: string): string => `${prefix}${id}`;
  const commands = itemCommands(client, { keyOf, operationTimeoutMs, maxValueBytes });
  const recent = new RecentItems();

  /** The rounds of a write on `id`, starting from the item this request's load read, if at hand. */
  const write = <T>(operation: string, id: string, absent: T, decide: (item: Item) => Step<T>) =>
    casRounds(commands, casAttempts, { operation, id, absent, first: recent.take(id, Date.now()), decide });

  return {
    name: STORE_NAME,
    capabilities: CAPABILITIES,
    keyOf,

    async load(id: string): Promise<SessionRecord | null> {
      if (!isRecordId(id)) return null;
      const item = await commands.gets('load', id);
      if (!item || !live(item)) return null;
      // Kept for this request's write, which then needs no second read (see RecentItems).
      recent.remember(id, item, item.bytes, Date.now());
      // Its own copy of the metadata: what the caller does with the record never reaches the kept item.
      const { data, expiresAt, meta } = item.envelope.record;
      return { data, expiresAt, meta: { ...meta } };
    },

    async create(id: string, record: SessionRecord): Promise<boolean> {
      if (!isRecordId(id)) {
        throw new SessionStoreError(
          `[${STORE_NAME}] create refused: ${JSON.stringify(String(id).slice(0, 48))} is not a record id`,
          { operation: 'create' },
        );
      }
      const exptime = memcachedExptime(record.expiresAt, Date.now());
      return commands.add('create', id, encodeEnvelope(record), exptime);
    },

    async update(id: string, update: SessionUpdate): Promise<boolean> {
      if (!isRecordId(id)) return false;
      const { delta } = update;
      return write('update', id, false, (item) => {
        if (!live(item)) return { result: false };
        // Parsed afresh from the stored text: the record `load` handed out is never changed here.
        const data = delta
          ? applyDelta(JSON.parse(item.envelope.dataJson) as SessionData, delta)
          : update.data;
        return rewrite(item, update.meta, envelopeDataJson(data));
      });
    },

    async touch(id: string, change: MetaChange): Promise<boolean> {
      if (!isRecordId(id)) return false;
      // The data's JSON text is copied as it is: only the expiry and the metadata change.
      return write('touch', id, false, (item) =>
        live(item) ? rewrite(item, change, item.envelope.dataJson) : { result: false },
      );
    },

    // memcached's `delete` takes no CAS token, so a `gets` then `delete` could delete a record an update
    // changed in between and return metadata older than what was removed. Instead the removal is itself
    // the `cas` on the token of the read: the item is replaced by DESTROYED with a negative exptime, which
    // memcached stores already expired, i.e. removes at once. The `cas` lands only if nothing wrote since
    // the `gets`, so the metadata returned is exactly that of the record removed; a write that landed in
    // between makes it fail, and the next round reads the record with that write. A write that read the
    // record before the removal fails its own `cas` (the item is gone: NOT_FOUND) and reports `false`.
    // Whatever sits under the key is removed (an expired record, a value of another version), but only a
    // live record's metadata is returned.
    async destroy(id: string): Promise<RecordMeta | null> {
      if (!isRecordId(id)) return null;
      return write<RecordMeta | null>('destroy', id, null, (item) => ({
        result: live(item) ? { ...item.envelope.record.meta } : null,
        value: DESTROYED,
        exptime: EXPIRED_AT_ONCE,
      }));
    },

    async clearExpired(): Promise<number> {
      return 0;
    },
  } satisfies MemcachedStore;
}
