import type { CookieJar } from './backend.js';
import { ChangeTracker } from './change-tracker.js';
import { SessionAlreadyCommitted, SessionError } from './errors.js';
import {
  EXPIRY_KEY,
  expiresAtBrowserClose,
  expiryAge,
  expiryDate,
  type StoredExpiry,
  toPythonIsoFormat,
} from './expiry.js';
import {
  type PersistResult,
  type SessionHost,
  SessionRecordState,
  type SessionState,
  type WriteInput,
} from './session-record.js';
import type { SessionData, SessionDelta } from './store.js';

/** Django's test-cookie name and value. */
export const TEST_COOKIE_NAME = 'testcookie';
export const TEST_COOKIE_VALUE = 'worked';

/** What the manager reads at commit time. */
export interface PendingChanges {
  modified: boolean;
  /** Per-key changes; null when the record must be written whole. */
  delta: SessionDelta | null;
}

/** Options of `getExpiryAge` / `getExpiryDate`, as Django's keyword arguments. */
export interface ExpiryQuery {
  /** The instant to measure from, ms since the epoch or a Date. @default now */
  modification?: number | Date;
  /** Use this stored expiry instead of the session's own (no data access). */
  expiry?: number | string | Date | null;
}

/** Internal door for the manager; not part of the public API. */
export const sessionInternals = Symbol('sess.session.internals');

type Key<Data> = Extract<keyof Data, string>;

/** What the manager reaches through {@link sessionInternals}. */
interface SessionInternals {
  pending(): PendingChanges;
  readonly record: SessionRecordState;
  persist(): Promise<PersistResult>;
  touch(): Promise<PersistResult>;
  rotate(graceSeconds: number): Promise<PersistResult | null>;
  commit(): void;
}

/**
 * The session of one request: dict-like, typed, with Django's `accessed` and `modified` flags and
 * expiry rules. Created by the manager; handlers get it from `await ctx.getSession()`.
 */
export class Session<Data extends SessionData = SessionData> {
  /** True once any data method ran (drives `Vary: Cookie`). */
  accessed = false;
  /** True once data changed; set it yourself to force a save. */
  modified = false;

  readonly #host: SessionHost;
  readonly #record: SessionRecordState;
  readonly #tracker = new ChangeTracker();
  readonly #readOnly: boolean;
  #data: SessionData;
  #committed = false;
  #internals: SessionInternals | undefined;

  /** `jar`: the cookies of the request the session belongs to, handed to the backend with each save. */
  constructor(host: SessionHost, state: SessionState, readOnly = false, jar?: CookieJar) {
    this.#host = host;
    this.#record = new SessionRecordState(host, state, jar);
    this.#data = Object.assign(Object.create(null), state.data);
    this.#readOnly = readOnly;
  }

  /** The session key, or null before the first save (and after `flush()`). Never log or display it. */
  get key(): string | null {
    return this.#record.key;
  }

  /** An opaque handle for the key (an HMAC of it), safe to show in "your sessions" lists; null without a key. */
  get handle(): string | null {
    return this.#record.handle;
  }

  /** The owner (user id) the session is bound to, if any. */
  get owner(): string | undefined {
    return this.#record.owner;
  }

  /** True on a read-only route (and in fail-open mode): every write throws. */
  get readOnly(): boolean {
    return this.#readOnly;
  }

  /** The value of `key`, or `fallback` (default undefined). Reading never marks the session modified. */
  get<K extends Key<Data>>(key: K): Data[K] | undefined;
  get<K extends Key<Data>>(key: K, fallback: NonNullable<Data[K]>): NonNullable<Data[K]>;
  get(key: string, fallback?: unknown): unknown {
    const data = this.#read();
    if (!(key in data)) return fallback;
    const value = data[key];
    this.#tracker.handOut(key, value);
    return value;
  }

  /** Stores `value` under `key`. */
  set<K extends Key<Data>>(key: K, value: Data[K]): this {
    this.#write()[key] = value;
    this.#tracker.written(key);
    this.modified = true;
    return this;
  }

  has(key: Key<Data>): boolean {
    return key in this.#read();
  }

