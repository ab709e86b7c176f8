import type { CookieJar, CookieValue, LoadedSession } from './backend.js';
import { type CookieAttributes, type SameSite, serializeSetCookie } from './cookie-header.js';
import { isSessionError } from './errors.js';
import type { ResolvedManagerOptions } from './manager-options.js';
import { Session, sessionInternals } from './session.js';
import type { PersistResult, SessionHost, SessionState } from './session-record.js';
import type { RecordMeta, SessionData } from './store.js';

/** Cookie attributes one request may override (a tenant's domain, say). */
export interface CookieOverrides {
  domain?: string;
  path?: string;
  secure?: boolean;
  sameSite?: SameSite;
}

/** What the adapter reads off the request. */
export interface SessionRequest {
  /** The raw `Cookie` header. */
  cookieHeader?: string | null | undefined;
  /** The request's cookies, when the framework already parsed them (takes precedence over the header). */
  cookies?: CookieJar;
  /** Whether the request arrived over HTTPS (for `cookieSecure: 'auto'`). */
  secure?: boolean;
  cookie?: CookieOverrides;
  /**
   * Reads a request header by its lower-case name; needed with the manager's `tokenHeader` option, whose
   * key comes from a header instead of the cookie.
   */
  header?: (name: string) => string | undefined;
  /** This route's policy (read-only, fail-open). */
  policy?: RoutePolicy;
}

/** Per-route behaviour. */
export interface RoutePolicy {
  /** Never write, touch, rotate or delete (polling endpoints); session writes throw. @default false */
  readOnly?: boolean;
  /**
   * When the store is down, serve the request with an empty read-only session instead of failing.
   * Nothing is written. @default false (fail closed)
   */
  failOpen?: boolean;
}

/** What the commit decided, for the adapter to apply before headers go out. */
export interface CommitResult {
  /** Values of `Set-Cookie` headers to append. */
  setCookie: string[];
  /**
   * With the manager's `tokenHeader` option: response headers to set instead of `Set-Cookie` (the key,
   * or an empty value when the client must drop it). Absent with cookies.
   */
  headers?: [name: string, value: string][];
  /** Whether to add `Cookie` (or `varyHeader`) to `Vary`. */
  vary: boolean;
  /** With `tokenHeader`: the request header `vary` stands for, instead of `Cookie`. */
  varyHeader?: string;
  /** What happened, for logs and tests. */
  action: 'none' | 'save' | 'touch' | 'rotate' | 'delete' | 'skipped-5xx' | 'read-only';
}

/** A fresh result each time: adapters may append to `setCookie`. */
const nothing = (): CommitResult => ({ setCookie: [], vary: false, action: 'none' });

/**
 * The session of one request: loads lazily (no I/O until asked) and commits once, following Django's
 * `SessionMiddleware.process_response`.
 */
export class RequestSession<Data extends SessionData = SessionData> {
  readonly #options: ResolvedManagerOptions<Data>;
  readonly #host: SessionHost;
  readonly #jar: CookieJar;
  readonly #request: SessionRequest;
  #loading: Promise<Session<Data>> | undefined;
  #session: Session<Data> | undefined;
  #committed: Promise<CommitResult> | undefined;
  #degraded = false;

  constructor(
    options: ResolvedManagerOptions<Data>,
    host: SessionHost,
    jar: CookieJar,
    request: SessionRequest,
  ) {
    this.#options = options;
    this.#host = host;
    this.#jar = jar;
    this.#request = request;
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
    return this.#jar.get(this.#options.cookieName) !== undefined;
  }

