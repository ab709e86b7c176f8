import { parseCookieHeader } from '../cookie-header.js';
import { CapabilityMissing } from '../errors.js';
import type { ManagerCore } from '../request/manager-core.js';
import { RequestSession } from '../request/request-session.js';
import type { SessionRequest } from '../request/session-request.js';
import type { StandardSchemaLike } from '../standard-schema.js';
import type { OwnedRecord, OwnerIndex, SessionData } from '../store/contract.js';
import {
  type ResolvedManagerOptions,
  resolveManagerOptions,
  type SessionManagerOptions,
} from './manager-options.js';
import { buildBackend, checkManagerRules } from './manager-rules.js';
import { createHandleDeriver, eventHandles } from './session-handles.js';
import { readToken, tokenJar } from './token-header.js';

/** One of an owner's sessions, as "your sessions" pages show it. Never carries the key. */
export interface OwnedSession {
  /** Opaque handle (an HMAC of the record id): pass it back to `revokeSession`. */
  handle: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

const silent = (): void => {};

/**
 * Django's `SessionMiddleware` with no framework inside. One manager per app; adapters call `open()` per
 * request, `load()` when the handler asks, and `commit()` before headers go out.
 */
export class SessionManager<Data extends SessionData = SessionData> {
  /** The validated options. */
  readonly options: ResolvedManagerOptions;
  readonly #core: ManagerCore;

  constructor(options: SessionManagerOptions<Data>) {
    const resolved = resolveManagerOptions(options);
    this.options = resolved;
    const backend = buildBackend(resolved);
    checkManagerRules(resolved, backend);
    const listener = resolved.onEvent;
    const listening = listener !== undefined;
    const handles = createHandleDeriver(resolved.handleSecret, (key) => backend.recordId(key));
    this.#core = {
      backend,
      clock: resolved.clock,
      cookieName: resolved.cookieName,
      cookieAge: resolved.cookieAge,
      cookie: {
        domain: resolved.cookieDomain,
        path: resolved.cookiePath,
        secure: resolved.cookieSecure,
        httpOnly: resolved.cookieHttpOnly,
        sameSite: resolved.cookieSameSite,
        partitioned: resolved.cookiePartitioned,
        priority: resolved.cookiePriority,
      },
      expireAtBrowserClose: resolved.expireAtBrowserClose,
      saveEveryRequest: resolved.saveEveryRequest,
      schema: resolved.schema as StandardSchemaLike | undefined,
      tokenHeader: resolved.tokenHeader,
      policy: {
        touchInterval: resolved.touchInterval,
        absoluteTimeout: resolved.absoluteTimeout,
        rotateInterval: resolved.rotateInterval,
        rotationGrace: resolved.rotationGrace,
        ownerLimit: resolved.ownerLimit,
      },
      handles,
      eventHandles: eventHandles(handles, listening),
      emit: listener ?? silent,
      listening,
    };
  }

  /** The backend the manager talks to (the store, wrapped; or the cookie engine). */
  get backend(): ManagerCore['backend'] {
    return this.#core.backend;
  }

  /** Starts the session of one request. Does no I/O. */
  open(request: SessionRequest = {}): RequestSession<Data> {
    const core = this.#core;
    const token = core.tokenHeader;
    const jar = token
      ? tokenJar(core.cookieName, readToken(request.header?.(token.request.toLowerCase()), token))
      : (request.cookies ?? parseCookieHeader(request.cookieHeader));
    return new RequestSession<Data>(core, jar, request);
  }

  /** The live sessions bound to `owner`, oldest first. Throws `CapabilityMissing` without an owner index. */
  async sessionsOf(owner: string): Promise<OwnedSession[]> {
    const records = await this.#owners().list(owner);
    return records.map((record) => ({
      handle: this.#handleOf(record),
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
    const keep = except === null ? undefined : records.find((r) => this.#handleOf(r) === except)?.id;
    const count = await index.destroyAll(owner, keep);
    for (const record of records) {
      if (record.id === keep) continue;
      this.#core.emit({ type: 'destroyed', handle: this.#handleOf(record), owner, reason: 'revoked' });
    }
    return count;
  }

  /** Destroys the one session of `owner` with this handle; returns whether it existed. */
  async revokeSession(owner: string, handle: string): Promise<boolean> {
    const records = await this.#owners().list(owner);
    const record = records.find((r) => this.#handleOf(r) === handle);
    if (!record) return false;
    await this.#core.backend.destroyRecord(record.id);
    this.#core.emit({ type: 'destroyed', handle, owner, reason: 'revoked' });
    return true;
  }

  /** Releases what the backend opened. */
  async close(): Promise<void> {
    await this.#core.backend.close?.();
  }

  #handleOf(record: OwnedRecord): string {
    return this.#core.handles.ofRecord(record.id);
  }

  #owners(): OwnerIndex {
    const index = this.#core.backend.owners;
    if (!index) throw new CapabilityMissing(this.#core.backend.name, 'an owner index');
    return index;
  }
}

/** Creates a {@link SessionManager}; invalid options throw here, naming the option. */
export function createSessionManager<Data extends SessionData = SessionData>(
  options: SessionManagerOptions<Data>,
): SessionManager<Data> {
  return new SessionManager(options);
}
