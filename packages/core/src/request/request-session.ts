import {
  CapabilityMissing,
  isSessionError,
  SessionAlreadyCommitted,
  SessionError,
  SessionInterrupted,
} from '../errors.js';
import type { CookieAttributeSettings } from '../manager/cookie-options.js';
import type { SessionEvent } from '../manager/session-events.js';
import { Session } from '../session/session.js';
import { isEmptyDelta, SessionContents } from '../session/session-contents.js';
import type { CookieJar, CookieValue, OpenedSession } from '../store/backend-contract.js';
import type { RecordMeta, SessionData, SessionDelta } from '../store/contract.js';
import { generateSessionKey } from '../store/session-key.js';
import { decideCommit } from './commit-decision.js';
import {
  type CommitAction,
  type CommitResult,
  type CookieOverrides,
  cookieOutcome,
  outcome,
} from './commit-result.js';
import type { ManagerCore } from './manager-core.js';
import { makeRoomForOwner, ownerLimitError, settleOwnerLimit } from './owner-limit.js';
import { planWrite, type RecordView } from './record-write.js';
import type { SessionRequest } from './session-request.js';

/** The cookies one write produced, and the lifetime they carry. */
interface Written {
  cookies: CookieValue[];
  /** Max-Age in seconds, or null for a browser-session cookie. */
  maxAge: number | null;
  now: number;
}

const NOT_LOADED: OpenedSession = Object.freeze({ key: null, record: null });

/**
 * The session of one request, from load to commit: it loads lazily (no I/O until asked), owns the record
 * (key, metadata, owner) and every write of it, and commits once, following Django's
 * `SessionMiddleware.process_response`. Its {@link Session} is the data view handlers use.
 */
export class RequestSession<Data extends SessionData = SessionData> {
  readonly #core: ManagerCore;
  readonly #jar: CookieJar;
  readonly #request: SessionRequest;
  #loading: Promise<Session<Data>> | undefined;
  #session: Session<Data> | undefined;
  #contents: SessionContents | undefined;
  #committed: Promise<CommitResult> | undefined;
  /** Set once the commit has started: from then on writes would be lost, so they throw. */
  #closed = false;
  #degraded = false;
  #readOnly = false;
  // The record as this request knows it.
  #opened: OpenedSession = NOT_LOADED;
  #key: string | null = null;
  #meta: RecordMeta | null = null;
  #reissue = false;
  #owner: string | undefined;
  #ownerChanged = false;
  #limitPending = false;
  /** The cookie of a write made before the commit (an explicit `save()`), still to be sent. */
  #owed: Written | null = null;
  /** The key a new session will be created under, once its id was asked for. */
  #reserved: string | undefined;
  /** This response's overrides of the cookie attributes. */
  #cookie: CookieOverrides | undefined;
  /** `touch()` was called: refresh the expiry at commit even if nothing changed. */
  #touchWanted = false;

  /** Made by `SessionManager.open()`. */
  constructor(core: ManagerCore, jar: CookieJar, request: SessionRequest) {
    this.#core = core;
    this.#jar = jar;
    this.#request = request;
    this.#cookie = request.cookie;
  }

  /** The session cookie's attributes for this response: the manager's settings with this request's overrides. */
  cookieSettings(): CookieAttributeSettings {
    const settings = this.#core.cookie;
    const override = this.#cookie;
    if (!override) return settings;
    return {
      ...settings,
      domain: override.domain ?? settings.domain,
      path: override.path ?? settings.path,
      secure: override.secure ?? settings.secure,
      httpOnly: override.httpOnly ?? settings.httpOnly,
      sameSite: override.sameSite ?? settings.sameSite,
    };
  }

  /** Overrides attributes of this response's session cookie (express-session's `req.session.cookie.secure = …`). */
  overrideCookie(overrides: CookieOverrides): void {
    this.#cookie = { ...this.#cookie, ...overrides };
  }

  /** Refresh the expiry (and re-send the cookie) at commit even when nothing changed (express-session's `touch()`). */
  touch(): void {
    this.assertWritable('touch');
    this.#touchWanted = true;
  }

  /** The session once loaded, else undefined. */
  get session(): Session<Data> | undefined {
    return this.#session;
  }

  /** True when the store was down and the route is fail-open: the session is empty and read-only. */
  get degraded(): boolean {
    return this.#degraded;
  }

  /** Whether the request carried the session cookie. */
  get hadCookie(): boolean {
    return this.#jar.get(this.#core.cookieName) !== undefined;
  }

  /** Loads the session once; concurrent calls share the same load. Store failures reject. */
  load(): Promise<Session<Data>> {
    this.#loading ??= this.#load();
    return this.#loading;
  }

