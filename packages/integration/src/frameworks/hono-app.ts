import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Session, SessionData } from '@sess/core';
import { type SessionEnv, session } from '@sess/hono';
import { type Context, Hono } from 'hono';
import { type AppResponse, appRequest, type ServerSpec } from './app-spec.js';

function reply(c: Context<SessionEnv>, answer: AppResponse): Response {
  return c.body(answer.body ?? '', (answer.status ?? 200) as 200, {
    'content-type': answer.type ?? 'text/plain',
  });
}

/**
 * A Hono app on Node (through @hono/node-server): `@sess/hono`'s middleware, then the handler; an error
 * reaching `app.onError` is recorded and answered with `spec.errorResponse`, else with its status (or
 * 500) and message, as Hono apps do.
 */
export function honoServer(spec: ServerSpec): Server {
  const app = new Hono<SessionEnv>();
  const middleware = session({ ...spec.session, policy: (c: Context<SessionEnv>) => spec.policy?.(c.req.path) });
  app.use(middleware);
  app.onError((error, c) => {
    spec.errors.push(error);
    if (spec.errorResponse) return reply(c, spec.errorResponse(error));
    const status = (error as { status?: unknown }).status;
    return reply(c, { status: typeof status === 'number' ? status : 500, body: error.message });
  });
  app.all('*', async (c) =>
    reply(
      c,
      await spec.handler(
        appRequest(
          middleware.manager,
          c.req.method,
          c.req.url,
          () => c.var.getSession(),
          () => c.var.session as Session<SessionData> | null | undefined,
        ),
      ),
    ),
  );
  return createServer(getRequestListener(app.fetch));
}
