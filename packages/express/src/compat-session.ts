import { type Session, type SessionData, SessionInterrupted } from '@sess/core';

/** A Node-style callback, as express-session's methods take. */
export type SessionCallback = (error?: unknown) => void;

/** The express-session methods `req.session` offers beside the {@link Session} API (Passport uses them). */
export interface ExpressSessionMethods {
  /**
   * express-session's `regenerate`: drops the data and the old record, and starts a new key (Passport calls
   * it at login and logout). `req.session` becomes a new object; the old one keeps a read-only copy of the
   * data for `keepSessionInfo`. To keep the data under a new key, use `cycleKey()`.
   */
  regenerate(): Promise<void>;
  regenerate(callback: SessionCallback): void;
  /** Writes the session to the store now (the cookie still goes out with the response). */
  save(): Promise<void>;
  save(callback: SessionCallback): void;
  /** express-session's `destroy`: `flush()`, deleting the record and, with the response, the cookie. */
  destroy(): Promise<void>;
  destroy(callback: SessionCallback): void;
  /**
   * Reads the stored data of the current key again, replacing unsaved changes. A record that vanished in the
   * meantime fails with `SessionInterrupted`.
   */
  reload(): Promise<void>;
  reload(callback: SessionCallback): void;
  /** Accepted for express-session compatibility; does nothing (the expiry follows each save). */
  touch(): this;
}

/**
 * Data keys readable and writable as properties (assigning `undefined` removes one), except those a method or
 * member of the session shadows (use `get`/`set` for those).
 */
export type SessionProperties<Data extends SessionData> = {
  [K in keyof Data as K extends keyof Session<Data> | keyof ExpressSessionMethods ? never : K]?:
    | Data[K]
    | undefined;
};

/**
 * `req.session`: the typed {@link Session} (`get`, `set`, `cycleKey()`, `flush()`…), plus
 * express-session-style property access to the data (`req.session.views = 1`, `delete req.session.cart`)
 * and the express-session methods Passport calls.
 */
export type ExpressSession<Data extends SessionData = SessionData> = Session<Data> &
  ExpressSessionMethods &
  SessionProperties<Data>;

/** What the proxy needs from the middleware. */
export interface CompatHost<Data extends SessionData> {
  /** Replaces `req.session` with a new proxy over the same session (after `regenerate`). */
  replace(next: ExpressSession<Data>): void;
  /** Loads the stored data of `key` (or the request's own cookie when `key` is null); null when gone. */
  loadStored(key: string | null): Promise<SessionData | null>;
  /** A store operation of the session failed during the request: the response must not commit it. */
  failed(error: unknown): void;
}

const METHODS = new Set(['regenerate', 'save', 'destroy', 'reload', 'touch']);
/** Session methods that talk to the store. */
const STORE_METHODS = new Set(['cycleKey', 'flush', 'save']);

/** Reports a failure of `promise` to the host and keeps it for the caller. */
function watched(promise: Promise<void>, host: Pick<CompatHost<SessionData>, 'failed'>): Promise<void> {
  promise.catch((error: unknown) => host.failed(error));
  return promise;
}

function withCallback(promise: Promise<void>, callback: unknown): Promise<void> | undefined {
  if (typeof callback !== 'function') return promise;
  const done = callback as SessionCallback;
  promise.then(
    () => process.nextTick(done),
    (error: unknown) => process.nextTick(done, error),
  );
  return undefined;
}

/** Builds `req.session` over `session`. */
export function compatSession<Data extends SessionData>(
  session: Session<Data>,
  host: CompatHost<Data>,
): ExpressSession<Data> {
  // After `regenerate`, the previous object reads this copy (Passport merges it with keepSessionInfo).
  let detached: SessionData | null = null;
  const data = session as unknown as Session<SessionData>;

  const track = (promise: Promise<void>) => watched(promise, host);
  const methods: ExpressSessionMethods = {
    regenerate(callback?: SessionCallback) {
      return withCallback(
        track(
          (async () => {
            const copy = session.toJSON();
            await session.flush();
            detached = copy;
            host.replace(compatSession(session, host));
          })(),
        ),
        callback,
      );
    },
    save(callback?: SessionCallback) {
      return withCallback(track(session.save()), callback);
    },
    destroy(callback?: SessionCallback) {
      return withCallback(track(session.flush()), callback);
    },
    reload(callback?: SessionCallback) {
      return withCallback(
        track(
          (async () => {
            const stored = await host.loadStored(session.key);
            if (stored === null) throw new SessionInterrupted();
            session.clear();
            session.update(stored as Partial<Data>);
          })(),
        ),
        callback,
      );
    },
    touch() {
      return proxy;
    },
  } as unknown as ExpressSessionMethods;

  const assertLive = (property: string) => {
    if (detached !== null) {
      throw new TypeError(
        `[@sess/express] req.session was regenerated: set "${property}" on the new req.session, not on the old object`,
      );
    }
  };

  const proxy = new Proxy(session, {
    get(target, property) {
      if (typeof property === 'symbol') return Reflect.get(target, property, target);
      if (METHODS.has(property)) return methods[property as keyof ExpressSessionMethods];
      if (property in target) {
        const value = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        if (STORE_METHODS.has(property)) {
          return (...args: unknown[]) =>
            track((value as (...a: unknown[]) => Promise<void>).apply(target, args));
        }
        return value.bind(target);
      }
      if (detached !== null) return detached[property];
      return data.get(property);
    },
    set(target, property, value) {
      if (typeof property === 'symbol' || property === 'accessed' || property === 'modified') {
        return Reflect.set(target, property, value, target);
      }
      if (METHODS.has(property) || property in target) {
        throw new TypeError(
          `[@sess/express] "${property}" is a method or member of the session: store it with session.set('${property}', value)`,
        );
      }
      assertLive(property);
      if (value === undefined) data.delete(property);
      else data.set(property, value);
      return true;
    },
    deleteProperty(_target, property) {
      if (typeof property === 'symbol') return false;
      assertLive(property);
      data.delete(property);
      return true;
    },
    has(target, property) {
      if (typeof property === 'symbol' || METHODS.has(property) || property in target) return true;
      return detached !== null ? property in detached : data.has(property);
    },
    ownKeys() {
      return detached !== null ? Object.keys(detached) : data.keys();
    },
    getOwnPropertyDescriptor(_target, property) {
      if (typeof property === 'symbol') return undefined;
      if (detached !== null) {
        if (!Object.hasOwn(detached, property)) return undefined;
        return { value: detached[property], writable: true, enumerable: true, configurable: true };
      }
      if (!data.has(property)) return undefined;
      return { value: data.get(property), writable: true, enumerable: true, configurable: true };
    },
  });
  return proxy as unknown as ExpressSession<Data>;
}
