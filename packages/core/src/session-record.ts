import type { CookieJar, CookieValue, SaveRequest, SessionBackend } from './backend.js';
import type { Clock } from './clock.js';
import { CapabilityMissing, SessionError, SessionInterrupted } from './errors.js';
import type { ResolvedPolicy } from './policy-options.js';
import { destroyRecordById, recordIdOf } from './record-ids.js';
import type { SessionEvent } from './session-events.js';
import type { HandleDeriver } from './session-handles.js';
import type { RecordMeta, SessionData, SessionDelta } from './store.js';

function ownerLimitError(count: number, max: number): SessionError {
  return new SessionError(`[@sess/core] owner already has ${count} sessions (ownerLimit.max ${max})`, {
    code: 'OWNER_LIMIT',
  });
}

/** What a session needs from the manager that opened it. */
export interface SessionHost {
  readonly backend: SessionBackend;
  readonly clock: Clock;
  readonly cookieName: string;
  /** SESSION_COOKIE_AGE, seconds. */
  readonly cookieAge: number;
  /** SESSION_EXPIRE_AT_BROWSER_CLOSE. */
  readonly expireAtBrowserClose: boolean;
  readonly policy: ResolvedPolicy;
  readonly handles: HandleDeriver;
  emit(event: SessionEvent): void;
}

/** How a session starts: loaded from the backend, or new. */
export interface SessionState {
  key: string | null;
  data: SessionData;
  meta: RecordMeta | null;
  reissue: boolean;
}

/** What the session's data says about the next write. */
export interface WriteInput {
  data: SessionData;
  /** Per-key changes, or null to write the record whole. */
  delta: SessionDelta | null;
  /** Seconds until expiry, measured from now (Django's expiry age). */
  age: number;
  /** A browser-session cookie (no Max-Age). */
  browserClose: boolean;
}

/** What a write produced, for the commit to turn into headers. */
export interface PersistResult {
  cookies: CookieValue[];
  /** Max-Age of the cookie in seconds, or null for a browser-session cookie. */
  maxAge: number | null;
  /** When the write happened, ms since the epoch. */
  now: number;
}

/**
 * The record behind a session: its key, metadata and owner, and every operation that writes it
 * (create, update, touch, cycle, rotate, destroy). The `Session` keeps the data; this keeps the rest.
 */
export class SessionRecordState {
  readonly #host: SessionHost;
  #key: string | null;
  #meta: RecordMeta | null;
  #reissue: boolean;
  #owner: string | undefined;
  /** The owner was bound in this request under an `ownerLimit`: count again once the binding is saved. */
  #limitPending = false;

  readonly #jar: CookieJar | undefined;

  constructor(host: SessionHost, state: SessionState, jar?: CookieJar) {
    this.#host = host;
    this.#jar = jar;
    this.#key = state.key;
    this.#meta = state.meta;
    this.#reissue = state.reissue;
    this.#owner = state.meta?.owner;
  }

  get key(): string | null {
    return this.#key;
  }

  /** Whether a record stands behind the session (loaded, or saved during this request). */
  get persisted(): boolean {
    return this.#key !== null || this.#meta !== null;
  }

  get reissue(): boolean {
    return this.#reissue;
  }

  get meta(): RecordMeta | null {
    return this.#meta;
  }

  get owner(): string | undefined {
    return this.#owner;
  }

  /** The opaque handle of the current key, or null without one. */
  get handle(): string | null {
    return this.#key === null ? null : this.#host.handles.of(this.#key);
  }

