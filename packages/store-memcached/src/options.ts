import { SessionConfigError } from '@sess/core';
import { declareOptions, HASHED_ID_LENGTH, type OptionsInput, option } from '@sess/core/store';
import { isMemcachedLike, MEMCACHED_METHODS, type MemcachedLike } from './memcached-like.js';

/** The package name, used as the store's name and in every error message. */
export const STORE_NAME = '@sess/store-memcached';

/** memcached's limit on the length of a key, in bytes. */
export const MAX_KEY_BYTES = 250;

/**
 * The longest record id the store is given: a hashed id (`hashKeysAtRest`) has 40 characters, a key 32.
 * The prefix is checked against the longer one, so switching hashing on never makes a key too long.
 */
export const LONGEST_RECORD_ID = HASHED_ID_LENGTH;

/** Printable ASCII without space: what the memcached text protocol accepts in a key. */
export const KEY_CHARS = /^[\x21-\x7e]*$/;

/** The options of {@link createMemcachedStore}, declared once: checks, defaults, docs and the type. */
export const MEMCACHED_STORE_OPTIONS = declareOptions(
  STORE_NAME,
  {
    /**
     * Put before every record id (`<prefix><id>`), to share servers with other data. Printable ASCII
     * without spaces, and short enough that the client's `namespace`, the prefix and a 40-character
     * record id (a hashed key) fit memcached's 250-byte key limit.
     */
    prefix: option.custom<string>({
      default: 'sess:',
      expected: 'a string of printable ASCII characters without spaces',
      check: (value, invalid) => (typeof value === 'string' && KEY_CHARS.test(value) ? value : invalid()),
    }),
    /**
     * Bound on each call to the client. The `memcached` client can leave a callback pending forever (a
     * frozen server, a socket dropped with requests in flight), so the store enforces its own deadline and
     * reports `STORE_TIMEOUT`. Keep it at or below the manager's `storeTimeoutMs`.
     */
    operationTimeoutMs: option.milliseconds({ default: 1000 }),
    /**
     * How many `gets`/`cas` rounds an update, touch or destroy tries when concurrent writes keep changing
     * the item before it gives up with an error. A lost round is followed by a random pause that grows
     * with each loss (at most 200 ms), so the writers of a busy session take turns.
     */
    casAttempts: option.integer({ default: 20, min: 1 }),
    /**
     * The largest value (the JSON envelope) the store sends; a bigger session fails with a
     * `SessionStoreError` before any I/O. memcached refuses items over its `-I` limit (1 MiB by default)
     * with SERVER_ERROR, which the client answers by closing the connection and marking the whole server
     * unavailable for `retry` ms, so the store checks first. Raise it with the server's `-I`.
     */
    maxValueBytes: option.integer({ default: 1_000_000, min: 1, unit: 'bytes' }),
  },
  {
    timeout:
      "use `operationTimeoutMs` (the bound on each call, in ms; the client's own `timeout` only bounds connecting)",
    namespace: 'set `namespace` on the memcached client, or use `prefix`',
    ttl: 'lifetimes come from the session manager (`cookieAge`, `session.setExpiry()`)',
    hosts: 'pass a memcached client (`new Memcached(hosts, recommendedClientOptions)`) as the first argument',
  },
);

/** Options of {@link createMemcachedStore}. */
export type MemcachedStoreOptions = OptionsInput<typeof MEMCACHED_STORE_OPTIONS.specs>;

/** Options after validation and defaults. */
export type ResolvedMemcachedStoreOptions = ReturnType<typeof MEMCACHED_STORE_OPTIONS.resolve>;

/**
 * Validates the client and the options (naming the offending one) and fills in the defaults. The prefix
 * is checked with the client's namespace: together with the longest record id they must fit a key.
 */
export function resolveMemcachedStoreOptions(
  client: unknown,
  input: MemcachedStoreOptions | undefined,
): ResolvedMemcachedStoreOptions {
  if (!isMemcachedLike(client)) {
    throw new SessionConfigError(
      STORE_NAME,
      'client',
      `a memcached client (with ${MEMCACHED_METHODS.join(', ')})`,
      client,
    );
  }
  const resolved = MEMCACHED_STORE_OPTIONS.resolve(input === undefined ? {} : input);
  const namespace = namespaceOf(client);
  const room = MAX_KEY_BYTES - namespace.length - LONGEST_RECORD_ID;
  if (resolved.prefix.length > room) {
    throw new SessionConfigError(
      STORE_NAME,
      'prefix',
      `at most ${room} characters (with the client's namespace, it and a ${LONGEST_RECORD_ID}-character record id must fit memcached's ${MAX_KEY_BYTES}-byte key limit)`,
      resolved.prefix,
    );
  }
  return resolved;
}

/** The client's `namespace` (validated like a prefix), or '' when it has none. */
function namespaceOf(client: MemcachedLike): string {
  const namespace = client.namespace ?? '';
  if (typeof namespace !== 'string' || !KEY_CHARS.test(namespace)) {
    throw new SessionConfigError(
      STORE_NAME,
      'client',
      'a memcached client whose `namespace` is printable ASCII without spaces',
      namespace,
    );
  }
  return namespace;
}
