import { SessionNotLoaded } from '../errors.js';
import type { CommitResult } from '../request/commit-result.js';
import type { RequestSession } from '../request/request-session.js';
import type { SessionData } from '../store/contract.js';
import type { CompatIdioms } from './compat-members.js';
import { type CompatHost, type CompatSession, compatSession } from './compat-session.js';
import { applyCommit, type HeaderSink } from './response-headers.js';

/** How the binding reaches the response, for a commit it runs itself (`manuallyCommit()`). */
export interface ResponseAccess {
  /** The status the response will have. */
  status(): number;
  /** The response's headers. */
  readonly headers: HeaderSink;
}

type Shown = 'unloaded' | 'loaded' | 'removed' | 'destroyed';

/**
 * One request's session as an adapter shows it: lazy loading behind `getSession()`, the synchronous
 * `session` property (which refuses to answer before the load, naming the way out), `session = null` /
 * `= {…}`, the compatible session object, failures of the session's store calls, and the commit into the
 * response's headers. Everything an adapter would otherwise decide, decided once.
 */
export class RequestBinding<Data extends SessionData = SessionData> implements CompatHost<Data> {
  #current: CompatSession<Data> | undefined;
  #shown: Shown = 'unloaded';
  #loading: Promise<CompatSession<Data>> | undefined;
  #replacement: SessionData | undefined;
  #storeFailed = false;
  #committed: Promise<CommitResult | null> | undefined;
  #onReplace: ((next: CompatSession<Data>) => void) | undefined;
  /** The commit's headers were written into the response (once, whoever asked first). */
  #applied = false;

  constructor(
    readonly request: RequestSession<Data>,
    readonly idioms: CompatIdioms,
    readonly response: ResponseAccess,
  ) {}

  /**
   * Loads the session once (no store I/O before) and returns the compatible session: the one the request
   * shows now (after express-session's `regenerate()`, the new object).
   */
  getSession(): Promise<CompatSession<Data>> {
    const current = this.#current;
    if (current && this.#shown === 'loaded') return Promise.resolve(current);
    this.#loading ??= this.request.load().then(
      (session) => {
        this.#current ??= compatSession(session, this);
        if (this.#shown === 'unloaded') this.#shown = 'loaded';
        return this.#current;
      },
      (error: unknown) => {
        this.#storeFailed = true;
        throw error;
      },
    );
    return this.#loading;
  }

  /** Whether `getSession()` was called (or the session loaded eagerly). */
  get requested(): boolean {
    return this.#loading !== undefined;
  }

  /**
   * What the synchronous `session` property shows: the session once loaded; null after `session = null`;
   * undefined after express-session's `destroy()`. Before the load it throws `SessionNotLoaded`.
   */
  read(): CompatSession<Data> | null | undefined {
    switch (this.#shown) {
      case 'loaded':
        return this.#current;
      case 'removed':
        return null;
      case 'destroyed':
        return undefined;
      default:
        throw new SessionNotLoaded(this.idioms.source, this.idioms.property);
    }
  }

  /**
   * `session = null` (or undefined) ends the session with the response, as koa-session and
   * express-session's `unset: 'destroy'` do; `session = {…}` replaces its data.
   */
  assign(value: unknown): void {
    this.request.assertWritable('assign');
    if (value === null || value === undefined) {
      this.#shown = 'removed';
      this.#replacement = undefined;
      return;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new TypeError(
        `[${this.idioms.source}] ${this.idioms.property} can only be set to null or an object`,
      );
    }
    const data = { ...(value as SessionData) };
    const session = this.#current;
    if (session && this.#shown === 'loaded') {
      session.clear();
      session.update(data as Partial<Data>);
      return;
    }
    this.#replacement = data;
    this.#shown = 'loaded';
    void this.getSession().then(
      (loaded) => this.#applyReplacement(loaded),
      () => {},
    );
  }

  /** The session's id (express-session's `req.sessionID`): its key, reserved for a new session. */
  get id(): string | null {
    return this.request.id;
  }

  /**
   * Commits before the response's headers go, writing its headers into `headers`. Undefined when the
   * request can need no commit (nothing loaded, nothing assigned): the response may go at once.
   */
  commitBeforeHeaders(status: number, headers: HeaderSink): Promise<void> | undefined {
    if (!this.#mayCommit()) {
      this.#settle(status);
      return undefined;
    }
    return this.commit(status).then((result) => this.#apply(result, headers));
  }

  /** Commits once (later calls share the result); null when a store call failed and nothing must be sent. */
  commit(status: number): Promise<CommitResult | null> {
    this.#committed ??= this.#commit(status);
    return this.#committed;
  }

  // ── CompatHost ────────────────────────────────────────────────────────

  replace(next: CompatSession<Data>): void {
    this.#current = next;
    this.#onReplace?.(next);
  }

  /**
   * Calls `listener` with each new session object the request shows from now on (after express-session's
   * `regenerate()`): for frameworks whose per-request values are not getters (Hono's variables).
   */
  onReplace(listener: (next: CompatSession<Data>) => void): void {
    this.#onReplace = listener;
  }

  destroyed(): void {
    if (this.idioms.regenerate === 'new-session') this.#shown = 'destroyed';
  }

  failed(): void {
    this.#storeFailed = true;
  }

  async commitNow(): Promise<void> {
    this.#apply(await this.commit(this.response.status()), this.response.headers);
  }

  // ── commit ────────────────────────────────────────────────────────────

  #mayCommit(): boolean {
    const request = this.request;
    return (
      this.#loading !== undefined ||
      this.#shown === 'removed' ||
      (request.hadCookie && request.savesEveryRequest)
    );
  }

  /** Closes the session without committing: later writes throw instead of being lost. */
  #settle(status: number): void {
    this.#committed ??= this.request.commit(status).then(
      () => null,
      () => null,
    );
  }

  #commit(status: number): Promise<CommitResult | null> {
    // The common case hands the request's own commit back as it is: no extra promise to wait through.
    if (this.#storeFailed || this.#shown === 'removed' || this.#replacement !== undefined)
      return this.#commitAfterChanges(status);
    return this.request.commit(status);
  }

  /** The commit after a failed store call, `session = null` or `session = {…}`. */
  async #commitAfterChanges(status: number): Promise<CommitResult | null> {
    if (this.#storeFailed) {
      await this.request.commit(status).catch(() => {});
      return null;
    }
    try {
      if (this.#shown === 'removed') {
        const session = await this.getSession();
        await session.flush();
      } else if (this.#replacement !== undefined) {
        this.#applyReplacement(await this.getSession());
      }
    } catch (error) {
      this.#storeFailed = true;
      await this.request.commit(status).catch(() => {});
      throw error;
    }
    return this.request.commit(status);
  }

  /** Writes the commit's headers into the response once: `manuallyCommit()` and the middleware both ask. */
  #apply(result: CommitResult | null, headers: HeaderSink): void {
    if (!result || this.#applied) return;
    this.#applied = true;
    applyCommit(result, headers);
  }

  #applyReplacement(session: CompatSession<Data>): void {
    const data = this.#replacement;
    if (data === undefined) return;
    this.#replacement = undefined;
    session.clear();
    session.update(data as Partial<Data>);
  }
}
