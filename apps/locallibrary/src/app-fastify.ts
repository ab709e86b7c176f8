import type { RequestListener } from 'node:http';
import { session } from '@sess/fastify';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { type AppParts, sessionOptions } from './app-parts.js';
import { errorResponse } from './errors.js';
import { readForm } from './form.js';
import type { LibraryData } from './session-data.js';
import { problem, ROUTES, SECURITY_HEADERS, type SiteResponse } from './views.js';

declare module '@sess/fastify' {
  interface FastifySessionData extends LibraryData {}
}

function send(reply: FastifyReply, response: SiteResponse): FastifyReply {
  reply.code(response.status).headers(SECURITY_HEADERS);
  if (response.location !== undefined) reply.header('Location', response.location);
  if (response.html === undefined) return reply.send();
  return reply.type('text/html; charset=utf-8').send(response.html);
}

/**
 * The Fastify twin: the same views as the Koa app, behind `@sess/fastify`. The session loads when a view
 * calls `request.getSession()` and is committed in the plugin's `onSend` hook, so a store failure there
 * reaches the error handler below before anything was sent.
 */
export function createFastifyApp({ engine, info }: AppParts): FastifyInstance {
  const app = Fastify({ exposeHeadRoutes: false });

  // The views read their forms themselves (the same reader as the Koa and Express apps: 415, 413).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  app.setErrorHandler((error, _request, reply) => {
    for (const name of Object.keys(reply.getHeaders())) reply.removeHeader(name);
    return send(reply, errorResponse(error, info));
  });

  app.register(session, sessionOptions(engine));

  // One route for every path, dispatched like the Koa app (HEAD as GET, 405 with Allow, then 404).
  app.all('/*', async (request, reply) => {
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const url = new URL(request.url, 'http://localhost');
    const onPath = ROUTES.filter((route) => route.path === url.pathname);
    const route = onPath.find((candidate) => candidate.method === method);
    if (!route) {
      if (onPath.length === 0) return send(reply, problem(404, info, 'Not found', 'There is no such page.'));
      reply.header('Allow', onPath.map((candidate) => candidate.method).join(', '));
      return send(reply, problem(405, info, 'Method not allowed', `${request.method} is not allowed here.`));
    }
    const response = await route.view(
      {
        query: url.searchParams,
        form: () => readForm(request.raw),
        session: () => request.getSession(),
        manager: app.sessionManager,
      },
      info,
    );
    return send(reply, response);
  });

  return app;
}

/** The Fastify twin as a Node request listener, for the site's own HTTP server (after Fastify is ready). */
export async function createFastifyListener(parts: AppParts): Promise<RequestListener> {
  const app = createFastifyApp(parts);
  await app.ready();
  return (req, res) => app.routing(req, res);
}