  /** Loads the session once; concurrent calls share the same load. Store failures reject. */
  load(): Promise<Session<Data>> {
    this.#loading ??= this.#load().then((session) => {
      // Loaded after the commit decided: nothing would save it, so writes must fail loudly.
      if (this.#committed) session[sessionInternals].commit();
      this.#session = session;
      return session;
    });
    return this.#loading;
  }

  /**
   * Decides and performs what the response needs: nothing, a save, a touch or a cookie deletion.
   * Runs once; later calls return the same result.
   */
  commit(status: number): Promise<CommitResult> {
    this.#committed ??= this.#commit(status);
    return this.#committed;
  }

  async #load(): Promise<Session<Data>> {
    const options = this.#options;
    const policy = this.#request.policy ?? {};
    const context = { now: options.clock.now(), cookieAge: options.cookieAge };
    let loaded: LoadedSession | null;
    try {
      loaded = await options.backend.load(this.#jar, options.cookieName, context);
    } catch (error) {
      if (!policy.failOpen || !isSessionError(error)) throw error;
      this.#degraded = true;
      return this.#session_(null, true);
    }
    let state: SessionState | null = null;
    if (loaded) {
      // Awaited only when there is something to wait for: each await is a turn of the microtask queue.
      state = options.schema ? await this.#validate(loaded) : this.#stateOf(loaded);
      if (state && loaded.meta.deadline !== undefined && (await this.#pastDeadline(loaded, context.now)))
        state = null;
    }
    if (!loaded && this.hadCookie) this.#host.emit({ type: 'rejected', reason: 'unknown-or-invalid' });
    return this.#session_(state, policy.readOnly === true);
  }

  #session_(state: SessionState | null, readOnly: boolean): Session<Data> {
    const fresh: SessionState = { key: null, data: {}, meta: null, reissue: false };
    return new Session<Data>(this.#host, state ?? fresh, readOnly, this.#jar);
  }

  /** An absolute timeout that has passed ends the session on the server, whatever the store still holds. */
  async #pastDeadline(loaded: LoadedSession, now: number): Promise<boolean> {
    const deadline = loaded.meta.deadline;
    if (deadline === undefined || deadline > now) return false;
    const handle = loaded.key === null ? null : this.#host.handles.of(loaded.key);
    if (loaded.key !== null && !this.#request.policy?.readOnly)
      await this.#options.backend.destroy(loaded.key);
    this.#host.emit({ type: 'expired', handle, reason: 'absolute-timeout' });
    return true;
  }

  #stateOf(loaded: LoadedSession): SessionState {
    return { key: loaded.key, data: loaded.data, meta: loaded.meta, reissue: loaded.reissue === true };
  }

  async #validate(loaded: LoadedSession): Promise<SessionState | null> {
    const state = this.#stateOf(loaded);
    const schema = this.#options.schema;
    if (!schema) return state;
    const result = await schema['~standard'].validate(loaded.data);
    if (!result.issues) return { ...state, data: result.value as SessionData };
    this.#host.emit({ type: 'rejected', reason: 'invalid-data' });
    return null;
  }

  async #commit(status: number): Promise<CommitResult> {
    const result = await this.#decide(status);
    const token = this.#options.tokenHeader;
    if (!token) return result;
    // A server-side backend's only cookie is the key: the same directive goes out as a header.
    const headers = result.setCookie.map((header): [string, string] => {
      const value = header.slice(header.indexOf('=') + 1, header.indexOf(';'));
      return [token.response, value];
    });
    return { ...result, setCookie: [], headers, varyHeader: token.request };
  }

  async #decide(status: number): Promise<CommitResult> {
    const options = this.#options;
    let session = this.#session;
    if (!session && this.#loading) session = await this.#loading;
    // SESSION_SAVE_EVERY_REQUEST saves a session the handler never touched, so it loads it here, as Django's save() does.
    if (!session && options.saveEveryRequest && this.hadCookie) session = await this.load();
    if (!session) return nothing();

    const internals = session[sessionInternals];
    const accessed = session.accessed;
    const pending = internals.pending();
    const empty = session.isEmpty();
    internals.commit();
    if (session.readOnly) return { setCookie: [], vary: accessed, action: 'read-only' };

    if (this.hadCookie && empty) {
      const cleared = options.backend.cookiesToClear(this.#jar, options.cookieName);
      return { setCookie: this.#headers(cleared, null), vary: true, action: 'delete' };
    }
    const record = internals.record;
    const wantsSave = pending.modified || options.saveEveryRequest || record.reissue;
    if (empty || status >= 500) {
      if (!empty && wantsSave) return { setCookie: [], vary: accessed, action: 'skipped-5xx' };
      return accessed ? { setCookie: [], vary: true, action: 'none' } : nothing();
    }
    const now = options.clock.now();
    const policy = options.policy;
    if (policy.rotateInterval !== null && record.key !== null && this.#rotationDue(record.meta, now)) {
      const written = await internals.rotate(policy.rotationGrace);
      if (written) return this.#result(written, accessed, 'rotate');
    }
    if (wantsSave) {
      return this.#result(await internals.persist(), accessed, 'save');
    }
    const seen = record.meta?.lastSeenAt;
    if (policy.touchInterval !== null && seen !== undefined && now - seen >= policy.touchInterval * 1000) {
      return this.#result(await internals.touch(), accessed, 'touch');
    }
    return accessed ? { setCookie: [], vary: true, action: 'none' } : nothing();
  }

  /** A periodic rotation is due when the session's life has entered a new interval since its last write. */
  #rotationDue(meta: RecordMeta | null, now: number): boolean {
    const interval = (this.#options.policy.rotateInterval ?? 0) * 1000;
    if (!meta || interval <= 0) return false;
    const epoch = (at: number) => Math.floor((at - meta.createdAt) / interval);
    return epoch(now) > epoch(meta.lastSeenAt);
  }

  #result(written: PersistResult, vary: boolean, action: CommitResult['action']): CommitResult {
    return { setCookie: this.#headers(written.cookies, written.maxAge, written.now), vary, action };
  }

  #headers(cookies: CookieValue[], maxAge: number | null, now = 0): string[] {
    const options = this.#options;
    const override = this.#request.cookie ?? {};
    const secureSetting = override.secure ?? options.cookieSecure;
    const attributes: CookieAttributes = {
      domain: override.domain ?? options.cookieDomain,
      path: override.path ?? options.cookiePath,
      secure: secureSetting === 'auto' ? this.#request.secure === true : secureSetting,
      httpOnly: options.cookieHttpOnly,
      sameSite: override.sameSite ?? options.cookieSameSite,
      partitioned: options.cookiePartitioned,
      priority: options.cookiePriority,
      maxAge,
      expires: maxAge === null ? null : now + maxAge * 1000,
    };
    return cookies.map((cookie) => serializeSetCookie(cookie.name, cookie.value, attributes));
  }
}
