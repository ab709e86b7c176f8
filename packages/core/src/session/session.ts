import type { RequestSession } from '../request/request-session.js';
import type { SessionData } from '../store/contract.js';
import {
  EXPIRY_KEY,
  expiresAtBrowserClose,
  expiryAge,
  expiryDate,
  type StoredExpiry,
  toPythonIsoFormat,
} from './expiry.js';
import type { SessionContents } from './session-contents.js';

/** Django's test-cookie name and value. */
export const TEST_COOKIE_NAME = 'testcookie';
export const TEST_COOKIE_VALUE = 'worked';

/** Options of `getExpiryAge` / `getExpiryDate`, as Django's keyword arguments. */
export interface ExpiryQuery {
  /** The instant to measure from, ms since the epoch or a Date. @default now */
  modification?: number | Date;
  /** Use this stored expiry instead of the session's own (no data access). */
  expiry?: number | string | Date | null;
}

type Key<Data> = Extract<keyof Data, string>;

/**
 * The session of one request: dict-like, typed, with Django's `accessed` and `modified` flags and
 * expiry rules. It is the data view of a {@link RequestSession}, which owns the record and the commit;
 * handlers get it from `await ctx.getSession()` / `await req.getSession()`.
 */
export class Session<Data extends SessionData = SessionData> {
  readonly #request: RequestSession<Data>;
  readonly #contents: SessionContents;

  /** Made by the request it belongs to. */
  constructor(request: RequestSession<Data>, contents: SessionContents) {
    this.#request = request;
    this.#contents = contents;
  }

  /** True once any data method ran (drives `Vary: Cookie`). */
  get accessed(): boolean {
    return this.#contents.accessed;
  }
  set accessed(value: boolean) {
    this.#contents.accessed = value;
  }

  /** True once data changed; set it yourself to force a save. */
  get modified(): boolean {
    return this.#contents.modified;
  }
  set modified(value: boolean) {
    this.#contents.modified = value;
  }

  /** The session key, or null before the first save (and after `flush()`). Never log or display it. */
  get key(): string | null {
    return this.#request.key;
  }

  /** An opaque handle for the key (an HMAC of it), safe to show in "your sessions" lists; null without a key. */
  get handle(): string | null {
    return this.#request.handle;
  }

  /** The owner (user id) the session is bound to, if any. */
  get owner(): string | undefined {
    return this.#request.owner;
  }

  /**
   * True when the store was down and the route is fail-open (`policy: { failOpen: true }`): the session is
   * empty and read-only, so the handler can say so instead of showing a logged-out page as if nothing happened.
   */
  get degraded(): boolean {
    return this.#request.degraded;
  }

  /** True on a read-only route (and in fail-open mode): every write throws. */
  get readOnly(): boolean {
    return this.#request.readOnly;
  }

  /** The value of `key`, or `fallback` (default undefined). Reading never marks the session modified. */
  get<K extends Key<Data>>(key: K): Data[K] | undefined;
  get<K extends Key<Data>>(key: K, fallback: NonNullable<Data[K]>): NonNullable<Data[K]>;
  get(key: string, fallback?: unknown): unknown {
    const data = this.#read();
    if (!(key in data)) return fallback;
    const value = data[key];
    this.#contents.handOut(key, value);
    return value;
  }

  /** Stores `value` under `key`. */
  set<K extends Key<Data>>(key: K, value: Data[K]): this {
    this.#write('set')[key] = value;
    this.#contents.written(key);
    return this;
  }

  has(key: Key<Data>): boolean {
    return key in this.#read();
  }

  /** Removes `key`; returns whether it was there (only then is the session modified). */
  delete(key: Key<Data>): boolean {
    const data = this.#write('delete');
    if (!(key in data)) return false;
    delete data[key];
    this.#contents.removed(key);
    return true;
  }

  /** Removes `key` and returns its value, or `fallback` when absent. */
  pop<K extends Key<Data>>(key: K): Data[K] | undefined;
  pop<K extends Key<Data>>(key: K, fallback: NonNullable<Data[K]>): NonNullable<Data[K]>;
  pop(key: string, fallback?: unknown): unknown {
    const data = this.#write('pop');
    if (!(key in data)) return fallback;
    const value = data[key];
    delete data[key];
    this.#contents.removed(key);
    return value;
  }

