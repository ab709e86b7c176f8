/** The Node-style callback of the `memcached` client. */
export type MemcachedCallback<T> = (error: unknown, result: T) => void;

/**
 * The part of a `memcached` (3rd-Eden/memcached) client the store uses, typed structurally so the
 * package never imports the driver: a `new Memcached(servers, options)` satisfies it. Values are
 * always strings, so the client's own JSON/number/Buffer flags never come into play.
 */
export interface MemcachedLike {
  /** `gets`: `{ [key]: value, cas }`, or `undefined` on a miss. */
  gets(key: string, callback: MemcachedCallback<unknown>): void;
  /** `add`: stores only when the key is free; NOT_STORED is an error with `notStored: true`. */
  add(key: string, value: string, lifetime: number, callback: MemcachedCallback<boolean>): void;
  /**
   * `cas`: stores only when the item is unchanged since `gets`; `false` on EXISTS and NOT_FOUND alike.
   * A negative lifetime stores the item already expired: memcached removes it at once.
   */
  cas(key: string, value: string, cas: string, lifetime: number, callback: MemcachedCallback<boolean>): void;
  /** The client's `namespace` option: it prefixes every key, so it counts towards the 250-byte limit. */
  readonly namespace?: string;
}

const METHODS = ['gets', 'add', 'cas'] as const;

/** True for an object with the methods of {@link MemcachedLike}. */
export function isMemcachedLike(value: unknown): value is MemcachedLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    METHODS.every((method) => typeof (value as Record<string, unknown>)[method] === 'function')
  );
}

/** The method list, for error messages. */
export const MEMCACHED_METHODS: readonly string[] = METHODS;
