import { SessionConfigError, type SessionRecord, type SessionStore, type SessionUpdate } from '@sess/core';
import { type RedisStoreOptions, resolveRedisStoreOptions, STORE_NAME } from './options.js';
import { createOwnerIndex, type RedisOwnerIndex } from './owner-index.js';
import { dataField, dataPairs, decodeRecord, encodeValue, metaPairs } from './record-fields.js';
import { isRedisLike, REDIS_METHODS, type RedisArgument, type RedisLike } from './redis-like.js';
import { CREATE, runScript, TOUCH, UPDATE } from './scripts.js';

/** A {@link SessionStore} on Redis, with its key layout exposed for operators and tests. */
export interface RedisStore extends SessionStore {
  /** The validated `prefix` option. */
  readonly prefix: string;
  /** The Redis key (a hash) that holds session `key`: `<prefix>{<key>}`. */
  keyOf(key: string): string;
  /** The Redis key (a sorted set) of the owner index of `owner`: `<prefix>owner:{<owner>}`. */
  ownerKeyOf(owner: string): string;
}

/** The absolute expiry for PEXPIREAT: whole milliseconds, never earlier than asked. */
function expiryMs(operation: string, expiresAt: number): number {
  if (!Number.isFinite(expiresAt)) {
    throw new RangeError(
      `[${STORE_NAME}] ${operation}: expiresAt must be a finite number of ms, got ${expiresAt}`,
    );
  }
  return Math.ceil(expiresAt);
}

/** The arguments of the update script: removals (or -1 to replace the whole hash), then pairs to write. */
function updateArgs(update: SessionUpdate): RedisArgument[] {
  const expiry = expiryMs('update', update.expiresAt);
  const { pairs, absent } = metaPairs(update.meta, update.expiresAt);
  if (!update.delta) return [expiry, -1, ...pairs, ...dataPairs(update.data)];
  const args: RedisArgument[] = [expiry, 0, ...absent];
  for (const name of update.delta.unset) args.push(dataField(name));
  const set = update.delta.set;
  for (const name of Object.keys(set)) {
    const json = encodeValue(set[name]);
    if (json === undefined) args.push(dataField(name));
    else pairs.push(dataField(name), json);
  }
  args[1] = args.length - 2;
  for (const item of pairs) args.push(item);
  return args;
}

/**
 * A session store on Redis: standalone, Sentinel-configured or Cluster, through the ioredis client you
 * pass (it is never closed by the store). Each session is one hash whose keys share a hash slot;
 * writes are atomic Lua scripts; Redis expires records itself at their absolute expiry.
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
  const { prefix, ownerIndex } = resolveRedisStoreOptions(options);
  const keyOf = (key: string): string => `${prefix}{${key}}`;
  const ownerKeyOf = (owner: string): string => `${prefix}owner:{${owner}}`;
  const owners: RedisOwnerIndex | undefined = ownerIndex
    ? createOwnerIndex(client, { session: keyOf, owner: ownerKeyOf })
    : undefined;

  return {
    name: STORE_NAME,
    capabilities: { delta: true, ownerIndex, nativeExpiry: true, expiryResolution: 'ms' },
    prefix,
    keyOf,
    ownerKeyOf,
    ...(owners ? { owners: { list: owners.list, destroyAll: owners.destroyAll } } : {}),

    async load(key: string): Promise<SessionRecord | null> {
      return decodeRecord(await client.hgetall(keyOf(key)));
    },

    async create(key: string, record: SessionRecord): Promise<boolean> {
      const expiry = expiryMs('create', record.expiresAt);
      const { pairs } = metaPairs(record.meta, record.expiresAt);
      // The index first: a session that exists is then always listed under its owner.
      if (owners && record.meta.owner !== undefined)
        await owners.add(record.meta.owner, key, record.expiresAt);
      const created = await runScript(client, CREATE, keyOf(key), [
        expiry,
        ...pairs,
        ...dataPairs(record.data),
      ]);
      return created === 1;
    },

    async update(key: string, update: SessionUpdate): Promise<boolean> {
      const args = updateArgs(update);
      if (owners && update.meta.owner !== undefined)
        await owners.add(update.meta.owner, key, update.expiresAt);
      return (await runScript(client, UPDATE, keyOf(key), args)) === 1;
    },

    async touch(key: string, expiresAt: number, lastSeenAt: number): Promise<boolean> {
      const expiry = expiryMs('touch', expiresAt);
      const result = await runScript(client, TOUCH, keyOf(key), [
        expiry,
        String(expiresAt),
        String(lastSeenAt),
      ]);
      if (!Array.isArray(result)) return false;
      const owner: unknown = result[0];
      if (owners && typeof owner === 'string') await owners.add(owner, key, expiresAt);
      return true;
    },

    async destroy(key: string): Promise<void> {
      await client.del(keyOf(key));
    },

    async clearExpired(): Promise<number> {
      return 0;
    },
  };
}
