export type { RedisStoreOptions } from './options.js';
export type { RedisArgument, RedisLike } from './redis-like.js';
export { createRedisStore, type RedisStore } from './redis-store.js';
