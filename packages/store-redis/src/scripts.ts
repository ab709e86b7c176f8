import { createHash } from 'node:crypto';
import type { RedisArgument, RedisLike } from './redis-like.js';

/** How many arguments a script passes to one command at most (an even number, so pairs never split). */
export const SLICE = 1000;

/**
 * Lua helper: applies a command to `list[first..last]` in slices. Lua's `unpack` is limited by its C stack,
 * so a session with thousands of top-level keys would otherwise fail. Slices are even-sized, so
 * field/value pairs never split.
 */
export const EACH = `
local function each(command, key, list, first, last)
  while first <= last do
    local stop = math.min(first + ${SLICE - 1}, last)
    redis.call(command, key, unpack(list, first, stop))
    first = stop + 1
  end
end
`;

/** One Lua script, run by its SHA1 and sent in full only when the server does not know it yet. */
export interface LuaScript {
  readonly name: string;
  readonly lua: string;
  readonly sha: string;
}

/** A script from its Lua text. */
export function script(name: string, lua: string): LuaScript {
  const body = lua.trim();
  return { name, lua: body, sha: createHash('sha1').update(body).digest('hex') };
}

/**
 * create: the hash equivalent of `SET NX PXAT`. Writes every field and the absolute expiry only when
 * the key is free. KEYS[1] session hash; ARGV[1] expiry (ms, PEXPIREAT); ARGV[2..] field/value pairs.
 * Returns 1 when created, 0 when the key is taken.
 */
export const CREATE = script(
  'create',
  `${EACH}
local key = KEYS[1]
if redis.call('EXISTS', key) == 1 then return 0 end
each('HSET', key, ARGV, 2, #ARGV)
redis.call('PEXPIREAT', key, ARGV[1])
return 1`,
);

/**
 * destroy: reads the meta fields and deletes the hash in one step, so no write lands in between.
 * KEYS[1] session hash. Returns the fields `_c _s _o _d _e _l _p _n` (a missing one as nil, or false
 * under RESP3), or 0 when there was no record.
 */
export const DESTROY = script(
  'destroy',
  `
local key = KEYS[1]
local meta = redis.call('HMGET', key, '_c', '_s', '_o', '_d', '_e', '_l', '_p', '_n')
if redis.call('DEL', key) == 0 then return 0 end
return meta`,
);

/**
 * Owner index upkeep: raise a member's score (its expiry bound, ms) to at least ARGV[2], never lower it;
 * drop members that expired by the server's clock (the same clock that expires the hashes); and let the
 * index expire with its last member. KEYS[1] owner index; ARGV[1] record id; ARGV[2] score.
 * (The compare is done here rather than with `ZADD GT`, which needs Redis 6.2.)
 */
export const INDEX_RAISE = script(
  'index-raise',
  `
local key = KEYS[1]
local score = redis.call('ZSCORE', key, ARGV[1])
if not score or tonumber(score) < tonumber(ARGV[2]) then redis.call('ZADD', key, ARGV[2], ARGV[1]) end
local time = redis.call('TIME')
local now = string.format('%.0f', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. now)
local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
if last[2] then redis.call('PEXPIREAT', key, last[2]) end
return 1`,
);

/**
 * Deletes a session only while it still belongs to the owner, so revoking one user's sessions never
 * removes a session that has since been bound to someone else. KEYS[1] session hash; ARGV[1] owner.
 */
export const DESTROY_OWNED = script(
  'destroy-owned',
  `
if redis.call('HGET', KEYS[1], '_o') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
);

const isNoScript = (error: unknown): boolean =>
  error instanceof Error && error.message.startsWith('NOSCRIPT');

/**
 * Runs `script` on the node owning `key` with EVALSHA, falling back to EVAL (which also caches it
 * on that server) after a restart, a `SCRIPT FLUSH` or on a cluster node that has not seen it yet.
 */
export async function runScript(
  client: RedisLike,
  script: LuaScript,
  key: string,
  args: readonly RedisArgument[],
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, 1, key, ...args);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    return client.eval(script.lua, 1, key, ...args);
  }
}
