import type { SessionData } from '@sess/core';
import {
  type CompatIdioms,
  createSessionAdapter,
  type HeaderSink,
  type RequestBinding,
  type RequestFacts,
  type ResponseAccess,
} from '@sess/core/adapter';
import type { CookieJar } from '@sess/core/store';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { fastifyPlugin } from 'fastify-plugin';
import type { FastifySessionOptions } from './types.js';

const IDIOMS: CompatIdioms = {
  source: '@sess/fastify',
  property: 'request.session',
  regenerate: 'new-session',
  dataMethod: true,
};

/** The request's binding (null until this plugin's `onRequest` ran) and where its commit is. */
const kBinding = Symbol('sess.fastify.binding');
const kCommit = Symbol('sess.fastify.commit');
const NOT_YET = 0;
const WAITING = 1;
const DONE = 2;
type Carrier = FastifyRequest & {
  [kBinding]: RequestBinding<SessionData> | null;
  [kCommit]: typeof NOT_YET | typeof WAITING | typeof DONE;
};

/** The reply's status and headers, as the kit writes them (one object per request, no closures). */
class ReplyAccess implements ResponseAccess, HeaderSink {
  constructor(readonly reply: FastifyReply) {}
  status(): number {
    return this.reply.statusCode;
  }
  get headers(): HeaderSink {
    return this;
  }
  get(name: string) {
    return this.reply.getHeader(name);
  }
  set(name: string, value: string): void {
    this.reply.header(name, value);
  }
  append(name: string, value: string): void {
    // Fastify's `header('set-cookie', …)` adds a value instead of replacing the ones before.
    this.reply.header(name, value);
  }
}

/** The cookies @fastify/cookie parsed into `request.cookies`, read as the kit's jar. */
class ParsedCookies implements CookieJar {
  constructor(readonly cookies: Record<string, unknown>) {}
  get(name: string): string | undefined {
    const value = this.cookies[name];
    return typeof value === 'string' ? value : undefined;
  }
  names(): Iterable<string> {
    return Object.keys(this.cookies);
  }
}

function bindingOf(request: FastifyRequest): RequestBinding<SessionData> | null {
  return (request as Carrier)[kBinding];
}

/**
 * What the kit reads off the request: @fastify/cookie's parse when its hook ran first, or the header. One
 * object per request, its methods on the prototype: the kit calls them only when configured to.
 */
class FastifyFacts implements RequestFacts {
  readonly cookies?: CookieJar;
  readonly cookieHeader?: string | undefined;

  constructor(readonly request: FastifyRequest) {
    const cookies = (request as { cookies?: unknown }).cookies;
    if (cookies !== null && typeof cookies === 'object')
      this.cookies = new ParsedCookies(cookies as Record<string, unknown>);
    else this.cookieHeader = request.headers.cookie;
  }

  header(name: string): string | undefined {
    const value = this.request.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  secure(): boolean {
    return this.request.protocol === 'https';
  }
}

function twice(): Error {
  return new Error(
    '[@sess/fastify] request.session is already decorated, by another session plugin or by @sess/fastify ' +
      'in an enclosing scope: register one session plugin per scope (sibling scopes may each have one)',
  );
}

// Async, so that an options error rejects the plugin's registration (and `ready()` / `listen()`).
const plugin: FastifyPluginAsync<FastifySessionOptions> = async (fastify, options) => {
  if (fastify.hasRequestDecorator('session')) throw twice();
  const adapter = createSessionAdapter<SessionData, FastifyRequest>(
    options as unknown as FastifySessionOptions<SessionData>,
    IDIOMS,
  );

  // Every decorator is declared before the first request, so Fastify's request objects keep one shape.
  fastify.decorateRequest(kBinding, null);
  fastify.decorateRequest(kCommit, NOT_YET);
  fastify.decorateRequest('session', {
    getter(this: FastifyRequest) {
      return bindingOf(this)?.read() as unknown as FastifyRequest['session'];
    },
    setter(this: FastifyRequest, value: unknown) {
      const binding = bindingOf(this);
      if (!binding)
        throw new TypeError('[@sess/fastify] request.session: the plugin did not run for this request');
      binding.assign(value);
    },
  });
  fastify.decorateRequest('getSession', function getSession(this: FastifyRequest) {
    const binding = bindingOf(this);
    if (!binding)
      return Promise.reject(
        new TypeError('[@sess/fastify] getSession(): the plugin did not run for this request'),
      );
    return binding.getSession() as Promise<unknown> as ReturnType<FastifyRequest['getSession']>;
  });
  fastify.decorate('sessionManager', adapter.manager as unknown as typeof fastify.sessionManager);

  fastify.addHook('onRequest', (request, reply, next) => {
    // Registered in an enclosing scope after this one (so the check above could not see it).
    if ((request as Carrier)[kBinding] !== null) return next(twice());
    const binding = adapter.open(request, new FastifyFacts(request), new ReplyAccess(reply));
    (request as Carrier)[kBinding] = binding;
    if (adapter.eager(request)) binding.getSession().then(() => next(), next);
    else next();
  });

  // onSend runs before the headers go, for every reply the handler or an error handler sends.
  fastify.addHook('onSend', (request, reply, payload, next) => {
    const carrier = request as Carrier;
    const binding = carrier[kBinding];
    const state = carrier[kCommit];
    // Not opened, or the error reply of a failed commit: nothing (more) to commit.
    if (binding === null || state === DONE) return next(null, payload);
    if (state === WAITING) {
      // A second send while the first waits for the store: a hook that replied without `return reply`
      // (@fastify/passport's redirects) let the handler run. Had the first reply gone out at once, Fastify
      // would have refused this one; so is it here, instead of writing the headers twice.
      reply.log.warn(
        '[@sess/fastify] a second reply was sent while the first one was committing its session',
      );
      (payload as { destroy?: () => void } | null)?.destroy?.();
      return;
    }
    carrier[kCommit] = WAITING;
    const pending = binding.commitBeforeHeaders(reply.statusCode, binding.response.headers);
    if (!pending) {
      carrier[kCommit] = DONE;
      return next(null, payload);
    }
    pending.then(
      () => {
        carrier[kCommit] = DONE;
        next(null, payload);
      },
      (error: unknown) => {
        carrier[kCommit] = DONE;
        reply.removeHeader('set-cookie');
        next(error as Error);
      },
    );
  });
};

/**
 * The Fastify 5 plugin: `app.register(session, { store, … })`. Decorates the request with `getSession()`
 * and `session` (declared before the first request, as @fastify/flash and @fastify/passport require), and
 * the instance with `sessionManager`. The session loads lazily on `await request.getSession()`, or in
 * `onRequest` with `eager`, and is committed in `onSend`, before the reply's headers go: a store failure
 * there becomes Fastify's error reply, without the session cookie. Registered through `fastify-plugin`, so
 * it serves the scope it is registered in and the scopes inside it.
 */
export const session = fastifyPlugin(plugin, { fastify: '5.x', name: '@sess/fastify' });