  /** Removes `key`; returns whether it was there (only then is the session modified). */
  delete(key: Key<Data>): boolean {
    const data = this.#write();
    if (!(key in data)) return false;
    delete data[key];
    this.#tracker.removed(key);
    this.modified = true;
    return true;
  }

  /** Removes `key` and returns its value, or `fallback` when absent. */
  pop<K extends Key<Data>>(key: K): Data[K] | undefined;
  pop<K extends Key<Data>>(key: K, fallback: NonNullable<Data[K]>): NonNullable<Data[K]>;
  pop(key: string, fallback?: unknown): unknown {
    const data = this.#write();
    if (!(key in data)) return fallback;
    const value = data[key];
    delete data[key];
    this.#tracker.removed(key);
    this.modified = true;
    return value;
  }

  /** The value of `key`; when absent, stores `value` first (only then is the session modified). */
  setDefault<K extends Key<Data>>(key: K, value: Data[K]): Data[K] {
    const data = this.#read();
    if (key in data) return this.get(key) as Data[K];
    this.set(key, value);
    return value;
  }

  /** Stores every entry of `values`; always marks the session modified, as Django does. */
  update(values: Partial<Data>): this {
    const data = this.#write();
    for (const key of Object.keys(values)) {
      data[key] = (values as SessionData)[key];
      this.#tracker.written(key);
    }
    this.modified = true;
    return this;
  }

  /** Removes all data without loading anything; the record is written whole at commit. */
  clear(): void {
    this.#assertOpen('clear');
    this.#data = Object.create(null);
    this.#tracker.replacedAll();
    this.accessed = true;
    this.modified = true;
  }

