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
  storeOperationFailed(error: unknown): void;
}

const METHODS = new Set(['regenerate', 'save', 'destroy', 'reload', 'touch']);
/** Session methods that talk to the store. */
const STORE_METHODS = new Set(['cycleKey', 'flush', 'save']);

type AnyFunction = (...args: unknown[]) => unknown;

function withCallback(promise: Promise<void>, callback: unknown): Promise<void> | undefined {
  if (typeof callback !== 'function') return promise;
  const done = callback as SessionCallback;
  promise.then(
    () => process.nextTick(done),
    (error: unknown) => process.nextTick(done, error),
  );
  return undefined;
}

/**
 * The proxy handler of one `req.session`, and its state. The traps live on the prototype (a proxy calls them
 * with the handler as `this`), so a request allocates this object and the proxy, and no closures; the
 * functions handed out are made on first use and kept.
 */
class CompatHandler<Data extends SessionData> implements ProxyHandler<Session<Data>> {
  /** After `regenerate`, the previous object reads this copy (Passport merges it with keepSessionInfo). */
  detached: SessionData | null = null;
  proxy!: ExpressSession<Data>;
  #functions: Record<string, AnyFunction> | undefined;

  constructor(
    readonly session: Session<Data>,
    readonly host: CompatHost<Data>,
  ) {}

  get(target: Session<Data>, property: string | symbol): unknown {
    if (typeof property === 'symbol') return Reflect.get(target, property, target);
    if (METHODS.has(property)) return this.#made(property, undefined);
    if (property in target) {
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? this.#made(property, value as AnyFunction) : value;
    }
    if (this.detached !== null) return this.detached[property];
    return (target as unknown as Session<SessionData>).get(property);
  }

  set(target: Session<Data>, property: string | symbol, value: unknown): boolean {
    if (typeof property === 'symbol' || property === 'accessed' || property === 'modified') {
      return Reflect.set(target, property, value, target);
    }
    if (METHODS.has(property) || property in target) {
      throw new TypeError(
        `[@sess/express] "${property}" is a method or member of the session: store it with session.set('${property}', value)`,
      );
    }
    this.#assertLive(property);
    const data = target as unknown as Session<SessionData>;
    if (value === undefined) data.delete(property);
    else data.set(property, value);
    return true;
  }

  deleteProperty(target: Session<Data>, property: string | symbol): boolean {
    if (typeof property === 'symbol') return false;
    this.#assertLive(property);
    (target as unknown as Session<SessionData>).delete(property);
    return true;
  }

  has(target: Session<Data>, property: string | symbol): boolean {
    if (typeof property === 'symbol' || METHODS.has(property) || property in target) return true;
    return this.detached !== null
      ? property in this.detached
      : (target as unknown as Session<SessionData>).has(property);
  }

  ownKeys(target: Session<Data>): string[] {
    return this.detached !== null ? Object.keys(this.detached) : target.keys();
  }

  getOwnPropertyDescriptor(target: Session<Data>, property: string | symbol): PropertyDescriptor | undefined {
    if (typeof property === 'symbol') return undefined;
    const detached = this.detached;
    if (detached !== null) {
      if (!Object.hasOwn(detached, property)) return undefined;
      return { value: detached[property], writable: true, enumerable: true, configurable: true };
    }
    const data = target as unknown as Session<SessionData>;
    if (!data.has(property)) return undefined;
    return { value: data.get(property), writable: true, enumerable: true, configurable: true };
  }

  #assertLive(property: string): void {
    if (this.detached !== null) {
      throw new TypeError(
        `[@sess/express] req.session was regenerated: set "${property}" on the new req.session, not on the old object`,
      );
    }
  }

  /** The function `property` reads as, made once per session object. */
  #made(property: string, member: AnyFunction | undefined): AnyFunction {
    this.#functions ??= Object.create(null) as Record<string, AnyFunction>;
    const functions = this.#functions;
    let made = functions[property];
    if (!made) {
      made = this.#function(property, member);
      functions[property] = made;
    }
    return made;
  }

  /** Reports a failure of `promise` to the host and keeps it for the caller. */
  #track(promise: Promise<void>): Promise<void> {
    promise.catch((error: unknown) => this.host.storeOperationFailed(error));
    return promise;
  }

  /** The function `property` reads as: an express-session method, or a session method bound to it. */
  #function(property: string, member: AnyFunction | undefined): AnyFunction {
    const { session, host } = this;
    switch (property) {
      case 'regenerate':
        return (callback?: unknown) =>
          withCallback(
            this.#track(
              (async () => {
                const copy = session.toJSON();
                await session.flush();
                this.detached = copy;
                host.replace(compatSession(session, host));
              })(),
            ),
            callback,
          );
      case 'save':
        return (callback?: unknown) => withCallback(this.#track(session.save()), callback);
      case 'destroy':
        return (callback?: unknown) => withCallback(this.#track(session.flush()), callback);
      case 'reload':
        return (callback?: unknown) =>
          withCallback(
            this.#track(
              (async () => {
                const stored = await host.loadStored(session.key);
                if (stored === null) throw new SessionInterrupted();
                session.clear();
                session.update(stored as Partial<Data>);
              })(),
            ),
            callback,
          );
      case 'touch':
        return () => this.proxy;
    }
    const method = member as AnyFunction;
    if (STORE_METHODS.has(property)) {
      return (...args: unknown[]) => this.#track(method.apply(session, args) as Promise<void>);
    }
    return method.bind(session);
  }
}

/** Builds `req.session` over `session`. */
export function compatSession<Data extends SessionData>(
  session: Session<Data>,
  host: CompatHost<Data>,
): ExpressSession<Data> {
  const handler = new CompatHandler(session, host);
  const proxy = new Proxy(session, handler) as unknown as ExpressSession<Data>;
  handler.proxy = proxy;
  return proxy;
}
