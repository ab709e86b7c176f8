import { declareOptions, type OptionsInput, option } from '@sess/core/store';

/** The name the store reports in errors and in `store.name`. */
export const STORE_NAME = '@sess/store-redis';

/** The options of `createRedisStore`, declared once: validation, defaults, the type and the README table. */
export const REDIS_STORE_OPTIONS = declareOptions(
  STORE_NAME,
  {
    /**
     * Prepended to every key the store writes: a session lives in the hash `<prefix>{<record id>}` and an
     * owner index in the sorted set `<prefix>owner:{<owner>}`. Any string without `{` or `}` (the braces
     * after it are the Redis Cluster hash tag); `''` is allowed. Two stores with different prefixes on one
     * server never see each other's sessions. An ioredis `keyPrefix` on the client is applied in front of it.
     */
    prefix: option.custom<string>({
      default: 'sess:',
      expected: 'a string without `{` or `}`',
      check: (value, invalid) => (typeof value === 'string' && !/[{}]/.test(value) ? value : invalid()),
    }),
    /**
     * Keep an index of sessions by owner (one sorted set per owner) and offer `store.owners`. Binding a
     * session to an owner costs one extra round trip, and about once per day of activity a write of an owned
     * session two more (see "Owner index"); `false` drops the index, and the store declares
     * `capabilities.ownerIndex: false` (asking for it then raises `CapabilityMissing`).
     */
    ownerIndex: option.boolean({ default: true }),
  },
  {
    ttl: 'the lifetime is the manager’s `cookieAge` (seconds); the store keeps the expiry each write computes',
    keyPrefix: 'use `prefix` (an ioredis `keyPrefix` on the client is applied in front of it)',
    serializer: 'data is always stored as JSON, one hash field per top-level key',
    client: 'pass the ioredis client as the first argument: `createRedisStore(client, options)`',
  },
);

/** Options of `createRedisStore`. */
export type RedisStoreOptions = OptionsInput<typeof REDIS_STORE_OPTIONS.specs>;
