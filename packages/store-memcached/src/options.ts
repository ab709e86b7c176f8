import { SessionConfigError } from '@sess/core';
import { isMemcachedLike, MEMCACHED_METHODS, type MemcachedLike } from './memcached-like.js';

/** The package name, used as the store's name and in every error message. */
export const STORE_NAME = '@sess/store-memcached';

/** memcached's limit on the length of a key, in bytes. */
export const MAX_KEY_BYTES = 250;

/** The length of the keys core issues. */
const SESSION_KEY_LENGTH = 32;

/** Options of {@link createMemcachedStore}. */
export interface MemcachedStoreOptions {
  /**
   * Put before every session key (`<prefix><key>`), to share servers with other data. Printable ASCII
   * without spaces, and short enough that the client's `namespace`, the prefix and a 32-character key
   * fit memcached's 250-byte key limit.
   * @default 'sess:'
   */
  prefix?: string;
  /**
   * Bound on each call to the client, in milliseconds. The `memcached` client can leave a callback
   * pending forever (a frozen server, a socket dropped with requests in flight), so the store enforces
   * its own deadline and reports `STORE_TIMEOUT`. Keep it at or below the manager's `storeTimeoutMs`.
   * @default 1000
   */
  operationTimeoutMs?: number;
  /**
   * How many `gets`/`cas` rounds an update or touch tries when concurrent writes keep changing the item
   * before it gives up with an error. A lost round is followed by a random pause that grows with each
   * loss (at most 200 ms), so the writers of a busy session take turns.
   * @default 20
   */
  casAttempts?: number;
  /**
   * The largest value (the JSON envelope, in bytes) the store sends; a bigger session fails with a
   * `SessionStoreError` before any I/O. memcached refuses items over its `-I` limit (1 MiB by default)
   * with SERVER_ERROR, which the client answers by closing the connection and marking the whole server
   * unavailable for `retry` ms, so the store checks first. Raise it with the server's `-I`.
   * @default 1000000
   */
  maxValueBytes?: number;
}

/** Options after validation and defaults. */
export interface ResolvedMemcachedStoreOptions {
  prefix: string;
  operationTimeoutMs: number;
  casAttempts: number;
  maxValueBytes: number;
  /** The longest session key that still fits memcached's key limit after the prefixes. */
  maxKeyBytes: number;
}

const KNOWN = new Set(['prefix', 'operationTimeoutMs', 'casAttempts', 'maxValueBytes']);

/** Printable ASCII without space: what the memcached text protocol accepts in a key. */
export const KEY_CHARS = /^[\x21-\x7e]*$/;

function fail(option: string, expected: string, received: unknown): never {
  throw new SessionConfigError(STORE_NAME, option, expected, received);
}

function positiveInteger(options: Record<string, unknown>, name: string, fallback: number): number {
  const value = options[name] === undefined ? fallback : options[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    fail(name, 'a positive whole number', value);
  }
  return value;
}

/** Validates the client and options (naming the offending one) and fills in the defaults. */
export function resolveMemcachedStoreOptions(
  client: unknown,
  input: MemcachedStoreOptions | undefined,
): ResolvedMemcachedStoreOptions {
  if (!isMemcachedLike(client)) {
    fail('client', `a memcached client (with ${MEMCACHED_METHODS.join(', ')})`, client);
  }
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    fail('options', 'an object', input);
  }
  const options = (input ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(options)) {
    if (!KNOWN.has(name)) fail(name, `a known option (${[...KNOWN].join(', ')})`, options[name]);
  }

  const namespace = namespaceOf(client);
  const prefix = options.prefix === undefined ? 'sess:' : options.prefix;
  if (typeof prefix !== 'string' || !KEY_CHARS.test(prefix)) {
    fail('prefix', 'a string of printable ASCII characters without spaces', prefix);
  }
  const maxKeyBytes = MAX_KEY_BYTES - namespace.length - prefix.length;
  if (maxKeyBytes < SESSION_KEY_LENGTH) {
    fail(
      'prefix',
      `at most ${MAX_KEY_BYTES - namespace.length - SESSION_KEY_LENGTH} characters (with the client's namespace, it and a ${SESSION_KEY_LENGTH}-character key must fit memcached's ${MAX_KEY_BYTES}-byte key limit)`,
      prefix,
    );
  }

  return {
    prefix,
    operationTimeoutMs: positiveInteger(options, 'operationTimeoutMs', 1000),
    casAttempts: positiveInteger(options, 'casAttempts', 20),
    maxValueBytes: positiveInteger(options, 'maxValueBytes', 1_000_000),
    maxKeyBytes,
  };
}

/** The client's `namespace` (validated like a prefix), or '' when it has none. */
function namespaceOf(client: MemcachedLike): string {
  const namespace = client.namespace ?? '';
  if (typeof namespace !== 'string' || !KEY_CHARS.test(namespace)) {
    fail('client', 'a memcached client whose `namespace` is printable ASCII without spaces', namespace);
  }
  return namespace;
}
