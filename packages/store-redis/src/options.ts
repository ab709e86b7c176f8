import { SessionConfigError } from '@sess/core';

/** The name the store reports in errors and in `store.name`. */
export const STORE_NAME = '@sess/store-redis';

/** Options of `createRedisStore`. */
export interface RedisStoreOptions {
  /**
   * Prepended to every key the store writes: a session lives in the hash `<prefix>{<session key>}` and
   * an owner index in the sorted set `<prefix>owner:{<owner>}`. Must not contain `{` or `}`: the braces
   * after the prefix are the Redis Cluster hash tag. An ioredis `keyPrefix` on the client is applied on top.
   * @default 'sess:'
   */
  prefix?: string;
  /**
   * Keep an index of sessions by `meta.owner` (one sorted set per owner) and offer `store.owners`.
   * Costs one extra round trip per save or touch of a session that has an owner; `false` drops the
   * index and the capability.
   * @default true
   */
  ownerIndex?: boolean;
}

/** Options after validation and defaults. */
export interface ResolvedRedisStoreOptions {
  prefix: string;
  ownerIndex: boolean;
}

const KNOWN = new Set(['prefix', 'ownerIndex']);

/** Validates the options, naming the offending one, and fills in the defaults. */
export function resolveRedisStoreOptions(input: RedisStoreOptions | undefined): ResolvedRedisStoreOptions {
  if (input === undefined) return { prefix: 'sess:', ownerIndex: true };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SessionConfigError(STORE_NAME, 'options', 'an object', input);
  }
  const options = input as Record<string, unknown>;
  for (const name of Object.keys(options)) {
    if (!KNOWN.has(name)) {
      throw new SessionConfigError(
        STORE_NAME,
        name,
        `a known option (${[...KNOWN].join(', ')})`,
        options[name],
      );
    }
  }
  const prefix = options.prefix === undefined ? 'sess:' : options.prefix;
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw new SessionConfigError(STORE_NAME, 'prefix', 'a string without `{` or `}`', prefix);
  }
  const ownerIndex = options.ownerIndex === undefined ? true : options.ownerIndex;
  if (typeof ownerIndex !== 'boolean')
    throw new SessionConfigError(STORE_NAME, 'ownerIndex', 'a boolean', ownerIndex);
  return { prefix, ownerIndex };
}