  /** The value of `key`; when absent, stores `value` first (only then is the session modified). */
  setDefault<K extends Key<Data>>(key: K, value: Data[K]): Data[K] {
    if (key in this.#read()) return this.get(key) as Data[K];
    this.set(key, value);
    return value;
  }

  /** Stores every entry of `values`; always marks the session modified, as Django does. */
  update(values: Partial<Data>): this {
    const data = this.#write('update');
    for (const key of Object.keys(values)) {
      data[key] = (values as SessionData)[key];
      this.#contents.written(key);
    }
    this.#contents.modified = true;
    return this;
  }

  /** Removes all data without loading anything; the record is written whole at commit. */
  clear(): void {
    this.#request.assertWritable('clear');
    this.#contents.replaceAll();
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
      this.#contents.handOut(key, data[key]);
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
    return !this.#request.persisted && Object.keys(this.#contents.data).length === 0;
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
    const key = EXPIRY_KEY as Key<Data>;
    if (value === null) {
      this.delete(key);
      return;
    }
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new TypeError('[@sess/core] setExpiry(): invalid Date');
      this.set(key, toPythonIsoFormat(value) as Data[Key<Data>]);
      return;
    }
    if (!Number.isInteger(value)) {
      throw new TypeError(`[@sess/core] setExpiry() takes whole seconds, a Date or null, received ${value}`);
    }
    this.set(key, value as Data[Key<Data>]);
  }

  /** Django's `get_expiry_age`: seconds until the session expires, measured from `modification`. */
  getExpiryAge(query: ExpiryQuery = {}): number {
    return expiryAge(this.#expiry(query), this.#modification(query), this.#request.cookieAge);
  }

  /** Django's `get_expiry_date`. */
  getExpiryDate(query: ExpiryQuery = {}): Date {
    return new Date(expiryDate(this.#expiry(query), this.#modification(query), this.#request.cookieAge));
  }

  /** Django's `get_expire_at_browser_close`. */
  getExpireAtBrowserClose(): boolean {
    return expiresAtBrowserClose(
      this.get(EXPIRY_KEY as Key<Data>) as StoredExpiry,
      this.#request.expireAtBrowserClose,
    );
  }

  // ── lifecycle ───────────────────────────────────────────────────────────

  /**
   * Keeps the data under a new key and deletes the old record at once (call it at login, against
   * session fixation). The new cookie is sent at commit.
   */
  cycleKey(): Promise<void> {
    return this.#request.cycleKey();
  }

  /** Deletes the data and the record at once (call it at logout); the cookie is deleted at commit. */
  flush(): Promise<void> {
    return this.#request.flush();
  }

  /**
   * Binds the session to an owner (a user id), usually at login right after `cycleKey()`; saved at
   * commit. The manager can then list and revoke the owner's sessions. With the `ownerLimit` option,
   * the oldest sessions are evicted (or the binding refused) first.
   */
  setOwner(owner: string): Promise<void> {
    return this.#request.setOwner(owner);
  }

  /**
   * Writes the session to the store now (Django's `save()`, express-session's; Passport calls it at
   * login). A new session gets its key, and its cookie goes out with the response; the commit writes
   * again only if something changes afterwards.
   */
  save(): Promise<void> {
    return this.#request.save();
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

  #expiry(query: ExpiryQuery): StoredExpiry {
    if ('expiry' in query) {
      const expiry = query.expiry;
      return expiry instanceof Date ? toPythonIsoFormat(expiry) : expiry;
    }
    return this.get(EXPIRY_KEY as Key<Data>) as StoredExpiry;
  }

  #modification(query: ExpiryQuery): number {
    const at = query.modification;
    if (at === undefined) return this.#request.now();
    return at instanceof Date ? at.getTime() : at;
  }

  #read(): SessionData {
    this.#contents.accessed = true;
    return this.#contents.data;
  }

  #write(operation: string): SessionData {
    this.#request.assertWritable(operation);
    return this.#read();
  }
}
