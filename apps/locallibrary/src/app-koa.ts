import { session } from '@sess/koa';
import Koa from 'koa';
import { type AppParts, sessionOptions } from './app-parts.js';
import { errorResponse } from './errors.js';
import { readForm } from './form.js';
import type { LibraryData } from './session-data.js';
import { problem, ROUTES, SECURITY_HEADERS, type SiteResponse } from './views.js';

function send(ctx: Koa.Context, response: SiteResponse): void {
  ctx.status = response.status;
  ctx.set(SECURITY_HEADERS);
  if (response.location !== undefined) ctx.set('Location', response.location);
  if (response.html !== undefined) {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = response.html;
  }
}

/**
 * The LocalLibrary site on Koa. `@sess/koa` loads the session only when a view calls
 * `ctx.getSession()`, and commits it after the views, before Koa sends the response.
 */
export function createKoaApp({ engine, info }: AppParts): Koa {
  const app = new Koa();

  // Outermost: also catches a failed commit, which the session middleware throws after the view ran.
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      for (const name of Object.keys(ctx.response.headers)) ctx.remove(name);
      send(ctx, errorResponse(error, info));
    }
  });

  const sessions = session<LibraryData>(sessionOptions(engine));
  app.use(sessions).use(async (ctx) => {
    const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
    const onPath = ROUTES.filter((route) => route.path === ctx.path);
    const route = onPath.find((candidate) => candidate.method === method);
    if (!route) {
      if (onPath.length === 0) return send(ctx, problem(404, info, 'Not found', 'There is no such page.'));
      ctx.set('Allow', onPath.map((candidate) => candidate.method).join(', '));
      return send(ctx, problem(405, info, 'Method not allowed', `${ctx.method} is not allowed here.`));
    }
    const response = await route.view(
      {
        query: new URLSearchParams(ctx.querystring),
        form: () => readForm(ctx.req),
        session: () => ctx.getSession(),
        manager: sessions.manager,
      },
      info,
    );
    send(ctx, response);
  });

  return app;
}
