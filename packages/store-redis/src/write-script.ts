import { EACH, SLICE, script } from './scripts.js';

/**
 * Where each part of a write sits. ARGV[1] packs the numeric part of the change as one JSON array of
 * strings (`WRITE_ARG.packed` gives each position), so a request's write is sent, and decoded by the
 * script, as a few arguments rather than one per field; the strings that can be anything (an owner, a
 * record id) stay arguments of their own. A change argument is `''` (keep the stored value), `'-'`
 * (remove it) or `'=<value>'` (write `<value>`), so any string, the empty one included, can be written.
 */
export const WRITE_ARG = {
  /** Positions in the JSON array of ARGV[1]. */
  packed: {
    /** `MetaChange.now`, ms: the new `_s` and the base of a refreshed expiry. */
    now: 1,
    /** `MetaChange.defaultLifetime`, seconds. */
    defaultLifetime: 2,
    /** `now + defaultLifetime` in ms, as the client computed it: a refresh of a record without `_l`. */
    refreshed: 3,
    /** `expiry.expiresAt` when the request set the expiry, else `''` (refresh). */
    expiresAt: 4,
    /** `expiry.lifetime` as a change argument (only read with `expiresAt`). */
    lifetime: 5,
    /** `deadline`, or `''`. */
    deadline: 6,
    /** `'1'` when the store keeps the owner index, `'0'` when not. */
    index: 7,
    /** The score (ms) the client has just raised the index of `raisedOwner` to, or `''`. */
    raisedScore: 8,
  },
  /** `owner` as a change argument. */
  owner: 2,
  /** `previous` as a change argument. */
  previous: 3,
  /** `next` as a change argument. */
  next: 4,
  /** `'=<owner>'` whose index the client has just raised for this record, or `''`. */
  raisedOwner: 5,
  /** How many data fields to remove next, `-1` to remove every data field, `0` for a touch. */
  removals: 6,
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
 *   (`raisedOwner`, `raisedScore`) counts when it is for the owner the record ends up with. When neither
 *   covers the new expiry, nothing is written and the script answers `{owner, needed expiry}`: the client
 *   raises that index and runs the write again (owner-index.ts explains why this order holds on a cluster).
 *
 * The metadata and the data are written with one HSET and, when something goes, one HDEL (in slices only
 * for a change of more than {@link SLICE} fields). Returns 1 when written, 0 when there was no record, or
 * `{owner, expiry}` as above.
 */
export const WRITE = script(
  'write',
  `${EACH}
local key = KEYS[1]
local stored = redis.call('HMGET', key, '_e', '_l', '_d', '_o', '_i')
if not stored[1] then return 0 end
local packed = cjson.decode(ARGV[1])
local now = packed[1]
local sets = {'_s', now}
local dels = {}
local function put(field, value)
  sets[#sets + 1] = field
  sets[#sets + 1] = value
end
-- An argument of the client's: '' leaves the field, '-' removes it, '=' followed by a value sets it.
local function change(field, arg)
  if arg == '-' then
    dels[#dels + 1] = field
  elseif arg ~= '' then
    put(field, string.sub(arg, 2))
  end
end

-- A stored deadline is never replaced, so it is the one that caps a refresh.
local cap = stored[3]
if packed[6] ~= '' and not cap then
  cap = packed[6]
  put('_d', cap)
end

local expiry
if packed[4] ~= '' then
  expiry = packed[4]
  change('_l', packed[5])
else
  local lifetime = tonumber(stored[2] or packed[2])
  if lifetime == 0 then
    expiry = stored[1]
  else
    -- Without a lifetime of its own, the record slides by the default: the client's sum, as text.
    if stored[2] then expiry = string.format('%.17g', tonumber(now) + lifetime * 1000) else expiry = packed[3] end
    if cap and tonumber(cap) < tonumber(expiry) then expiry = cap end
  end
end
put('_e', expiry)
local due = math.ceil(tonumber(expiry))

local owner = stored[4]
if ARGV[2] == '-' then
  owner = false
elseif ARGV[2] ~= '' then
  owner = string.sub(ARGV[2], 2)
end
change('_o', ARGV[2])

if packed[7] == '1' and owner then
  local covered = false
  if owner == stored[4] and stored[5] then covered = tonumber(stored[5]) end
  if ARGV[5] == '=' .. owner then
    local raised = tonumber(packed[8])
    if not covered or covered < raised then covered = raised end
  end
  if not covered or covered < due then return {owner, string.format('%.17g', due)} end
  put('_i', string.format('%.17g', covered))
elseif stored[5] and owner ~= stored[4] then
  change('_i', '-')
end

change('_p', ARGV[3])
change('_n', ARGV[4])

-- Fields to remove join the metadata's in one HDEL, unless there are too many for one call.
local function remove(list, from, to)
  if to - from >= ${SLICE} then
    each('HDEL', key, list, from, to)
  else
    for i = from, to do dels[#dels + 1] = list[i] end
  end
end
local removals = tonumber(ARGV[6])
local first = 7
if removals < 0 then
  local data = {}
  for _, field in ipairs(redis.call('HKEYS', key)) do
    if string.sub(field, 1, 2) == 'd:' then data[#data + 1] = field end
  end
  remove(data, 1, #data)
else
  remove(ARGV, 7, 6 + removals)
  first = 7 + removals
end
if #dels > 0 then redis.call('HDEL', key, unpack(dels)) end
if #ARGV - first >= ${SLICE} then
  each('HSET', key, ARGV, first, #ARGV)
else
  for i = first, #ARGV do sets[#sets + 1] = ARGV[i] end
end
redis.call('HSET', key, unpack(sets))
redis.call('PEXPIREAT', key, string.format('%.0f', due))
return 1`,
);
