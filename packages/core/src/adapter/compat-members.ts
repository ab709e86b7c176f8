import type { SessionData } from '../store/contract.js';
import { type CompatHandler, compatSession } from './compat-session.js';
import { cookieObject, type SessionCookie } from './cookie-object.js';

/** A Node-style callback, as express-session's, koa-session's and @fastify/session's methods take. */
export type SessionCallback = (error?: unknown) => void;

/** How a framework's users expect the session to behave where the peers differ. */
export interface CompatIdioms {
  /** The adapter's package, for messages (`@sess/express`). */
  readonly source: string;
  /** How the app reads the session, for messages (`req.session`, `ctx.session`). */
  readonly property: string;
  /**
   * express-session and @fastify/session: `regenerate()` drops the data and the old record and starts a new
   * session object (keeping `keysToKeep`). koa-session: `regenerate()` keeps the data and the object, under a
   * new key (sess's `cycleKey()`).
   */
  readonly regenerate: 'new-session' | 'new-key';
  /**
   * @fastify/secure-session (and @fastify/passport, which keeps the data through it when
   * `clearSessionOnLogin` is false): `session.data()` returns a copy of the data. Without it, `data` is a
   * data key like any other (express-session and koa-session users store one under that name).
   */
  readonly dataMethod?: boolean;
}

/** The peers' members on the compatible session (next to the {@link Session} API). */
export interface CompatMembers {
  /**
   * New key and old record gone. express-session / @fastify/session: the data is dropped (but `keysToKeep`)
   * and the request shows a new session object; koa-session: the data and object are kept (`cycleKey()`).
   */
  regenerate(): Promise<void>;
  regenerate(callback: SessionCallback): this;
  regenerate(keysToKeep: readonly string[], callback?: SessionCallback): Promise<void> | this;
  /** Writes the session now; a new one gets its key, and its cookie goes out with the response. */
  save(): Promise<void>;
  save(callback: SessionCallback): this;
  /** `flush()`: deletes the record now and the cookie with the response. */
  destroy(): Promise<void>;
  destroy(callback: SessionCallback): this;
  /** Reads the stored session again, dropping unsaved changes; fails with `SessionInterrupted` when it is gone. */
  reload(): Promise<void>;
  reload(callback: SessionCallback): this;
  /** Refreshes the expiry (and re-sends the cookie) with this response, even if nothing changed. */
  touch(): this;
  /** Same as {@link touch}. */
  resetMaxAge(): this;
  /** The session's id: its key (a new session's is reserved when first read); null with the cookie engine. */
  readonly id: string | null;
  /** @fastify/session's name for {@link id}. */
  readonly sessionId: string | null;
  /** @fastify/session's signed id; sess keys need no signature, so it is the id. */
  readonly encryptedSessionId: string | null;
  /** express-session's cookie object, mapped onto the expiry and this response's cookie attributes. */
  readonly cookie: SessionCookie;
  /** koa-session: true when no stored session was found for the request. */
  readonly isNew: boolean;
  /** koa-session: whether the session holds data. */
  readonly populated: boolean;
  /** koa-session: how many keys the data has. */
  readonly length: number;
  /** koa-session: the cookie's lifetime in milliseconds, or `'session'`; setting it sets the expiry. */
  maxAge: number | 'session';
  /** koa-session: the key the cookie carries. */
  readonly externalKey: string | null;
  /** koa-session: commits now (saves as needed and sets the response's headers). */
  manuallyCommit(): Promise<void>;
  /** @fastify/session: whether data changed since load or the last save. */
  isModified(): boolean;
  /** @fastify/session: whether the session was written in this request. */
  isSaved(): boolean;
  /** @fastify/session: sets cookie fields for this response (`maxAge` in milliseconds, `expires`, attributes). */
  options(options: Record<string, unknown>): void;
}

/** One member: how it reads, and (for the few that can be assigned) how it writes. */
export interface Member {
  get(handler: CompatHandler<SessionData>): unknown;
  set?(handler: CompatHandler<SessionData>, value: unknown): void;
}

/** Calls `callback` once, on a later tick, with the outcome of `promise`; without one, returns the promise. */
function settle(handler: CompatHandler<SessionData>, promise: Promise<void>, callback: unknown): unknown {
  const tracked = handler.track(promise);
  if (typeof callback !== 'function') return tracked;
  const done = callback as SessionCallback;
  tracked.then(
    () => process.nextTick(done),
    (error: unknown) => process.nextTick(done, error),
  );
  return handler.proxy;
}

