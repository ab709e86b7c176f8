import type { RequestSession } from '../request/request-session.js';
import { Session } from '../session/session.js';
import type { SessionData } from '../store/contract.js';
import { type CompatIdioms, type CompatMembers, type Member, memberOf } from './compat-members.js';

/** What the compatible session needs from the adapter's request. */
export interface CompatHost<Data extends SessionData> {
  readonly request: RequestSession<Data>;
  readonly idioms: CompatIdioms;
  /** The session object the request now shows (after express-session's `regenerate`, a new one). */
  replace(next: CompatSession<Data>): void;
  /** The session was destroyed through `destroy()`: express-session then shows no `req.session`. */
  destroyed(): void;
  /** A store operation of the session failed: the response must not commit it. */
  failed(error: unknown): void;
  /** Commits now, before the response goes (koa-session's `manuallyCommit()`). */
  commitNow(): Promise<void>;
}

/**
 * Data keys as properties: read, written (`undefined` removes), deleted and listed like a plain object,
 * persisted exactly as `get`/`set`/`delete`. Keys a member shadows go through `get`/`set`.
 */
export type SessionProperties<Data extends SessionData> = {
  [K in keyof Data as K extends keyof Session<Data> | keyof CompatMembers ? never : K]?: Data[K] | undefined;
};

/**
 * The session as express-session, koa-session and @fastify/session users write it: the typed
 * {@link Session} (`get`, `set`, `cycleKey()`, `flush()`…), data keys as properties, and those libraries'
 * methods (`regenerate`, `save`, `destroy`, `reload`, `touch`, `cookie`, `id`; `isNew`, `maxAge`,
 * `manuallyCommit`…) with callbacks or promises. Idioms that cannot be honoured throw at once.
 */
export type CompatSession<Data extends SessionData = SessionData> = Session<Data> &
  CompatMembers &
  SessionProperties<Data>;

/** The names `Session.prototype` itself defines (its getters and methods), collected once. */
const SESSION_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Session.prototype));

/**
 * Whether `property` is a member of every `Session` rather than a data key: what `property in session`
 * answers (a `Session` has no own public properties), without a lookup that sees each request's
 * session as a new receiver.
 */
function isSessionMember(property: string): boolean {
  return SESSION_NAMES.has(property) || property in Object.prototype;
}

/**
 * The proxy handler of one compatible session, and its state. The traps live on the prototype (a proxy
 * calls them with the handler as `this`), so a request allocates this object and the proxy and no
 * closures; the functions it hands out are made on first use and kept.
 */
class CompatHandler<Data extends SessionData> implements ProxyHandler<Session<Data>> {
  /**
   * After express-session's `regenerate`, the previous object reads this copy (for `keepSessionInfo`);
   * after its `destroy()`, an empty one. Either way, writes through that object throw.
   */
  detached: SessionData | null = null;
  /** What detached the object, for the message of a write through it. */
  detachedBy: 'regenerate' | 'destroy' = 'regenerate';
  proxy!: CompatSession<Data>;
  members: Map<string, unknown> | undefined;
  /** The session's methods bound to it, made on first use. */
  methods: Map<string, unknown> | undefined;

  constructor(
    readonly session: Session<Data>,
    readonly host: CompatHost<Data>,
  ) {}

  get(target: Session<Data>, property: string | symbol): unknown {
    if (typeof property === 'symbol') return Reflect.get(target, property, target);
    // The session's own methods, once handed out, are the common case: answered first.
    const method = this.methods?.get(property);
    if (method !== undefined) return method;
    const member = memberOf(property, this.host.idioms);
    if (member !== undefined) return member.get(this as unknown as CompatHandler<SessionData>);
    if (isSessionMember(property)) {
      // The session itself as the receiver, as `Reflect.get(target, property, target)` would read it.
      const value = (target as unknown as Record<string, unknown>)[property];
      return typeof value === 'function'
        ? this.bound(property, value as (...args: unknown[]) => unknown)
        : value;
    }
    if (this.detached !== null) return this.detached[property];
    return (target as unknown as Session).get(property);
  }

