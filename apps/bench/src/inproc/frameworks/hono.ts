import { getRequestListener } from '@hono/node-server';
import { Hono, type MiddlewareHandler } from 'hono';
import { VISITS, visitsBody, visitsOf } from '../../contenders/shared.js';
import { sessPackage } from '../engines.js';
import type { Listener } from '../handler.js';
import type { CounterSession, FrameworkApps } from './types.js';

type Env = { Variables: { getSession(): Promise<CounterSession> } };

/** Hono 4 on @hono/node-server (`getRequestListener`), one `app.get('/visit')` route. */
const listenerOf = (app: Hono<Env>): Listener => getRequestListener(app.fetch) as Listener;

export const hono: FrameworkApps = {
  bare() {
    const app = new Hono<Env>();
    app.get('/visit', (c) => c.text(visitsBody(6)));
    return listenerOf(app);
  },

  floor(floor) {
    const app = new Hono<Env>();
    app.get('/visit', async (c) => {
      const reply = await floor.handle(c.req.path, c.req.header('cookie'));
      if (reply.setCookie) c.header('Set-Cookie', reply.setCookie);
      return c.text(reply.body, reply.status as 200);
    });
    return listenerOf(app);
  },

  async sess(root, store) {
    const session = (await sessPackage(root, 'hono')).session as (options: object) => MiddlewareHandler<Env>;
    const app = new Hono<Env>();
    app.use(session({ store, cookieSecure: true }));
    app.get('/visit', async (c) => {
      const s = await c.var.getSession();
      const visits = visitsOf(s.get(VISITS)) + 1;
      s.set(VISITS, visits);
      return c.text(visitsBody(visits));
    });
    return listenerOf(app);
  },
};
