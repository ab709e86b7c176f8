import { EACH, SLICE, script } from './scripts.js';

/**
 * Where each part of a write sits in ARGV (1-based). Every part is an argument of its own, so the script
 * reads them without decoding anything. A change argument is `''` (keep the stored value), `'-'` (remove it)
 * or `'=<value>'` (write `<value>`), so any string, the empty one included, can be written.
 */
export const WRITE_ARG = {
  /** `MetaChange.now`, ms: the new `_s` and the base of a refreshed expiry. */
  now: 1,
  /** `MetaChange.defaultLifetime`, seconds. */
  defaultLifetime: 2,
  /** `now + defaultLifetime` in ms, as the client computed it: a refresh of a record without `_l`. */
  refreshed: 3,
  /** `refreshed` rounded up to a whole ms, as `PEXPIREAT` takes it, or `''` past 2^53 (the script computes it). */
  refreshedDue: 4,
  /** `expiry.expiresAt` when the request set the expiry, else `''` (refresh). */
  expiresAt: 5,
  /** `expiry.lifetime` as a change argument (only read with `expiresAt`). */
  lifetime: 6,
  /** `deadline`, or `''`. */
  deadline: 7,
  /** `'1'` when the store keeps the owner index, `'0'` when not. */
  index: 8,
  /** `owner` as a change argument. */
  owner: 9,
  /** `previous` as a change argument. */
  previous: 10,
  /** `next` as a change argument. */
  next: 11,
  /** `'=<owner>'` whose index the client has just raised for this record, or `''`. */
  raisedOwner: 12,
  /** The score (ms) the client has just raised the index of `raisedOwner` to, or `''`. */
  raisedScore: 13,
  /** How many data fields to remove next, `-1` to remove every data field, `0` for a touch. */
  removals: 14,
} as const;

/** How many arguments come before the data fields (the last of {@link WRITE_ARG}). */
const HEAD = WRITE_ARG.removals;

const A = WRITE_ARG;

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
 *
 * Lua in Redis pays for every library call (a `tonumber` or `string.format` costs about as much as a
 * small command), so the usual write, a refresh by the default lifetime of a record with no lifetime or
 * deadline of its own, takes the client's refreshed expiry and its ceiling as they come and converts
 * nothing; the other cases compute theirs here.
 */
export const WRITE = script(
  'write',
  `${EACH}
local key = KEYS[1]
local stored = redis.call('HMGET', key, '_e', '_l', '_d', '_o', '_i')
if not stored[1] then return 0 end
local now = ARGV[${A.now}]
local sets = {'_s', now}
local dels = {}
-- An argument of the client's: '' leaves the field, '-' removes it, '=' followed by a value sets it.
local function change(field, arg)
  if arg == '-' then
    dels[#dels + 1] = field
  elseif arg ~= '' then
    sets[#sets + 1] = field
    sets[#sets + 1] = string.sub(arg, 2)
  end
end

-- A stored deadline is never replaced, so it is the one that caps a refresh.
local cap = stored[3]
if ARGV[${A.deadline}] ~= '' and not cap then
  cap = ARGV[${A.deadline}]
  sets[#sets + 1] = '_d'
  sets[#sets + 1] = cap
end

local expiry, due
if ARGV[${A.expiresAt}] ~= '' then
  expiry = ARGV[${A.expiresAt}]
  change('_l', ARGV[${A.lifetime}])
elseif stored[2] and tonumber(stored[2]) ~= 0 then
  expiry = string.format('%.17g', tonumber(now) + tonumber(stored[2]) * 1000)
  if cap and tonumber(cap) < tonumber(expiry) then expiry = cap end
elseif stored[2] or ARGV[${A.defaultLifetime}] == '0' then
  expiry = stored[1]
else
  -- Without a lifetime of its own, the record slides by the default: the client's sum, as text.
  expiry = ARGV[${A.refreshed}]
  if cap and tonumber(cap) < tonumber(expiry) then
    expiry = cap
  elseif ARGV[${A.refreshedDue}] ~= '' then
    due = ARGV[${A.refreshedDue}]
  end
end
sets[#sets + 1] = '_e'
sets[#sets + 1] = expiry
if not due then due = string.format('%.0f', math.ceil(tonumber(expiry))) end

local owner = stored[4]
local bind = ARGV[${A.owner}]
if bind ~= '' then
  if bind == '-' then owner = false else owner = string.sub(bind, 2) end
  change('_o', bind)
end

if ARGV[${A.index}] == '1' and owner then
  local needed = tonumber(due)
  local covered = false
  if owner == stored[4] and stored[5] then covered = tonumber(stored[5]) end
  if ARGV[${A.raisedOwner}] == '=' .. owner then
    local raised = tonumber(ARGV[${A.raisedScore}])
    if not covered or covered < raised then covered = raised end
  end
  if not covered or covered < needed then return {owner, string.format('%.17g', needed)} end
  sets[#sets + 1] = '_i'
  sets[#sets + 1] = string.format('%.17g', covered)
elseif stored[5] and owner ~= stored[4] then
  dels[#dels + 1] = '_i'
end

if ARGV[${A.previous}] ~= '' then change('_p', ARGV[${A.previous}]) end
if ARGV[${A.next}] ~= '' then change('_n', ARGV[${A.next}]) end

-- Fields to remove join the metadata's in one HDEL, unless there are too many for one call.
local function remove(list, from, to)
  if to - from >= ${SLICE} then
    each('HDEL', key, list, from, to)
  else
    for i = from, to do dels[#dels + 1] = list[i] end
  end
end
local removals = ARGV[${A.removals}]
local first = ${HEAD + 1}
if removals == '-1' then
  local data = {}
  for _, field in ipairs(redis.call('HKEYS', key)) do
    if string.sub(field, 1, 2) == 'd:' then data[#data + 1] = field end
  end
  remove(data, 1, #data)
elseif removals ~= '0' then
  first = ${HEAD + 1} + tonumber(removals)
  remove(ARGV, ${HEAD + 1}, first - 1)
end
if #dels > 0 then redis.call('HDEL', key, unpack(dels)) end
if #ARGV - first >= ${SLICE} then
  each('HSET', key, ARGV, first, #ARGV)
else
  for i = first, #ARGV do sets[#sets + 1] = ARGV[i] end
end
redis.call('HSET', key, unpack(sets))
redis.call('PEXPIREAT', key, due)
return 1`,
);
