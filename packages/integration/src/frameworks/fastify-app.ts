import { createServer, type Server } from 'node:http';
import type { Session, SessionData, SessionManager } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import Fastify, { type FastifyInstance } from 'fastify';
// The package's source, not `@sess/fastify`: two copies of its `request.session` declaration merging into
// Fastify's types would clash.
import { session } from '../../../fastify/src/index.js';
import { type AppResponse, appRequest, type ServerSpec } from './app-spec.js';

/** A Node server over a Fastify app, once the app is ready (a plugin's option error rejects it). */
async function nodeServer(app: FastifyInstance): Promise<Server> {
  await app.ready();
  return createServer((req, res) => app.routing(req, res));
}

/**
 * A Fastify 5 app: `@sess/fastify`'s plugin, then the handler on every path; an error reaching Fastify's
 * error handler is recorded and answered with `spec.errorResponse`, else with its status (or 500) and code.
 */
export async function fastifyServer(spec: ServerSpec): Promise<Server> {
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  app.setErrorHandler(
    (error: { status?: unknown; statusCode?: unknown; code?: unknown }, _request, reply) => {
      spec.errors.push(error);
      const status =
        typeof error?.status === 'number'
          ? error.status
          : typeof error?.statusCode === 'number'
            ? error.statusCode
            : 500;
      const answer: AppResponse = spec.errorResponse?.(error) ?? {
        status,
        body: String(error?.code ?? 'error'),
      };
      return reply
        .code(answer.status ?? 500)
        .type(answer.type ?? 'text/plain')
        .send(answer.body ?? '');
    },
  );
  app.register(session, {
    ...spec.session,
    policy: (request: { url: string }) => spec.policy?.(new URL(request.url, 'http://localhost').pathname),
  } as never);
  app.all('/*', async (request, reply) => {
    const response = await spec.handler(
      appRequest(
        app.sessionManager as unknown as SessionManager,
        request.method,
        request.url,
        () => request.getSession() as unknown as Promise<Session<SessionData>>,
        () => request.session as unknown as Session<SessionData> | null | undefined,
      ),
    );
    reply.code(response.status ?? 200).type(response.type ?? 'text/plain');
    return response.body ?? '';
  });
  return nodeServer(app);
}

/** @sess/fastify's unchanged @fastify/passport app (packages/fastify/test/apps/auth-app.ts) over `store`. */
export async function fastifyPassportServer(store: SessionStore): Promise<Server> {
  const { authApp } = await import('../../../fastify/test/apps/auth-app.js');
  return nodeServer(authApp(store));
}