  set(target: Session<Data>, property: string | symbol, value: unknown): boolean {
    if (property === 'accessed' || property === 'modified')
      return Reflect.set(target, property, value, target);
    if (typeof property === 'symbol') {
      throw new TypeError(
        `[${this.host.idioms.source}] ${String(property)}: a symbol key cannot be stored in the session (only string keys with JSON values are); use a string key`,
      );
    }
    const member: Member | undefined = memberOf(property, this.host.idioms);
    if (member?.set) {
      member.set(this as unknown as CompatHandler<SessionData>, value);
      return true;
    }
    if (member !== undefined || isSessionMember(property)) {
      throw new TypeError(
        `[${this.host.idioms.source}] "${property}" is a member of the session, not data: store it with session.set('${property}', value)`,
      );
    }
    this.assertLive(property);
    const data = target as unknown as Session;
    if (value === undefined) data.delete(property);
    else data.set(property, value);
    return true;
  }

  /** `Object.defineProperty(session, key, { value })` stores like an assignment; accessors cannot be stored. */
  defineProperty(target: Session<Data>, property: string | symbol, descriptor: PropertyDescriptor): boolean {
    if (descriptor.get !== undefined || descriptor.set !== undefined || !('value' in descriptor)) {
      throw new TypeError(
        `[${this.host.idioms.source}] ${String(property)}: only a value can be stored in the session, not an accessor`,
      );
    }
    return this.set(target, property, descriptor.value);
  }

  deleteProperty(target: Session<Data>, property: string | symbol): boolean {
    if (typeof property === 'symbol') return false;
    if (memberOf(property, this.host.idioms) !== undefined || isSessionMember(property)) {
      throw new TypeError(
        `[${this.host.idioms.source}] "${property}" is a member of the session and cannot be deleted`,
      );
    }
    this.assertLive(property);
    (target as unknown as Session).delete(property);
    return true;
  }

  has(target: Session<Data>, property: string | symbol): boolean {
    if (
      typeof property === 'symbol' ||
      isSessionMember(property) ||
      memberOf(property, this.host.idioms) !== undefined
    )
      return true;
    return this.detached !== null ? property in this.detached : (target as unknown as Session).has(property);
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
    const data = target as unknown as Session;
    if (!data.has(property)) return undefined;
    return { value: data.get(property), writable: true, enumerable: true, configurable: true };
  }

  assertLive(property: string): void {
    if (this.detached === null) return;
    const { source, property: shown } = this.host.idioms;
    throw new TypeError(
      this.detachedBy === 'destroy'
        ? `[${source}] the session was destroyed: "${property}" would not be saved (start a new one with regenerate())`
        : `[${source}] the session was regenerated: set "${property}" on the new ${shown}, not on the old object`,
    );
  }

  /** A session method bound to the session, made once per object (store methods report failures). */
  bound(property: string, method: (...args: unknown[]) => unknown): unknown {
    this.methods ??= new Map();
    let made = this.methods.get(property);
    if (made === undefined) {
      const session = this.session;
      made =
        property === 'cycleKey' || property === 'flush' || property === 'save' || property === 'setOwner'
          ? (...args: unknown[]) => this.track(method.apply(session, args) as Promise<void>)
          : method.bind(session);
      this.methods.set(property, made);
    }
    return made;
  }

  /** Reports a failure of `promise` to the host and keeps it for the caller. */
  track(promise: Promise<void>): Promise<void> {
    promise.catch((error: unknown) => this.host.failed(error));
    return promise;
  }
}

/** Builds the compatible session over `session`. */
export function compatSession<Data extends SessionData>(
  session: Session<Data>,
  host: CompatHost<Data>,
): CompatSession<Data> {
  const handler = new CompatHandler(session, host);
  const proxy = new Proxy(session, handler) as unknown as CompatSession<Data>;
  handler.proxy = proxy;
  return proxy;
}

export type { CompatHandler };
