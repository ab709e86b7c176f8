import type { ServerResponse } from 'node:http';
import { session } from '@sess/express';
import express from 'express';
import { type AppParts, sessionOptions } from './app-parts.js';
import { errorResponse } from './errors.js';
import { readForm } from './form.js';
import type { LibraryData } from './session-data.js';
import { problem, ROUTES, SECURITY_HEADERS, type SiteResponse } from './views.js';

function send(res: ServerResponse, response: SiteResponse): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  if (response.location !== undefined) res.setHeader('Location', response.location);
  if (response.html === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(response.html);
}

/**
 * The Express twin: the same views as the Koa app, behind `@sess/express`. The session loads when a view
 * calls `req.getSession()`; the adapter holds the response until the session is committed, so the cookie
 * goes out with it and a store failure reaches the error handler before anything was sent.
 */
export function createExpressApp({ engine, info }: AppParts): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('strict routing', true);
  app.set('case sensitive routing', true);

  const sessions = session<LibraryData>(sessionOptions(engine));
  app.use(sessions);

  for (const route of ROUTES) {
    const register = route.method === 'GET' ? app.get.bind(app) : app.post.bind(app);
    register(route.path, async (req, res) => {
      const query = new URL(req.originalUrl, 'http://localhost').searchParams;
      const response = await route.view(
        {
          query,
          form: () => readForm(req),
          session: () => sessions.getSession(req),
          manager: sessions.manager,
        },
        info,
      );
      send(res, response);
    });
  }
  for (const path of new Set(ROUTES.map((route) => route.path))) {
    const allowed = ROUTES.filter((route) => route.path === path).map((route) => route.method);
    app.all(path, (req, res) => {
      res.setHeader('Allow', allowed.join(', '));
      send(res, problem(405, info, 'Method not allowed', `${req.method} is not allowed here.`));
    });
  }
  app.use((_req, res) => send(res, problem(404, info, 'Not found', 'There is no such page.')));

  app.use((error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    send(res, errorResponse(error, info));
  });

  return app;
}
