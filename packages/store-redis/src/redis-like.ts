/** A value ioredis accepts as a command argument. */
export type RedisArgument = string | number;

/**
 * The part of an ioredis client the store calls. Both `Redis` (standalone or Sentinel-configured)
 * and `Cluster` satisfy it, so the store never imports ioredis at runtime.
 */
export interface RedisLike {
  evalsha(sha1: string, numkeys: number, ...args: RedisArgument[]): Promise<unknown>;
  eval(script: string, numkeys: number, ...args: RedisArgument[]): Promise<unknown>;
  hgetall(key: string): Promise<Record<string, string>>;
  hmget(key: string, ...fields: string[]): Promise<(string | null)[]>;
  zrange(key: string, start: number, stop: number): Promise<string[]>;
  zrem(key: string, ...members: string[]): Promise<number>;
}

/** The methods {@link RedisLike} requires, for the construction-time check. */
export const REDIS_METHODS = ['evalsha', 'eval', 'hgetall', 'hmget', 'zrange', 'zrem'] as const;

/** True when `value` has every method the store calls. */
export function isRedisLike(value: unknown): value is RedisLike {
  if (typeof value !== 'object' || value === null) return false;
  const client = value as Record<string, unknown>;
  return REDIS_METHODS.every((method) => typeof client[method] === 'function');
}
