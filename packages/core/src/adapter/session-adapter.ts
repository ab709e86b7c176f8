import type { SessionManager } from '../manager/session-manager.js';
import type { SessionRequest } from '../request/session-request.js';
import type { CookieJar } from '../store/backend-contract.js';
import type { SessionData } from '../store/contract.js';
import { type AdapterInput, resolveAdapterOptions } from './adapter-options.js';
import type { CompatIdioms } from './compat-members.js';
import { RequestBinding, type ResponseAccess } from './request-binding.js';

/** What an adapter reads off a request for the kit. */
export interface RequestFacts {
  /** The raw `Cookie` header. */
  cookieHeader?: string | null | undefined;
  /** The request's cookies, when the framework already parsed them. */
  cookies?: CookieJar;
  /** Reads a request header by lower-case name (for `tokenHeader`); called as a method of the facts. */
  header?(name: string): string | undefined;
  /** Whether the request arrived over HTTPS; asked only when a cookie setting is `'auto'`. */
  secure?: () => boolean;
}

/** The kit of one adapter middleware: its manager and the per-request decisions. */
export interface SessionAdapter<Data extends SessionData, Req> {
  readonly manager: SessionManager<Data>;
  /** Whether to load the session before the handler runs (the `eager` option). */
  eager(req: Req): boolean;
  /** Opens the request's session (no I/O), with this request's cookie overrides and route policy. */
  open(req: Req, facts: RequestFacts, response: ResponseAccess): RequestBinding<Data>;
}

/**
 * Builds an adapter's kit from its options (validated, naming the offending one with the adapter's
 * package): the manager (given, or built from the manager's options), and what each request needs.
 * `extra` is a second argument the middleware factory received (koa-session's `session(opts, app)`),
 * refused with a clear message.
 */
export function createSessionAdapter<Data extends SessionData, Req>(
  input: AdapterInput<Data, Req>,
  idioms: CompatIdioms,
  extra?: unknown,
): SessionAdapter<Data, Req> {
  const { manager, eager, cookieFor, policy } = resolveAdapterOptions<Data, Req>(idioms.source, input, extra);
  // Only an 'auto' cookieSecure (or per-request overrides) needs the protocol: working it out parses
  // X-Forwarded-Proto behind a proxy.
  const readsProtocol = manager.options.cookieSecure === 'auto' || cookieFor !== undefined;
  // Only `tokenHeader` reads a header, and only while the manager opens the request.
  const readsHeader = manager.options.tokenHeader !== undefined;
  return {
    manager,
    eager,
    open(req, facts, response) {
      const request: SessionRequest = {};
      if (facts.cookies) request.cookies = facts.cookies;
      else request.cookieHeader = facts.cookieHeader;
      if (readsHeader && facts.header) request.header = (name) => facts.header?.(name);
      if (readsProtocol && facts.secure) request.secure = facts.secure();
      const overrides = cookieFor?.(req);
      if (overrides) request.cookie = overrides;
      const routePolicy = policy(req);
      if (routePolicy) request.policy = routePolicy;
      return new RequestBinding(manager.open(request), idioms, response);
    },
  };
}
