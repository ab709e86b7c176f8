import { type SessionContext, session } from '@sess/koa';
import Koa, { type DefaultState } from 'koa';
import { sessEngine } from './sess-engines.js';
import { listen, STATIC_BODY, VISITS, visitsBody, visitsOf } from './shared.js';
import type { StartContender } from './types.js';

/** @sess/koa on any sess engine: lazy `await ctx.getSession()`, Secure cookie behind a TLS proxy. */
export const start: StartContender = async (options) => {
  const engine = await sessEngine(options);
  const app = new Koa<DefaultState, SessionContext>();
  app.proxy = true;
  app.use(session({ ...engine.options, cookieSecure: true }));
  app.use(async (ctx) => {
    switch (ctx.path) {
      case '/visit': {
        const s = await ctx.getSession();
        const visits = visitsOf(s.get(VISITS)) + 1;
        s.set(VISITS, visits);
        ctx.body = visitsBody(visits);
        return;
      }
      case '/read': {
        const s = await ctx.getSession();
        ctx.body = visitsBody(visitsOf(s.get(VISITS)));
        return;
      }
      case '/static':
        ctx.body = STATIC_BODY;
        return;
    }
  });
  return listen(app.callback(), options.port, engine.close);
};
