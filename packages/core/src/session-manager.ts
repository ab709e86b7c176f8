import { parseCookieHeader } from './cookie-header.js';
import { CapabilityMissing } from './errors.js';
import {
  type ResolvedManagerOptions,
  resolveManagerOptions,
  type SessionManagerOptions,
} from './manager-options.js';
import { destroyRecordById, recordIdOf } from './record-ids.js';
import { RequestSession, type SessionRequest } from './request-session.js';
import type { SessionEvent } from './session-events.js';
import { createHandleDeriver } from './session-handles.js';
import type { SessionHost } from './session-record.js';
import type { OwnerIndex, SessionData } from './store.js';
import { readToken, tokenJar } from './token-header.js';

/** One of an owner's sessions, as "your sessions" pages show it. Never carries the key. */
export interface OwnedSession {
  /** Opaque handle (an HMAC of the key): pass it back to `revokeSession`. */
  handle: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

/**
 * Django's `SessionMiddleware` with no framework inside. One manager per app; adapters call
 * `open()` per request, `load()` when the handler asks, and `commit()` before headers go out.
 */
export class SessionManager<Data extends SessionData = SessionData> {
  /** The validated options. */
  readonly options: ResolvedManagerOptions<Data>;
  readonly #host: SessionHost;

  constructor(options: SessionManagerOptions<Data>) {
    this.options = resolveManagerOptions(options);
    const { backend, clock, cookieName, cookieAge, expireAtBrowserClose, policy } = this.options;
    const listener = policy.onEvent;
    this.#host = {
      backend,
      clock,
      cookieName,
      cookieAge,
      expireAtBrowserClose,
      policy,
      handles: createHandleDeriver(policy.handleSecret, (key) => recordIdOf(backend, key)),
      emit: listener ? (event: SessionEvent) => listener(event) : () => {},
    };
  }

  /** Starts the session of one request. Does no I/O. */
  open(request: SessionRequest = {}): RequestSession<Data> {
    const { tokenHeader, cookieName } = this.options;
    const jar = tokenHeader
      ? tokenJar(cookieName, readToken(request.header?.(tokenHeader.request.toLowerCase()), tokenHeader))
      : (request.cookies ?? parseCookieHeader(request.cookieHeader));
    return new RequestSession(this.options, this.#host, jar, request);
  }

  /** The live sessions bound to `owner`, oldest first. Throws `CapabilityMissing` without an owner index. */
  async sessionsOf(owner: string): Promise<OwnedSession[]> {
    const records = await this.#owners().list(owner);
    return records.map((record) => ({
      handle: this.#host.handles.ofRecord(record.key),
      createdAt: new Date(record.meta.createdAt),
      lastSeenAt: new Date(record.meta.lastSeenAt),
      expiresAt: new Date(record.expiresAt),
    }));
  }

  /**
   * Destroys every session of `owner` except the one with handle `except` ("log out other devices");
   * returns how many were destroyed.
   */
  async revokeSessions(owner: string, options: { except?: string | null } = {}): Promise<number> {
    const index = this.#owners();
    const except = options.except ?? null;
    const records = await index.list(owner);
    const keep =
      except === null ? undefined : records.find((r) => this.#host.handles.ofRecord(r.key) === except)?.key;
    const count = await index.destroyAll(owner, keep);
    for (const record of records) {
      if (record.key === keep) continue;
      this.#host.emit({
        type: 'destroyed',
        handle: this.#host.handles.ofRecord(record.key),
        owner,
        reason: 'revoked',
      });
    }
    return count;
  }

  /** Destroys the one session of `owner` with this handle; returns whether it existed. */
  async revokeSession(owner: string, handle: string): Promise<boolean> {
    const records = await this.#owners().list(owner);
    const record = records.find((r) => this.#host.handles.ofRecord(r.key) === handle);
    if (!record) return false;
    await destroyRecordById(this.options.backend, record.key);
    this.#host.emit({ type: 'destroyed', handle, owner, reason: 'revoked' });
    return true;
  }

  /** Releases what the backend opened. */
  async close(): Promise<void> {
    await this.options.backend.close?.();
  }

  #owners(): OwnerIndex {
    const index = this.options.backend.owners;
    if (!index) throw new CapabilityMissing(this.options.backend.name, 'an owner index');
    return index;
  }
}

/** Creates a {@link SessionManager}; invalid options throw here, naming the option. */
export function createSessionManager<Data extends SessionData = SessionData>(
  options: SessionManagerOptions<Data>,
): SessionManager<Data> {
  return new SessionManager(options);
}