  /**
   * Reads the stored session again through the same rules as a load (schema, absolute deadline),
   * dropping unsaved changes (express-session's `reload()`). Fails with `SessionInterrupted` when the
   * record is gone, or was never saved.
   */
  async reload(): Promise<void> {
    await this.load();
    this.assertWritable('reload');
    const key = this.#key;
    const backend = this.#core.backend;
    if (!backend.capabilities.serverSide) {
      if (this.#meta === null) throw new SessionInterrupted();
      this.#contentsOf().restore(this.#opened.record?.data ?? {});
      return;
    }
    if (key === null) throw new SessionInterrupted();
    const name = this.#core.cookieName;
    const opened = await backend.open({ get: (n) => (n === name ? key : undefined), names: () => [name] });
    if (!(await this.#adopt(opened))) throw new SessionInterrupted();
    this.#contentsOf().restore(opened.record?.data ?? {});
  }

  /**
   * Decides and performs what the response needs: nothing, a save, a touch or a cookie deletion.
   * Runs once; later calls return the same result.
   */
  commit(status: number): Promise<CommitResult> {
    this.#committed ??= this.#commit(status);
    return this.#committed;
  }

  // ── what the session's methods call ───────────────────────────────────

  /** The session key, or null before the first save. */
  get key(): string | null {
    return this.#key;
  }

  /**
   * The session's id as express-session and koa-session show it: the key, or — for a new server-side
   * session — the key it will be created under (reserved when first asked). Null for the cookie engine.
   */
  get id(): string | null {
    if (this.#key !== null) return this.#key;
    if (!this.#core.backend.capabilities.serverSide) return null;
    this.#reserved ??= generateSessionKey();
    return this.#reserved;
  }

  /** The opaque handle of the current key, or null without one. */
  get handle(): string | null {
    return this.#key === null ? null : this.#core.handles.of(this.#key);
  }

  /** The owner the session is bound to, if any. */
  get owner(): string | undefined {
    return this.#owner;
  }

  /** True on a read-only route (and when degraded): writes throw. */
  get readOnly(): boolean {
    return this.#readOnly;
  }

  /** Whether a record stands behind the session (loaded, or saved during this request). */
  get persisted(): boolean {
    return this.#key !== null || this.#meta !== null;
  }

  /** Whether the session was written during this request (an explicit save, a new key). */
  get saved(): boolean {
    return this.#owed !== null;
  }

  /** Whether the session was found (loaded from a record) rather than started empty. */
  get found(): boolean {
    return this.#opened.record !== null;
  }

  /** SESSION_SAVE_EVERY_REQUEST: the commit loads and saves a session the handler never asked for. */
  get savesEveryRequest(): boolean {
    return this.#core.saveEveryRequest;
  }

  /** SESSION_COOKIE_AGE, seconds. */
  get cookieAge(): number {
    return this.#core.cookieAge;
  }

  /** SESSION_EXPIRE_AT_BROWSER_CLOSE. */
  get expireAtBrowserClose(): boolean {
    return this.#core.expireAtBrowserClose;
  }

  /** The manager's clock, ms since the epoch. */
  now(): number {
    return this.#core.clock.now();
  }

  /** Throws when a write could not be saved: after the commit, or on a read-only route. */
  assertWritable(operation: string): void {
    if (this.#closed) throw new SessionAlreadyCommitted(operation);
    if (this.#readOnly) {
      throw new SessionError(
        `[@sess/core] session.${operation}() on a read-only route: nothing would be saved`,
        { code: 'READ_ONLY' },
      );
    }
  }

  /** `Session.save()`: writes the record now; a new session gets its key and its cookie goes out at commit. */
  async save(): Promise<void> {
    this.assertWritable('save');
    this.#owed = await this.#persist(undefined);
  }

  /** `Session.cycleKey()`: the data under a new key; the old record (and its rotation family) ends at once. */
  async cycleKey(): Promise<void> {
    this.assertWritable('cycleKey');
    const contents = this.#contentsOf();
    contents.accessed = true;
    const cycle = this.#core.backend.cycle;
    if (cycle) {
      const previousHandle = this.handle;
      const planned = planWrite(this.#core, this.#view(), contents, { whole: true, now: this.now() });
      const result = await cycle.call(this.#core.backend, this.#opened, planned.write, 0);
      this.#key = result.key;
      this.#meta = planned.write.record.meta;
      this.#ownerChanged = false;
      this.#emit({ type: 'created', handle: this.handle });
      if (previousHandle !== null) this.#emit({ type: 'destroyed', handle: previousHandle, reason: 'cycle' });
    }
    contents.replaceAll(contents.data);
  }

  /** `Session.flush()`: deletes the data and the record at once; the cookie is deleted at commit. */
  async flush(): Promise<void> {
    this.assertWritable('flush');
    this.#contentsOf().replaceAll();
    const key = this.#key;
    const handle = this.handle;
    this.#key = null;
    this.#meta = null;
    this.#reissue = false;
    this.#owed = null;
    this.#reserved = undefined;
    if (key !== null) {
      await this.#core.backend.destroy(key);
      this.#emit({ type: 'destroyed', handle, reason: 'flush' });
    }
    this.#owner = undefined;
    this.#ownerChanged = false;
  }

  /** `Session.setOwner()`: binds the session to `owner`, saved with the next write. */
  async setOwner(owner: string): Promise<void> {
    this.assertWritable('setOwner');
    if (typeof owner !== 'string' || owner.length === 0 || owner.length > 256) {
      throw new TypeError('[@sess/core] setOwner() takes a non-empty string of at most 256 characters');
    }
    const backend = this.#core.backend;
    if (!backend.capabilities.metadata) {
      throw new CapabilityMissing(backend.name, 'session owners (it keeps no session metadata)');
    }
    await makeRoomForOwner(this.#core, owner, this.#key === null ? null : backend.recordId(this.#key));
    this.#owner = owner;
    this.#ownerChanged = true;
    this.#limitPending = this.#core.policy.ownerLimit !== null;
    this.#contentsOf().modified = true;
  }

  // ── load ──────────────────────────────────────────────────────────────

  async #load(): Promise<Session<Data>> {
    const core = this.#core;
    const policy = this.#request.policy;
    this.#readOnly = policy?.readOnly === true;
    let opened: OpenedSession;
    try {
      opened = await core.backend.open(this.#jar);
    } catch (error) {
      if (!policy?.failOpen || !isSessionError(error)) throw error;
      this.#degraded = true;
      this.#readOnly = true;
      return this.#start({});
    }
    if (await this.#adopt(opened)) return this.#start((opened.record as { data: SessionData }).data);
    // Kept for the writes: a backend may hold request state in it (the cookie engine's chunk cookies).
    this.#opened = opened.record === null ? opened : { ...opened, record: null };
    if (!opened.record && this.hadCookie) core.emit({ type: 'rejected', reason: 'unknown-or-invalid' });
    return this.#start({});
  }

  /** Takes what the backend opened as the request's record, unless it fails the schema or its deadline. */
  async #adopt(opened: OpenedSession): Promise<boolean> {
    const record = opened.record;
    if (!record) return false;
    const core = this.#core;
    if (core.schema) {
      const result = await core.schema['~standard'].validate(record.data);
      if (result.issues) {
        core.emit({ type: 'rejected', reason: 'invalid-data' });
        return false;
      }
      record.data = result.value as SessionData;
    }
    const deadline = record.meta.deadline;
    if (deadline !== undefined && deadline <= core.clock.now()) {
      // An absolute timeout that has passed ends the session on the server, whatever the store still holds.
      const handle = opened.key === null ? null : core.handles.of(opened.key);
      if (opened.key !== null && !this.#readOnly) await core.backend.destroy(opened.key);
      core.emit({ type: 'expired', handle, reason: 'absolute-timeout' });
      return false;
    }
    this.#opened = opened;
    this.#key = opened.key;
    this.#meta = record.meta;
    this.#reissue = opened.reissue === true;
    this.#owner = record.meta.owner;
    this.#ownerChanged = false;
    return true;
  }

  #start(data: SessionData): Session<Data> {
    const contents = new SessionContents(data);
    this.#contents = contents;
    const session = new Session<Data>(this, contents);
    this.#session = session;
    // Loaded after the commit decided: nothing would save it, so writes must fail loudly.
    if (this.#committed) this.#closed = true;
    return session;
  }

  #contentsOf(): SessionContents {
    const contents = this.#contents;
    if (!contents) throw new TypeError('[@sess/core] the session is not loaded: await getSession() first');
    return contents;
  }

  // ── commit ────────────────────────────────────────────────────────────

  async #commit(status: number): Promise<CommitResult> {
    const core = this.#core;
    if (!this.#session && this.#loading) await this.#loading;
    // SESSION_SAVE_EVERY_REQUEST saves a session the handler never touched, so it loads it here, as Django's save() does.
    if (!this.#session && core.saveEveryRequest && this.hadCookie) await this.load();
    const session = this.#session;
    const contents = this.#contents;
    this.#closed = true;
    if (!session || !contents) return outcome(core, 'none', false);

    const accessed = contents.accessed;
    if (this.#readOnly) return outcome(core, 'read-only', accessed);
    const delta = contents.delta();
    const step = decideCommit(core, {
      status,
      empty: session.isEmpty(),
      hadCookie: this.hadCookie,
      changed: contents.modified || delta === undefined || !isEmptyDelta(delta),
      reissue: this.#reissue,
      touch: this.#touchWanted,
      owed: this.#owed !== null,
      meta: this.#meta,
      hasKey: this.#key !== null,
      now: core.clock.now(),
    });
    switch (step) {
      case 'delete':
        return cookieOutcome(
          core,
          { secure: this.#request.secure, cookie: this.#cookie },
          'delete',
          true,
          core.backend.clear(this.#opened),
          {
            maxAge: null,
            now: 0,
          },
        );
      case 'rotate':
        return this.#result('rotate', accessed, await this.#rotate());
      case 'save':
        return this.#result('save', accessed, await this.#persist(delta));
      case 'resend':
        return this.#result('save', accessed, this.#owed as Written);
      case 'touch':
        return this.#result('touch', accessed, await this.#touch());
      default:
        return outcome(core, step, accessed);
    }
  }

  #result(action: CommitAction, vary: boolean, written: Written): CommitResult {
    const request = { secure: this.#request.secure, cookie: this.#cookie };
    return cookieOutcome(this.#core, request, action, vary, written.cookies, written);
  }

  // ── writes ────────────────────────────────────────────────────────────

  #view(): RecordView {
    return { key: this.#key, meta: this.#meta, owner: this.#owner, ownerChanged: this.#ownerChanged };
  }

  /** Creates the record under a new key, or updates it: data and the metadata this request changed. */
  async #persist(delta: SessionDelta | undefined): Promise<Written> {
    const core = this.#core;
    const contents = this.#contentsOf();
    const created = this.#key === null;
    const planned = planWrite(core, this.#view(), contents, { whole: false, now: core.clock.now(), delta });
    if (created && this.#reserved !== undefined) planned.write.preferredKey = this.#reserved;
    const result = await core.backend.save(this.#opened, planned.write);
    this.#key = result.key;
    this.#meta = planned.write.record.meta;
    this.#ownerChanged = false;
    this.#reissue = false;
    contents.reset();
    if (created && core.backend.capabilities.serverSide) this.#emit({ type: 'created', handle: this.handle });
    if (this.#limitPending)
      await this.#settleOwner(planned.write.record.meta, planned.write.record.expiresAt);
    return { cookies: result.cookies, maxAge: planned.maxAge, now: planned.now };
  }

  /** Moves the expiry (refreshed from the record as stored) without rewriting data. */
  async #touch(): Promise<Written> {
    const core = this.#core;
    const planned = planWrite(core, this.#view(), this.#contentsOf(), {
      whole: false,
      now: core.clock.now(),
    });
    delete planned.write.change.expiry;
    const result = await core.backend.touch(this.#opened, planned.write);
    this.#meta = planned.write.record.meta;
    return { cookies: result.cookies, maxAge: planned.maxAge, now: planned.now };
  }

  /** A periodic rotation: the data under a new key, the old key kept `rotationGrace` seconds. */
  async #rotate(): Promise<Written> {
    const core = this.#core;
    const cycle = core.backend.cycle as NonNullable<typeof core.backend.cycle>;
    const previousHandle = this.handle;
    const planned = planWrite(core, this.#view(), this.#contentsOf(), { whole: true, now: core.clock.now() });
    const result = await cycle.call(core.backend, this.#opened, planned.write, core.policy.rotationGrace);
    this.#key = result.key;
    this.#meta = planned.write.record.meta;
    this.#emit({ type: 'rotated', handle: this.handle, previousHandle });
    return { cookies: result.cookies, maxAge: planned.maxAge, now: planned.now };
  }

  /** Counts the owner's sessions again once this binding is saved; refuses the login when it must give way. */
  async #settleOwner(meta: RecordMeta, expiresAt: number): Promise<void> {
    this.#limitPending = false;
    const core = this.#core;
    const owner = this.#owner;
    const key = this.#key;
    if (owner === undefined || key === null) return;
    const id = core.backend.recordId(key);
    const others = await settleOwnerLimit(core, owner, { id, meta, expiresAt });
    if (others === null) return;
    // This session gives way: it stays, unbound, and the login fails.
    this.#owner = undefined;
    this.#ownerChanged = true;
    try {
      const planned = planWrite(core, this.#view(), this.#contentsOf(), {
        whole: false,
        now: core.clock.now(),
      });
      await core.backend.touch(this.#opened, planned.write);
      this.#meta = planned.write.record.meta;
      this.#ownerChanged = false;
    } catch (error) {
      // A concurrent login already evicted this session: refused all the same.
      if (!(error instanceof SessionInterrupted)) throw error;
      this.#key = null;
      this.#meta = null;
    }
    throw ownerLimitError(others, core.policy.ownerLimit?.max ?? 0);
  }

  #emit(event: SessionEvent): void {
    const core = this.#core;
    if (!core.listening) return;
    const owner = this.#owner;
    core.emit(owner === undefined || 'owner' in event ? event : ({ ...event, owner } as SessionEvent));
  }
}
