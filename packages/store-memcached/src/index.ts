export { type RecommendedClientOptions, recommendedClientOptions } from './client-options.js';
export { CLOCK_MARGIN_SECONDS, MAX_RELATIVE_EXPTIME, memcachedExptime } from './lifetime.js';
export type { MemcachedCallback, MemcachedLike } from './memcached-like.js';
export { createMemcachedStore, type MemcachedStore } from './memcached-store.js';
export type { MemcachedStoreOptions } from './options.js';
