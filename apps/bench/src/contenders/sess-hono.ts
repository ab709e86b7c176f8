import { getRequestListener } from '@hono/node-server';
import { type SessionEnv, session } from '@sess/hono';
import { Hono } from 'hono';
import { sessEngine } from './sess-engines.js';
import { listen, STATIC_BODY, VISITS, visitsBody, visitsOf } from './shared.js';
import type { StartContender } from './types.js';

/** @sess/hono on any sess engine, on Node through @hono/node-server: lazy `await c.var.getSession()`, Secure cookie. */
export const start: StartContender = async (options) => {
  const engine = await sessEngine(options);
  const app = new Hono<SessionEnv<Record<string, unknown>>>();
  app.use(session({ ...engine.options, cookieSecure: true }));
  app.get('/visit', async (c) => {
    const s = await c.var.getSession();
    const visits = visitsOf(s.get(VISITS)) + 1;
    s.set(VISITS, visits);
    return c.text(visitsBody(visits));
  });
  app.get('/read', async (c) => {
    const s = await c.var.getSession();
    return c.text(visitsBody(visitsOf(s.get(VISITS))));
  });
  app.get('/static', (c) => c.text(STATIC_BODY));
  return listen(getRequestListener(app.fetch), options.port, engine.close);
};
