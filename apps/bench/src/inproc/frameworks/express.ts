import type { IncomingMessage } from 'node:http';
import express from 'express';
import { VISITS, visitsBody, visitsOf } from '../../contenders/shared.js';
import { sessPackage } from '../engines.js';
import type { Listener } from '../handler.js';
import type { CounterSession, FrameworkApps } from './types.js';

type SessionMiddleware = express.RequestHandler & {
  getSession(req: IncomingMessage): Promise<CounterSession>;
};

/** Express 5 behind a proxy (`trust proxy`), one `app.get('/visit')` route. */
function app(): express.Express {
  const created = express();
  created.set('trust proxy', 1);
  return created;
}

export const express5: FrameworkApps = {
  bare() {
    const bare = app();
    bare.get('/visit', (_req, res) => {
      res.send(visitsBody(6));
    });
    return bare as Listener;
  },

  floor(floor) {
    const floored = app();
    floored.get('/visit', async (req, res) => {
      const reply = await floor.handle(req.path, req.headers.cookie);
      if (reply.status !== 200) res.status(reply.status);
      if (reply.setCookie) res.set('Set-Cookie', reply.setCookie);
      res.send(reply.body);
    });
    return floored as Listener;
  },

  async sess(root, store) {
    const session = (await sessPackage(root, 'express')).session as (options: object) => SessionMiddleware;
    const sessions = session({ store, cookieSecure: true });
    const withSessions = app();
    withSessions.use(sessions);
    withSessions.get('/visit', async (req, res) => {
      const s = await sessions.getSession(req);
      const visits = visitsOf(s.get(VISITS)) + 1;
      s.set(VISITS, visits);
      res.send(visitsBody(visits));
    });
    return withSessions as Listener;
  },
};