  keys(): Key<Data>[] {
    return Object.keys(this.#read()) as Key<Data>[];
  }

  values(): Data[Key<Data>][] {
    return this.entries().map(([, value]) => value);
  }

  entries(): [Key<Data>, Data[Key<Data>]][] {
    const data = this.#read();
    return Object.keys(data).map((key) => {
      this.#tracker.handOut(key, data[key]);
      return [key, data[key]] as [Key<Data>, Data[Key<Data>]];
    });
  }

  /** How many top-level keys the data has. */
  get size(): number {
    return Object.keys(this.#read()).length;
  }

  /**
   * Django's `is_empty()`: no key and no data. A loaded session with no data is not empty; a flushed
   * one is. Use `size === 0` for "has no data".
   */
  isEmpty(): boolean {
    return !this.#record.persisted && Object.keys(this.#data).length === 0;
  }

  /** A deep, plain copy of the data: changing it changes neither the session nor what is saved. */
  toJSON(): Data {
    return structuredClone({ ...this.#read() }) as Data;
  }

  // ── expiry ──────────────────────────────────────────────────────────────

  /**
   * Django's `set_expiry`: seconds of inactivity (`> 0`), `0` for a browser-session cookie, a `Date`
   * for a fixed instant, or `null` to go back to the global policy.
   */
  setExpiry(value: number | Date | null): void {
    if (value === null) {
      this.delete(EXPIRY_KEY as Key<Data>);
      return;
    }
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new TypeError('[@sess/core] setExpiry(): invalid Date');
      this.set(EXPIRY_KEY as Key<Data>, toPythonIsoFormat(value) as Data[Key<Data>]);
      return;
    }
    if (!Number.isInteger(value)) {
      throw new TypeError(`[@sess/core] setExpiry() takes whole seconds, a Date or null, received ${value}`);
    }
    this.set(EXPIRY_KEY as Key<Data>, value as Data[Key<Data>]);
  }

  /** Django's `get_expiry_age`: seconds until the session expires, measured from `modification`. */
  getExpiryAge(query: ExpiryQuery = {}): number {
    return expiryAge(this.#expiry(query), this.#modification(query), this.#host.cookieAge);
  }

  /** Django's `get_expiry_date`. */
  getExpiryDate(query: ExpiryQuery = {}): Date {
    return new Date(expiryDate(this.#expiry(query), this.#modification(query), this.#host.cookieAge));
  }

  /** Django's `get_expire_at_browser_close`. */
  getExpireAtBrowserClose(): boolean {
    return expiresAtBrowserClose(
      this.get(EXPIRY_KEY as Key<Data>) as StoredExpiry,
      this.#host.expireAtBrowserClose,
    );
  }

  // ── lifecycle ───────────────────────────────────────────────────────────

  /**
   * Keeps the data under a new key and deletes the old record at once (call it at login, against
   * session fixation). The new cookie is sent at commit.
   */
  async cycleKey(): Promise<void> {
    this.#assertOpen('cycleKey');
    this.accessed = true;
    await this.#record.cycle(this.#writeInput());
    this.#tracker.replacedAll();
    this.modified = true;
  }

  /** Deletes the data and the record at once (call it at logout); the cookie is deleted at commit. */
  async flush(): Promise<void> {
    this.#assertOpen('flush');
    this.clear();
    await this.#record.destroy();
  }

  /**
   * Binds the session to an owner (a user id), usually at login right after `cycleKey()`; saved at
   * commit. The manager can then list and revoke the owner's sessions. With the `ownerLimit` option,
   * the oldest sessions are evicted (or the binding refused) first.
   */
  async setOwner(owner: string): Promise<void> {
    this.#assertOpen('setOwner');
    await this.#record.bindOwner(owner);
    this.modified = true;
  }

  // ── test cookie ─────────────────────────────────────────────────────────

  setTestCookie(): void {
    this.set(TEST_COOKIE_NAME as Key<Data>, TEST_COOKIE_VALUE as Data[Key<Data>]);
  }

  testCookieWorked(): boolean {
    return this.get(TEST_COOKIE_NAME as Key<Data>) === TEST_COOKIE_VALUE;
  }

  deleteTestCookie(): void {
    this.delete(TEST_COOKIE_NAME as Key<Data>);
  }

  // ── internals for the manager ───────────────────────────────────────────

  /**
   * Writes the session to the store now (express-session's `save()`; Passport calls it at login).
   * The cookie still goes out at commit, which saves again if anything changes afterwards.
   */
  async save(): Promise<void> {
    this.#assertOpen('save');
    await this.#persist();
  }

  /** @internal */
  get [sessionInternals]() {
    // Built once per session: the commit reads it on every request.
    this.#internals ??= {
      pending: (): PendingChanges => this.#pending(),
      record: this.#record,
      persist: (): Promise<PersistResult> => this.#persist(),
      touch: (): Promise<PersistResult> => this.#record.touch(this.#writeInput()),
      rotate: (graceSeconds: number): Promise<PersistResult | null> =>
        this.#record.cycle(this.#writeInput(), graceSeconds),
      commit: (): void => {
        this.#committed = true;
      },
    };
    return this.#internals;
  }

  async #persist(): Promise<PersistResult> {
    const written = await this.#record.write(this.#writeInput());
    this.#tracker.reset();
    return written;
  }

  #writeInput(): WriteInput {
    const now = this.#host.clock.now();
    const pending = this.#pending();
    return {
      data: this.#data,
      delta: pending.delta,
      age: this.getExpiryAge({ modification: now }),
      browserClose: this.getExpireAtBrowserClose(),
    };
  }

  #pending(): PendingChanges {
    if (this.#tracker.replaced) return { modified: true, delta: null };
    const delta = this.#tracker.delta(this.#data);
    const modified = this.modified || delta !== null;
    return { modified, delta: delta ?? { set: Object.create(null), unset: [] } };
  }

  #expiry(query: ExpiryQuery): StoredExpiry {
    if ('expiry' in query) {
      const expiry = query.expiry;
      return expiry instanceof Date ? toPythonIsoFormat(expiry) : expiry;
    }
    return this.get(EXPIRY_KEY as Key<Data>) as StoredExpiry;
  }

  #modification(query: ExpiryQuery): number {
    const at = query.modification;
    if (at === undefined) return this.#host.clock.now();
    return at instanceof Date ? at.getTime() : at;
  }

  #read(): SessionData {
    this.accessed = true;
    return this.#data;
  }

  #write(): SessionData {
    this.#assertOpen('set');
    return this.#read();
  }

  #assertOpen(operation: string): void {
    if (this.#committed) throw new SessionAlreadyCommitted(operation);
    if (this.#readOnly) {
      throw new SessionError(
        `[@sess/core] session.${operation}() on a read-only route: nothing would be saved`,
        {
          code: 'READ_ONLY',
        },
      );
    }
  }
}
