import Koa from 'koa';
import { VISITS, visitsBody, visitsOf } from '../../contenders/shared.js';
import { sessPackage } from '../engines.js';
import type { CounterSession, FrameworkApps } from './types.js';

type SessionMiddleware = (options: object) => Koa.Middleware;

/** Koa 3 behind a proxy (`app.proxy`), one middleware answering every request as `GET /visit`. */
export const koa: FrameworkApps = {
  bare() {
    const app = new Koa();
    app.proxy = true;
    app.use((ctx) => {
      ctx.body = visitsBody(6);
    });
    return app.callback();
  },

  floor(floor) {
    const app = new Koa();
    app.proxy = true;
    app.use(async (ctx) => {
      const reply = await floor.handle(ctx.path, ctx.get('Cookie') || undefined);
      if (reply.status !== 200) ctx.status = reply.status;
      if (reply.setCookie) ctx.set('Set-Cookie', reply.setCookie);
      ctx.body = reply.body;
    });
    return app.callback();
  },

  async sess(root, store) {
    const session = (await sessPackage(root, 'koa')).session as SessionMiddleware;
    const app = new Koa();
    app.proxy = true;
    app.use(session({ store, cookieSecure: true }));
    app.use(async (ctx) => {
      const s = await (ctx as unknown as { getSession(): Promise<CounterSession> }).getSession();
      const visits = visitsOf(s.get(VISITS)) + 1;
      s.set(VISITS, visits);
      ctx.body = visitsBody(visits);
    });
    return app.callback();
  },
};
