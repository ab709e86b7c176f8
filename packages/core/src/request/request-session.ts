import { isSessionError, SessionAlreadyCommitted, SessionError, SessionInterrupted } from '../errors.js';
import type { CookieAttributeSettings } from '../manager/cookie-options.js';
import { Session } from '../session/session.js';
import { isEmptyDelta, SessionContents } from '../session/session-contents.js';
import type { CookieJar, OpenedSession } from '../store/backend-contract.js';
import type { SessionData } from '../store/contract.js';
import { generateSessionKey } from '../store/session-key.js';
import { decideCommit } from './commit-decision.js';
import { type CommitResult, type CookieOverrides, outcome } from './commit-result.js';
import { runCommitStep } from './commit-steps.js';
import type { ManagerCore } from './manager-core.js';
import { accept, reread } from './record-load.js';
import { bindOwner, cycle, flush, newRecordState, persist, type RecordState } from './record-writes.js';
import type { SessionRequest } from './session-request.js';

/** What stands in for the request's cookies and loaded record once a commit has let them go. */
const LET_GO: OpenedSession = Object.freeze({ key: null, record: null });
const NO_COOKIE: CookieJar = Object.freeze({ get: () => undefined, names: () => [] });
const HAD_COOKIE: CookieJar = Object.freeze({ get: () => '', names: () => [] });

export class RequestSession<Data extends SessionData = SessionData> {
  readonly #core: ManagerCore;
  #jar: CookieJar;
  readonly #request: SessionRequest;
  #loading: Promise<Session<Data>> | undefined;
  #session: Session<Data> | undefined;
  #contents: SessionContents | undefined;
  #committed: Promise<CommitResult> | undefined;
  /** Set once the commit has started: from then on writes would be lost, so they throw. */
  #closed = false;
  #degraded = false;
  #readOnly = false;
  /** The record as this request knows it. */
  readonly #record: RecordState = newRecordState();
  /** This response's overrides of the cookie attributes. */
  #cookie: CookieOverrides | undefined;
  /** `touch()` was called: refresh the expiry at commit even if nothing changed. */
  #touchWanted = false;
  /** After the commit: whether a record was found, kept once the loaded record is let go. */
  #wasFound: boolean | undefined;

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
    const data = await reread(this.#core, this.#record, this.#readOnly);
    if (data === null) throw new SessionInterrupted();
    this.#contentsOf().restore(data);
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
    return this.#record.key;
  }

  /**
   * The session's id as express-session and koa-session show it: the key, or — for a new server-side
   * session — the key it will be created under (reserved when first asked). Null for the cookie engine.
   */
  get id(): string | null {
    if (this.#record.key !== null) return this.#record.key;
    if (!this.#core.backend.capabilities.serverSide) return null;
    this.#record.reserved ??= generateSessionKey();
    return this.#record.reserved;
  }

  /** The opaque handle of the current key, or null without one. */
  get handle(): string | null {
    return this.#record.key === null ? null : this.#core.handles.of(this.#record.key);
  }

  /** The owner the session is bound to, if any. */
  get owner(): string | undefined {
    return this.#record.owner;
  }

  /** True on a read-only route (and when degraded): writes throw. */
  get readOnly(): boolean {
    return this.#readOnly;
  }

  /** Whether a record stands behind the session (loaded, or saved during this request). */
  get persisted(): boolean {
    return this.#record.key !== null || this.#record.meta !== null;
  }

  /** Whether the session was written during this request (an explicit save, a new key). */
  get saved(): boolean {
    return this.#record.owed !== null;
  }

  /** Whether the session was found (loaded from a record) rather than started empty. */
  get found(): boolean {
    return this.#wasFound ?? this.#record.opened.record !== null;
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
    const options = { delta: undefined, now: this.now(), final: false };
    this.#record.owed = await persist(this.#core, this.#record, this.#contentsOf(), options);
  }

  /** `Session.cycleKey()`: the data under a new key; the old record (and its rotation family) ends at once. */
  async cycleKey(): Promise<void> {
    this.assertWritable('cycleKey');
    const contents = this.#contentsOf();
    contents.accessed = true;
    if (this.#core.backend.cycle) await cycle(this.#core, this.#record, contents, this.now(), 0);
    contents.replaceAll(contents.data);
  }

  /** `Session.flush()`: deletes the data and the record at once; the cookie is deleted at commit. */
  async flush(): Promise<void> {
    this.assertWritable('flush');
    this.#contentsOf().replaceAll();
    await flush(this.#core, this.#record);
  }

  /** `Session.setOwner()`: binds the session to `owner`, saved with the next write. */
  async setOwner(owner: string): Promise<void> {
    this.assertWritable('setOwner');
    await bindOwner(this.#core, this.#record, owner);
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
    // Synchronous unless a schema validates or a deadline has passed: no extra turn for the common case.
    let accepted = accept(core, this.#record, opened, this.#readOnly);
    if (typeof accepted !== 'boolean') accepted = await accepted;
    if (accepted) {
      return this.#start((opened.record as { data: SessionData }).data);
    }
    // Kept for the writes: a backend may hold request state in it (the cookie engine's chunk cookies).
    this.#record.opened = opened.record === null ? opened : { ...opened, record: null };
    if (!opened.record && this.hadCookie) core.emit({ type: 'rejected', reason: 'unknown-or-invalid' });
    return this.#start({});
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
    const now = core.clock.now();
    const step = decideCommit(core, {
      status,
      empty: session.isEmpty(),
      hadCookie: this.hadCookie,
      changed: contents.modified || delta === undefined || !isEmptyDelta(delta),
      reissue: this.#record.reissue,
      touch: this.#touchWanted,
      owed: this.#record.owed !== null,
      meta: this.#record.meta,
      hasKey: this.#record.key !== null,
      now,
    });
    const result = await runCommitStep(step, {
      core,
      record: this.#record,
      contents,
      delta,
      now,
      accessed,
      cookie: { secure: this.#request.secure, cookie: this.#cookie },
    });
    this.#letGo();
    return result;
  }

  /**
   * After a commit of a loaded session nothing reads the record as loaded or the request's cookies again
   * (every write throws), so they are let go: the request object may live on (Express keeps each request
   * until a full collection), and the session's data stays readable without them.
   */
  #letGo(): void {
    const hadCookie = this.hadCookie;
    this.#jar = hadCookie ? HAD_COOKIE : NO_COOKIE;
    this.#wasFound = this.#record.opened.record !== null;
    this.#record.opened = LET_GO;
  }
}
