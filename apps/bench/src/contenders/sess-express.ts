import { session } from '@sess/express';
import express from 'express';
import { sessEngine } from './sess-engines.js';
import { listen, STATIC_BODY, VISITS, visitsBody, visitsOf } from './shared.js';
import type { StartContender } from './types.js';

/** @sess/express on any sess engine: lazy `await req.getSession()`, Secure cookie behind a TLS proxy. */
export const start: StartContender = async (options) => {
  const engine = await sessEngine(options);
  const app = express();
  app.set('trust proxy', 1);
  const sessions = session({ ...engine.options, cookieSecure: true });
  app.use(sessions);
  app.get('/visit', async (req, res) => {
    const s = await sessions.getSession(req);
    const visits = visitsOf(s.get(VISITS)) + 1;
    s.set(VISITS, visits);
    res.send(visitsBody(visits));
  });
  app.get('/read', async (req, res) => {
    const s = await sessions.getSession(req);
    res.send(visitsBody(visitsOf(s.get(VISITS))));
  });
  app.get('/static', (_req, res) => {
    res.send(STATIC_BODY);
  });
  return listen(app, options.port, engine.close);
};
