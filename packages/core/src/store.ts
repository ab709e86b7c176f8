/**
 * The server store contract (layer 1 of DESIGN §5): a key/value contract every server-side engine
 * implements and proves with `@sess/store-test-suite`. Core wraps a store into a session backend.
 */

/** Session data: a plain JSON object. Top-level keys are the unit of delta updates. */
export type SessionData = Record<string, unknown>;

/** Metadata kept beside the data (columns, hash fields or envelope fields), never inside it. */
export interface RecordMeta {
  /** When the session was first created, ms since the epoch. Never changes, also across `cycleKey()`. */
  createdAt: number;
  /** When the session was last saved or touched, ms since the epoch. */
  lastSeenAt: number;
  /** The owner (user id) the session is bound to, when bound. */
  owner?: string;
  /** The absolute deadline (ms since the epoch) no activity extends, when one is set. */
  deadline?: number;
}

/** What a store keeps under one key. */
export interface SessionRecord {
  data: SessionData;
  /** The absolute instant the record expires, ms since the epoch. */
  expiresAt: number;
  meta: RecordMeta;
}

/** The top-level keys a request changed, for stores that write only what changed. */
export interface SessionDelta {
  /** Keys written (with their new values). */
  set: SessionData;
  /** Keys removed. */
  unset: readonly string[];
}

/** One update of an existing record. */
export interface SessionUpdate {
  /** The complete data as the request sees it: what a store without delta support writes whole. */
  data: SessionData;
  /**
   * What changed since load. Absent when the whole record must be replaced (after `clear()`, or when
   * the request did not load the record). A store with `capabilities.delta` applies it so concurrent
   * requests changing different keys both survive; other stores write `data` whole.
   */
  delta?: SessionDelta;
  expiresAt: number;
  meta: RecordMeta;
}

/** Optional abilities a store declares. Missing ones answer with `CapabilityMissing`. */
export interface StoreCapabilities {
  /** `update` applies `delta` per top-level key (no lost updates across keys). */
  delta: boolean;
  /** The store keeps an index by `meta.owner` and offers `owners`. */
  ownerIndex: boolean;
  /** The engine expires records itself, so `clearExpired()` is a no-op. */
  nativeExpiry: boolean;
  /** Granularity of the engine's expiry: memcached and file mtimes are whole seconds. */
  expiryResolution: 'ms' | 's';
  /**
   * The record keeps `meta` (owner, deadline, createdAt) across writes. False for formats that store only
   * data, such as Django's table. @default true
   */
  metadata?: boolean;
  /**
   * Another program (Django) looks records up by the raw session key, so keys cannot be hashed at rest
   * (`hashKeysAtRest` is refused). @default false
   */
  sharedKeys?: boolean;
}

/** A session listed by owner. The key never leaves core: users see an opaque handle derived from it. */
export interface OwnedRecord {
  /** The key the record is stored under (with `hashKeysAtRest`, the hash of the cookie's key). */
  key: string;
  meta: RecordMeta;
  expiresAt: number;
}

/** The owner index: every session bound to a user. */
export interface OwnerIndex {
  /** The live sessions bound to `owner`, oldest first. */
  list(owner: string): Promise<OwnedRecord[]>;
  /** Destroys every session of `owner` except `exceptKey`; returns how many were destroyed. */
  destroyAll(owner: string, exceptKey?: string): Promise<number>;
}

/**
 * A server-side session store. Keys reaching it are already validated by core (32 `[a-z0-9]`),
 * but an engine that maps keys to paths or commands validates again on its own.
 */
export interface SessionStore {
  /** A short name used in error messages, e.g. `@sess/store-redis`. */
  readonly name: string;
  readonly capabilities: StoreCapabilities;
  /** The record, or null when absent or expired. */
  load(key: string): Promise<SessionRecord | null>;
  /** Creates the record atomically; false when the key is taken (the manager retries with a new key). */
  create(key: string, record: SessionRecord): Promise<boolean>;
  /** Updates an existing record; false when it vanished (never re-created). */
  update(key: string, update: SessionUpdate): Promise<boolean>;
  /** Moves the expiry (and `lastSeenAt`) without rewriting data; false when the record vanished. */
  touch(key: string, expiresAt: number, lastSeenAt: number): Promise<boolean>;
  /** Removes the record; a missing record is not an error. */
  destroy(key: string): Promise<void>;
  /** Deletes expired records; returns how many (0 where the engine expires natively). */
  clearExpired(): Promise<number>;
  /** Present exactly when `capabilities.ownerIndex` is true. */
  readonly owners?: OwnerIndex;
  /** Releases what the store itself opened (never the client the user injected). */
  close?(): Promise<void>;
}
