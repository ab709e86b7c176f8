import { createHash } from 'node:crypto';
import type { RedisArgument, RedisLike } from './redis-like.js';

/**
 * Applies a command to `ARGV[first..last]` in slices: Lua's `unpack` is limited by its C stack, so
 * a session with thousands of top-level keys would otherwise fail. Slices are even-sized, so
 * field/value pairs never split.
 */
const EACH = `
local function each(command, key, first, last)
  while first <= last do
    local stop = math.min(first + 999, last)
    redis.call(command, key, unpack(ARGV, first, stop))
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

function script(name: string, lua: string): LuaScript {
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
each('HSET', key, 2, #ARGV)
redis.call('PEXPIREAT', key, ARGV[1])
return 1`,
);

/**
 * update: only when the hash exists (`SET XX`), replace it whole or apply a delta, and move the expiry.
 * KEYS[1] session hash; ARGV[1] expiry (ms); ARGV[2] how many fields to remove, or -1 to replace the
 * whole hash; then those field names; then field/value pairs to write. Returns 1, or 0 when absent.
 */
export const UPDATE = script(
  'update',
  `${EACH}
local key = KEYS[1]
if redis.call('EXISTS', key) == 0 then return 0 end
local removals = tonumber(ARGV[2])
local first = 3
if removals < 0 then
  redis.call('DEL', key)
else
  each('HDEL', key, 3, 2 + removals)
  first = 3 + removals
end
each('HSET', key, first, #ARGV)
redis.call('PEXPIREAT', key, ARGV[1])
return 1`,
);

/**
 * touch: move the expiry and the last-seen time of an existing hash, never its data.
 * KEYS[1] session hash; ARGV[1] expiry (ms, PEXPIREAT); ARGV[2] `_e`; ARGV[3] `_s`.
 * Returns 0 when absent, else an array holding the owner when there is one (for the owner index).
 */
export const TOUCH = script(
  'touch',
  `
local key = KEYS[1]
if redis.call('EXISTS', key) == 0 then return 0 end
local owner = redis.call('HGET', key, '_o')
redis.call('HSET', key, '_e', ARGV[2], '_s', ARGV[3])
redis.call('PEXPIREAT', key, ARGV[1])
if owner then return {owner} end
return {}`,
);

/**
 * Owner index upkeep: add or move a member (score = its expiry, ms), drop members that expired by the
 * server's clock (the same clock that expires the hashes), and let the index expire with its last member.
 * KEYS[1] owner index; ARGV[1] session key; ARGV[2] expiry (ms).
 */
export const INDEX_ADD = script(
  'index-add',
  `
local key = KEYS[1]
local time = redis.call('TIME')
local now = string.format('%.0f', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
redis.call('ZADD', key, ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
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
