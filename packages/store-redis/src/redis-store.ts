import { SessionConfigError } from '@sess/core';
import type { MetaChange, RecordMeta, SessionRecord, SessionStore, SessionUpdate } from '@sess/core/store';
import { REDIS_STORE_OPTIONS, type RedisStoreOptions, STORE_NAME } from './options.js';
import { createOwnerIndex, indexScore, type RedisOwnerIndex } from './owner-index.js';
import { dataPairs, decodeMetaRow, decodeRecord, FIELD, metaPairs } from './record-fields.js';
import { isRedisLike, REDIS_METHODS, type RedisArgument, type RedisLike } from './redis-like.js';
import { CREATE, DESTROY, runScript } from './scripts.js';
import {
  changeArgs,
  expectedExpiry,
  instant,
  type RaisedIndex,
  TOUCH_DATA,
  updateDataArgs,
} from './write-args.js';
import { WRITE } from './write-script.js';

/** A {@link SessionStore} on Redis, with its key layout exposed for operators and tests. */
export interface RedisStore extends SessionStore {
  /** The validated `prefix` option. */
  readonly prefix: string;
  /** The Redis key (a hash) that holds record `id`: `<prefix>{<id>}`. */
  keyOf(id: string): string;
  /** The Redis key (a sorted set) of the owner index of `owner`: `<prefix>owner:{<owner>}`. */
  ownerKeyOf(owner: string): string;
}

// Each refusal raises the index past the expiry the script asked for; only a record whose lifetime or
// owner keeps changing under the write can ask again. Past this many, the write fails rather than loop.
const MAX_INDEX_RAISES = 5;

/**
 * A session store on Redis: standalone, Sentinel-configured or Cluster, through the ioredis client you
 * pass (it is never closed by the store). Each record is one hash in one slot; every write is one atomic
 * Lua script that applies the request's changes to the record as it is; Redis expires records itself.
 *
 * @example
 * const store = createRedisStore(new Redis({ maxRetriesPerRequest: 1 }), { prefix: 'myapp:sess:' });
 */
export function createRedisStore(client: RedisLike, options?: RedisStoreOptions): RedisStore {
  if (!isRedisLike(client)) {
    throw new SessionConfigError(
      STORE_NAME,
      'client',
      `an ioredis Redis or Cluster client (with ${REDIS_METHODS.join(', ')})`,
      client,
    );
  }
  const { prefix, ownerIndex } = REDIS_STORE_OPTIONS.resolve(options === undefined ? {} : options);
  const keyOf = (id: string): string => `${prefix}{${id}}`;
  const ownerKeyOf = (owner: string): string => `${prefix}owner:{${owner}}`;
  const owners: RedisOwnerIndex | undefined = ownerIndex
    ? createOwnerIndex(client, { session: keyOf, owner: ownerKeyOf })
    : undefined;

  /**
   * Runs the write script (update or touch) until the owner index covers the record (see owner-index.ts):
   * an owner being bound is raised first; a refusal names the owner and the expiry to raise to.
   */
  async function write(
    operation: string,
    id: string,
    change: MetaChange,
    data: readonly RedisArgument[],
  ): Promise<boolean> {
    let raised: RaisedIndex | undefined;
    if (owners && typeof change.owner === 'string') {
      raised = { owner: change.owner, score: indexScore(expectedExpiry(change), change.now) };
      await owners.raise(raised.owner, id, raised.score);
    }
    for (let attempt = 0; ; attempt++) {
      const head = changeArgs(operation, change, owners !== undefined, raised);
      const result = await runScript(client, WRITE, keyOf(id), [...head, ...data]);
      if (!Array.isArray(result)) return result === 1;
      const [owner, needed] = result as [string, string];
      if (!owners || attempt === MAX_INDEX_RAISES) {
        throw new Error(`[${STORE_NAME}] ${operation}: the owner index of the record kept falling behind`);
      }
      raised = { owner, score: indexScore(Number(needed), change.now) };
      await owners.raise(owner, id, raised.score);
    }
  }

  return {
    name: STORE_NAME,
    capabilities: { delta: true, ownerIndex, nativeExpiry: true, expiryResolution: 'ms' },
    prefix,
    keyOf,
    ownerKeyOf,
    ...(owners ? { owners: { list: owners.list, destroyAll: owners.destroyAll } } : {}),

    async load(id: string): Promise<SessionRecord | null> {
      return decodeRecord(await client.hgetall(keyOf(id)));
    },

    async create(id: string, record: SessionRecord): Promise<boolean> {
      const expiresAt = instant('create', 'expiresAt', record.expiresAt);
      const pairs = metaPairs(record.meta, expiresAt);
      const owner = record.meta.owner;
      // The index first: a record that exists bound to an owner is always listed (see owner-index.ts).
      if (owners && owner !== undefined) {
        const score = indexScore(expiresAt, record.meta.lastSeenAt);
        await owners.raise(owner, id, score);
        pairs.push(FIELD.indexed, String(score));
      }
      const created = await runScript(client, CREATE, keyOf(id), [
        Math.ceil(expiresAt),
        ...pairs,
        ...dataPairs(record.data),
      ]);
      return created === 1;
    },

    async update(id: string, update: SessionUpdate): Promise<boolean> {
      return write('update', id, update.meta, updateDataArgs(update));
    },

    async touch(id: string, change: MetaChange): Promise<boolean> {
      return write('touch', id, change, TOUCH_DATA);
    },

    async destroy(id: string): Promise<RecordMeta | null> {
      const result = await runScript(client, DESTROY, keyOf(id), []);
      if (!Array.isArray(result)) return null;
      return decodeMetaRow(result)?.meta ?? null;
    },

    async clearExpired(): Promise<number> {
      return 0;
    },
  };
}
