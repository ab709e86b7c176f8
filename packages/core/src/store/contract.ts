/**
 * The server store contract (layer 1 of DESIGN §5): a key/value contract every server-side engine
 * implements and proves with `@sess/store-test-suite`. Core wraps a store into a session backend.
 *
 * A store knows records by their *record id*: the session key itself, or a one-way hash of it when keys
 * are hashed at rest (see {@link isRecordId}). Engines never learn which.
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
  /**
   * The session's own lifetime in seconds, when it has one (`setExpiry(seconds)`): a write that does not
   * set the expiry itself moves it to `now + lifetime` (capped at `deadline`). `0` marks a fixed instant
   * that no refresh moves (`setExpiry(date)`, a rotated-out key in its grace period). Absent: the app's
   * default lifetime, which every write carries (`MetaChange.defaultLifetime`).
   */
  lifetime?: number;
  /** The record id of the record this one was rotated from, while that one is in its grace period. */
  previous?: string;
  /** The record id of the record this one was rotated into (set on a rotated-out record). */
  next?: string;
}

/** What a store keeps under one record id. */
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

/** An expiry a request set itself: written as given. */
export interface ExpiryChange {
  /** The new absolute expiry, ms since the epoch. */
  expiresAt: number;
  /**
   * The session's own lifetime from now on, seconds: a number stores it (`0`: a fixed instant), `null`
   * removes it (back to the app's default).
   */
  lifetime: number | null;
}

/**
 * What one write changes besides the data. It carries only what the writing request changed: a field
 * that is absent keeps its stored value, so a concurrent writer holding a stale copy of the record
 * never undoes another request's owner binding or expiry. The conflict rule of each field:
 *
 * - `lastSeenAt` becomes `now` on every write (the last writer wins).
 * - The expiry: with `expiry`, written as given (the request called `setExpiry()`, or replaced the record
 *   whole). Without it, *refreshed from the record as it is now*: `now` plus the record's own
 *   `meta.lifetime` (or, without one, `defaultLifetime`) seconds, capped at `meta.deadline`; a record whose
 *   lifetime is `0` (a fixed instant) keeps its `expiresAt`. See `refreshedExpiry` in `@sess/core/store`.
 * - `owner`: a string binds, `null` unbinds, absent keeps the stored owner (only the request that
 *   cleared an owner clears it).
 * - `deadline`: set only by a request that found none (every request computes the same instant).
 * - `previous` / `next`: rotation links, written only by the rotation that creates them (`null` clears).
 */
export interface MetaChange {
  /** The instant of the write, ms since the epoch: the new `lastSeenAt`, and the base of a refreshed expiry. */
  now: number;
  /** The app's default lifetime (`cookieAge`), seconds: what a refresh slides by when the record has none of its own. */
  defaultLifetime: number;
  expiry?: ExpiryChange;
  owner?: string | null;
  deadline?: number;
  previous?: string | null;
  next?: string | null;
}

/** One update of an existing record: its data (whole, or as per-key changes) and a {@link MetaChange}. */
export interface SessionUpdate {
  /** The complete data as the request sees it: what a store without delta support writes whole. */
  data: SessionData;
  /**
   * What changed since load. Absent when the whole data must be replaced (after `clear()`, or when the
   * request did not load the record). A store with `capabilities.delta` applies it so concurrent requests
   * changing different keys both survive; other stores write `data` whole.
   */
  delta?: SessionDelta;
  meta: MetaChange;
}

/** Optional abilities a store declares. Missing ones answer with `CapabilityMissing`. */
export interface StoreCapabilities {
  /** `update` applies `delta` per top-level key (no lost updates across keys). */
  delta: boolean;
  /** The store keeps an index by `meta.owner` and offers `owners`. */
  ownerIndex: boolean;
  /** The engine expires records itself, so `clearExpired()` is a no-op that returns 0. */
  nativeExpiry: boolean;
  /** Granularity of the engine's expiry: memcached and file mtimes are whole seconds. */
  expiryResolution: 'ms' | 's';
  /**
   * The record keeps `meta` (owner, deadline, lifetime, links) across writes. False for formats that
   * store only data, such as Django's table. @default true
   */
  metadata?: boolean;
  /**
   * Another program (Django) looks records up by the raw session key, so keys cannot be hashed at rest
   * (`hashKeysAtRest` is refused). @default false
   */
  sharedKeys?: boolean;
}

/** A session listed by owner. Its id never leaves core: users see an opaque handle derived from it. */
export interface OwnedRecord {
  /** The record id (with `hashKeysAtRest`, the hash of the cookie's key). */
  id: string;
  meta: RecordMeta;
  expiresAt: number;
}

/** The owner index: every session bound to a user. */
export interface OwnerIndex {
  /** The live sessions bound to `owner`, oldest first. */
  list(owner: string): Promise<OwnedRecord[]>;
  /** Destroys every session of `owner` except the record `exceptId`; returns how many were destroyed. */
  destroyAll(owner: string, exceptId?: string): Promise<number>;
}

/**
 * A server-side session store. Record ids reaching it are already validated by core
 * ({@link isRecordId}), but an engine that maps them to paths or commands validates again on its own.
 */
export interface SessionStore {
  /** A short name used in error messages, e.g. `@sess/store-redis`. */
  readonly name: string;
  readonly capabilities: StoreCapabilities;
  /** The record, or null when absent or expired. */
  load(id: string): Promise<SessionRecord | null>;
  /** Creates the record atomically; false when the id is taken (the manager retries with a new key). */
  create(id: string, record: SessionRecord): Promise<boolean>;
  /**
   * Updates an existing record atomically: data as the update says, metadata by the rules of
   * {@link MetaChange}. False when the record vanished (never re-created).
   */
  update(id: string, update: SessionUpdate): Promise<boolean>;
  /**
   * Applies a {@link MetaChange} without rewriting the data (the stored data bytes stay identical): moves
   * `lastSeenAt` and the expiry (refreshed, or as given) and any link it carries. False when the record vanished.
   */
  touch(id: string, change: MetaChange): Promise<boolean>;
  /**
   * Removes the record and returns its metadata as it was at that instant (read and removed atomically:
   * no write lands in between), or null when there was none. The links it returns let a logout end a
   * whole rotation family.
   */
  destroy(id: string): Promise<RecordMeta | null>;
  /** Deletes expired records; returns how many (0 where the engine expires natively). */
  clearExpired(): Promise<number>;
  /** Present exactly when `capabilities.ownerIndex` is true. */
  readonly owners?: OwnerIndex;
  /** Releases what the store itself opened (never the client the user injected). */
  close?(): Promise<void>;
}