  /** Writes the record: creates it under a new key when there is none, updates it otherwise. */
  async write(input: WriteInput): Promise<PersistResult> {
    const now = this.#host.clock.now();
    const meta = this.#metaFor(now);
    const { expiresAt, maxAge } = this.#expiry(input, meta, now);
    const request: SaveRequest = { key: this.#key, data: input.data, meta, expiresAt };
    if (input.delta && this.#key !== null) request.delta = input.delta;
    if (this.#jar) request.jar = this.#jar;
    const created = this.#key === null;
    const result = await this.#host.backend.save(request, this.#host.cookieName);
    this.#key = result.key;
    this.#meta = meta;
    this.#reissue = false;
    if (created && this.#host.backend.capabilities.serverSide)
      this.#emit({ type: 'created', handle: this.handle });
    if (this.#limitPending && meta.owner !== undefined) await this.#enforceOwnerLimit(request, now);
    return { cookies: result.cookies, maxAge, now };
  }

  /**
   * The check in `bindOwner` runs before the binding is saved, so logins running at once all pass it.
   * Once this binding is saved, the owner's sessions are counted again, in one order every request
   * computes alike (oldest first): with `'evict-oldest'` the oldest others are evicted; with `'reject'`
   * the newest beyond the cap give way (this session is unbound and its login fails). Concurrent logins
   * then never leave more than `ownerLimit.max` sessions bound.
   */
  async #enforceOwnerLimit(saved: SaveRequest, now: number): Promise<void> {
    this.#limitPending = false;
    const limit = this.#host.policy.ownerLimit;
    const index = this.#host.backend.owners;
    const owner = this.#owner;
    const key = this.#key;
    if (!limit || !index || owner === undefined || key === null) return;
    const listed = await index.list(owner);
    const id = recordIdOf(this.#host.backend, key);
    const mine = listed.find((record) => record.key === id) ?? {
      key: id,
      meta: saved.meta,
      expiresAt: saved.expiresAt,
    };
    const ordered = [mine, ...listed.filter((record) => record !== mine)].sort(
      (a, b) => a.meta.createdAt - b.meta.createdAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
    if (ordered.length <= limit.max) return;
    const others = ordered.filter((record) => record !== mine);
    const evicted =
      limit.onLimit === 'evict-oldest'
        ? others.slice(0, ordered.length - limit.max)
        : ordered.slice(limit.max).filter((record) => record !== mine);
    for (const record of evicted) {
      await destroyRecordById(this.#host.backend, record.key);
      this.#emit({ type: 'destroyed', handle: this.#host.handles.ofRecord(record.key), reason: 'evicted' });
    }
    if (limit.onLimit === 'evict-oldest' || ordered.indexOf(mine) < limit.max) return;
    this.#owner = undefined;
    const meta = this.#metaFor(now);
    const { delta: _delta, ...whole } = saved;
    try {
      await this.#host.backend.save({ ...whole, key, meta }, this.#host.cookieName);
      this.#meta = meta;
    } catch (error) {
      // A concurrent login already evicted this session: refused all the same.
      if (!(error instanceof SessionInterrupted)) throw error;
      this.#key = null;
      this.#meta = null;
    }
    throw ownerLimitError(others.length, limit.max);
  }

  /** Moves the expiry without rewriting data. */
  async touch(input: WriteInput): Promise<PersistResult> {
    const now = this.#host.clock.now();
    const meta = this.#metaFor(now);
    const { expiresAt, maxAge } = this.#expiry(input, meta, now);
    const request: SaveRequest = { key: this.#key, data: input.data, meta, expiresAt };
    if (this.#jar) request.jar = this.#jar;
    const result = await this.#host.backend.touch(request, this.#host.cookieName);
    this.#meta = meta;
    return { cookies: result.cookies, maxAge, now };
  }

  /**
   * Moves the data to a new key. The old record is destroyed at once (`cycleKey`, at login) or, for a
   * periodic rotation, kept `graceSeconds` more so requests already in flight with it still work.
   */
  async cycle(input: WriteInput, graceSeconds = 0): Promise<PersistResult | null> {
    if (!this.#host.backend.capabilities.serverSide) return null;
    const oldKey = this.#key;
    const previousHandle = this.handle;
    this.#key = null;
    let written: PersistResult;
    try {
      written = await this.write({ ...input, delta: null });
    } catch (error) {
      this.#key = oldKey;
      throw error;
    }
    if (oldKey !== null && graceSeconds > 0) {
      const grace = { ...input, age: graceSeconds, browserClose: false };
      const meta = this.#metaFor(written.now);
      await this.#host.backend.touch(
        { key: oldKey, data: grace.data, meta, expiresAt: written.now + graceSeconds * 1000 },
        this.#host.cookieName,
      );
      this.#emit({ type: 'rotated', handle: this.handle, previousHandle });
    } else if (oldKey !== null) {
      await this.#host.backend.destroy(oldKey);
      this.#emit({ type: 'destroyed', handle: previousHandle, reason: 'cycle' });
    }
    return written;
  }

  /** Destroys the record and forgets the key (logout). */
  async destroy(reason: 'flush' | 'evicted' = 'flush'): Promise<void> {
    const key = this.#key;
    const handle = this.handle;
    this.#key = null;
    this.#meta = null;
    this.#reissue = false;
    if (key === null) return;
    await this.#host.backend.destroy(key);
    this.#emit({ type: 'destroyed', handle, reason });
    this.#owner = undefined;
  }

  /**
   * Binds the session to an owner (a user id), saved with the next write. With `ownerLimit`, makes
   * room first (or refuses) as the policy says.
   */
  async bindOwner(owner: string): Promise<void> {
    if (typeof owner !== 'string' || owner.length === 0 || owner.length > 256) {
      throw new TypeError('[@sess/core] setOwner() takes a non-empty string of at most 256 characters');
    }
    if (this.#host.backend.capabilities.metadata === false) {
      throw new CapabilityMissing(this.#host.backend.name, 'session owners (it keeps no session metadata)');
    }
    const limit = this.#host.policy.ownerLimit;
    if (limit) {
      const index = this.#host.backend.owners;
      if (!index) throw new CapabilityMissing(this.#host.backend.name, 'an owner index (ownerLimit)');
      const id = this.#key === null ? null : recordIdOf(this.#host.backend, this.#key);
      const others = (await index.list(owner)).filter((record) => record.key !== id);
      const excess = others.length - limit.max + 1;
      if (excess > 0 && limit.onLimit === 'reject') throw ownerLimitError(others.length, limit.max);
      for (const record of others.slice(0, Math.max(0, excess))) {
        await destroyRecordById(this.#host.backend, record.key);
        this.#emit({ type: 'destroyed', handle: this.#host.handles.ofRecord(record.key), reason: 'evicted' });
      }
    }
    this.#owner = owner;
    this.#limitPending = limit !== null;
  }

  #metaFor(now: number): RecordMeta {
    const previous = this.#meta;
    const meta: RecordMeta = previous
      ? { ...previous, lastSeenAt: now }
      : { createdAt: now, lastSeenAt: now };
    if (this.#owner === undefined) delete meta.owner;
    else meta.owner = this.#owner;
    const absolute = this.#host.policy.absoluteTimeout;
    if (absolute !== null && meta.deadline === undefined) meta.deadline = meta.createdAt + absolute * 1000;
    return meta;
  }

  /** The record's expiry and the cookie's Max-Age, both capped by an absolute deadline. */
  #expiry(input: WriteInput, meta: RecordMeta, now: number): { expiresAt: number; maxAge: number | null } {
    let expiresAt = now + input.age * 1000;
    let maxAge: number | null = input.browserClose ? null : input.age;
    if (meta.deadline !== undefined && meta.deadline < expiresAt) {
      expiresAt = meta.deadline;
      if (maxAge !== null) maxAge = Math.max(0, Math.floor((meta.deadline - now) / 1000));
    }
    return { expiresAt, maxAge };
  }

  #emit(event: SessionEvent): void {
    const owner = this.#owner;
    this.#host.emit(owner === undefined || 'owner' in event ? event : ({ ...event, owner } as SessionEvent));
  }
}