/** A member that is a method: made once per session object and kept. */
function method(name: string, make: (handler: CompatHandler<SessionData>) => unknown): Member {
  return {
    get(handler) {
      handler.members ??= new Map();
      let made = handler.members.get(name);
      if (made === undefined) {
        made = make(handler);
        handler.members.set(name, made);
      }
      return made;
    },
  };
}

async function regenerate(handler: CompatHandler<SessionData>, keysToKeep: readonly string[]): Promise<void> {
  const { session, host } = handler;
  if (host.idioms.regenerate === 'new-key') {
    await session.cycleKey();
    return;
  }
  const copy = session.toJSON();
  await session.flush();
  for (const key of keysToKeep) if (Object.hasOwn(copy, key)) session.set(key, copy[key]);
  handler.detached = copy;
  host.replace(compatSession(session, host));
}

const MEMBERS: Readonly<Record<string, Member>> = {
  regenerate: method('regenerate', (handler) => (first?: unknown, second?: unknown) => {
    const keys = Array.isArray(first) ? (first as string[]) : [];
    const callback = typeof first === 'function' ? first : second;
    return settle(handler, regenerate(handler, keys), callback);
  }),
  save: method(
    'save',
    (handler) => (callback?: unknown) => settle(handler, handler.session.save(), callback),
  ),
  destroy: method('destroy', (handler) => (callback?: unknown) => {
    const done = handler.session.flush().then(() => {
      // express-session: req.session is gone, and writes through the old object would be lost, so they throw.
      if (handler.host.idioms.regenerate === 'new-session') {
        handler.detached = {};
        handler.detachedBy = 'destroy';
      }
      handler.host.destroyed();
    });
    return settle(handler, done, callback);
  }),
  reload: method(
    'reload',
    (handler) => (callback?: unknown) => settle(handler, handler.host.request.reload(), callback),
  ),
  touch: method('touch', (handler) => () => {
    handler.host.request.touch();
    return handler.proxy;
  }),
  resetMaxAge: method('resetMaxAge', (handler) => () => {
    handler.host.request.touch();
    return handler.proxy;
  }),
  id: { get: (handler) => handler.host.request.id },
  sessionId: { get: (handler) => handler.host.request.id },
  encryptedSessionId: { get: (handler) => handler.host.request.id },
  cookie: method('cookie', (handler) => cookieObject(handler.session, handler.host.request)),
  isNew: { get: (handler) => !handler.host.request.found },
  populated: { get: (handler) => handler.session.size > 0 },
  length: { get: (handler) => handler.session.size },
  externalKey: { get: (handler) => handler.host.request.key },
  maxAge: {
    get: (handler) => {
      const cookie = MEMBERS.cookie?.get(handler) as SessionCookie;
      return cookie.maxAge ?? 'session';
    },
    set: (handler, value) => {
      const cookie = MEMBERS.cookie?.get(handler) as SessionCookie;
      if (value === 'session') cookie.maxAge = null;
      else if (typeof value === 'number') cookie.maxAge = value;
      else
        throw new TypeError(`[${handler.host.idioms.source}] session.maxAge takes milliseconds or 'session'`);
    },
  },
  manuallyCommit: method('manuallyCommit', (handler) => () => handler.host.commitNow()),
  isModified: method('isModified', (handler) => () => handler.session.modified),
  isSaved: method('isSaved', (handler) => () => handler.host.request.saved),
  options: method('options', (handler) => (options: Record<string, unknown>) => {
    const cookie = MEMBERS.cookie?.get(handler) as Record<string, unknown>;
    for (const [name, value] of Object.entries(options ?? {})) {
      if (!(name in cookie) || name === 'toJSON') {
        throw new TypeError(
          `[${handler.host.idioms.source}] session.options(): unknown cookie field "${name}"`,
        );
      }
      cookie[name] = value;
    }
  }),
};

/** `data()`: a deep copy of the data, for the idioms that declare it. */
const DATA_METHOD = method('data', (handler) => () => handler.session.toJSON());

/** The members by name, as a `Map`: every property read of a session asks it, most often for a data key. */
const MEMBER_NAMED: ReadonlyMap<string, Member> = new Map(Object.entries(MEMBERS));

/** The member `property` names under `idioms`, or undefined for a data key. */
export function memberOf(property: string, idioms: CompatIdioms): Member | undefined {
  if (property === 'data') return idioms.dataMethod === true ? DATA_METHOD : undefined;
  return MEMBER_NAMED.get(property);
}
