import type { RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { type SessionEnv, session } from '@sess/hono';
import { Hono } from 'hono';
import { type AppParts, sessionOptions } from './app-parts.js';
import { errorResponse } from './errors.js';
import { readFetchForm } from './form-fetch.js';
import type { LibraryData } from './session-data.js';
import { problem, ROUTES, SECURITY_HEADERS, type SiteResponse } from './views.js';

function toResponse(response: SiteResponse, headers: Record<string, string> = {}): Response {
  const all = new Headers({ ...SECURITY_HEADERS, ...headers });
  if (response.location !== undefined) all.set('Location', response.location);
  if (response.html !== undefined) all.set('Content-Type', 'text/html; charset=utf-8');
  return new Response(response.html ?? null, { status: response.status, headers: all });
}

/**
 * The Hono twin: the same views as the Koa app, behind `@sess/hono`. The session loads when a view calls
 * `c.var.getSession()` and is committed into the response after the view; a failed commit reaches
 * `app.onError`, which answers the error page without the view's headers.
 */
export function createHonoApp({ engine, info }: AppParts): Hono<SessionEnv<LibraryData>> {
  const app = new Hono<SessionEnv<LibraryData>>({ strict: true });
  const sessions = session<LibraryData>(sessionOptions(engine));
  app.use(sessions);

  for (const route of ROUTES) {
    app.on(route.method, route.path, async (c) => {
      const response = await route.view(
        {
          query: new URL(c.req.url).searchParams,
          form: () => readFetchForm(c.req.raw),
          session: () => c.var.getSession(),
          manager: sessions.manager,
        },
        info,
      );
      return toResponse(response);
    });
  }
  for (const path of new Set(ROUTES.map((route) => route.path))) {
    const allowed = ROUTES.filter((route) => route.path === path).map((route) => route.method);
    app.all(path, (c) =>
      toResponse(problem(405, info, 'Method not allowed', `${c.req.method} is not allowed here.`), {
        Allow: allowed.join(', '),
      }),
    );
  }
  app.notFound(() => toResponse(problem(404, info, 'Not found', 'There is no such page.')));
  app.onError((error, c) => {
    // Drops the view's response, so its headers are not merged into the error page.
    c.res = undefined;
    return toResponse(errorResponse(error, info));
  });
  return app;
}

/** The Hono app as a Node request listener (`@hono/node-server`). */
export function createHonoListener(parts: AppParts): RequestListener {
  return getRequestListener(createHonoApp(parts).fetch) as RequestListener;
}
