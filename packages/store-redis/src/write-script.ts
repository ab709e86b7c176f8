import { EACH, script } from './scripts.js';

/**
 * Where each part of a write sits in ARGV. A change argument is `''` (keep the stored value), `'-'`
 * (remove it) or `'=<value>'` (write `<value>`), so any string, the empty one included, can be written.
 */
export const WRITE_ARG = {
  /** `MetaChange.now`, ms: the new `_s` and the base of a refreshed expiry. */
  now: 1,
  /** `MetaChange.defaultLifetime`, seconds. */
  defaultLifetime: 2,
  /** `expiry.expiresAt` when the request set the expiry, else `''` (refresh). */
  expiresAt: 3,
  /** `expiry.lifetime` as a change argument (only read with `expiresAt`). */
  lifetime: 4,
  /** `owner` as a change argument. */
  owner: 5,
  /** `deadline`, or `''`. */
  deadline: 6,
  /** `previous` as a change argument. */
  previous: 7,
  /** `next` as a change argument. */
  next: 8,
  /** `'1'` when the store keeps the owner index, `'0'` when not. */
  index: 9,
  /** `'=<owner>'` whose index the client has just raised for this record, or `''`. */
  raisedOwner: 10,
  /** The score it raised it to (ms), or `''`. */
  raisedScore: 11,
  /** How many data fields to remove next, `-1` to remove every data field, `0` for a touch. */
  removals: 12,
} as const;

/**
 * update and touch: apply a `MetaChange` by its rules against the hash as it is, and (update) the data.
 * Only when the hash holds a record (`SET XX`). KEYS[1] session hash; ARGV as {@link WRITE_ARG}, then the
 * data fields to remove, then data field/value pairs to write.
 *
 * - `_s` := now. The expiry: written as given (with `_l` set or removed), or refreshed: now + (`_l` or
 *   the default lifetime) seconds, capped at `_d` (or, when the record has none, the change's deadline); `_l` = 0 keeps `_e`.
 *   `_e` holds the exact instant, PEXPIREAT its ceiling in ms.
 * - `_o`: bound, unbound or kept; `_d` written only when absent; `_p`/`_n` set, cleared or kept.
 * - The owner index (when kept): the record may only be written bound to an owner whose index is known
 *   to score it at or past its new expiry. `_i` holds that score for `_o`; a raise the client has just made
 *   (ARGV 10–11) counts when it is for the owner the record ends up with. When neither covers the new
 *   expiry, nothing is written and the script answers `{owner, needed expiry}`: the client raises that
 *   index and runs the write again (owner-index.ts explains why this order holds on a cluster).
 *
 * Returns 1 when written, 0 when there was no record, or `{owner, expiry}` as above.
 */
export const WRITE = script(
  'write',
  `${EACH}
local key = KEYS[1]
local stored = redis.call('HMGET', key, '_e', '_l', '_d', '_o', '_i')
if not stored[1] then return 0 end
local now = ARGV[1]
local sets = {'_s', now}
local dels = {}
local function put(field, value) sets[#sets + 1] = field; sets[#sets + 1] = value end
local function change(field, arg)
  if arg == '-' then dels[#dels + 1] = field elseif arg ~= '' then put(field, string.sub(arg, 2)) end
end
local function text(number) return string.format('%.17g', number) end

-- A stored deadline is never replaced, so it is the one that caps a refresh.
local cap = stored[3]
if ARGV[6] ~= '' and not stored[3] then
  cap = ARGV[6]
  put('_d', ARGV[6])
end

local expiry
if ARGV[3] ~= '' then
  expiry = ARGV[3]
  change('_l', ARGV[4])
else
  local lifetime = tonumber(stored[2] or ARGV[2])
  if lifetime == 0 then
    expiry = stored[1]
  else
    local slid = tonumber(now) + lifetime * 1000
    if cap and tonumber(cap) < slid then expiry = cap else expiry = text(slid) end
  end
end
put('_e', expiry)
local due = math.ceil(tonumber(expiry))

local owner = stored[4]
if ARGV[5] == '-' then
  owner = false
  dels[#dels + 1] = '_o'
elseif ARGV[5] ~= '' then
  owner = string.sub(ARGV[5], 2)
  put('_o', owner)
end

if ARGV[9] == '1' and owner then
  local covered = false
  if owner == stored[4] and stored[5] then covered = tonumber(stored[5]) end
  if ARGV[10] == '=' .. owner then
    local raised = tonumber(ARGV[11])
    if not covered or covered < raised then covered = raised end
  end
  if not covered or covered < due then return {owner, text(due)} end
  put('_i', text(covered))
elseif stored[5] and owner ~= stored[4] then
  dels[#dels + 1] = '_i'
end

change('_p', ARGV[7])
change('_n', ARGV[8])

local removals = tonumber(ARGV[12])
local first = 13
if removals < 0 then
  local data = {}
  for _, field in ipairs(redis.call('HKEYS', key)) do
    if string.sub(field, 1, 2) == 'd:' then data[#data + 1] = field end
  end
  each('HDEL', key, data, 1, #data)
else
  each('HDEL', key, ARGV, 13, 12 + removals)
  first = 13 + removals
end
each('HSET', key, ARGV, first, #ARGV)
redis.call('HSET', key, unpack(sets))
if #dels > 0 then redis.call('HDEL', key, unpack(dels)) end
redis.call('PEXPIREAT', key, string.format('%.0f', due))
return 1`,
);
