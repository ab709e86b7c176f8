import connectPgSimple from 'connect-pg-simple';
import { RedisStore } from 'connect-redis';
import express from 'express';
import session, { type Store } from 'express-session';
import pg from 'pg';
import { createClient } from 'redis';
import { COOKIE_AGE_SECONDS, listen, SECRET, STATIC_BODY, visitsBody, visitsOf } from './shared.js';
import type { StartContender } from './types.js';

declare module 'express-session' {
  interface SessionData {
    num_visits: number;
  }
}

interface PeerStore {
  store: Store | undefined;
  close(): Promise<void>;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`bench: this contender needs ${what}`);
  return value;
}

/** The store as each README sets it up: connect-redis on a `redis` v5 client, connect-pg-simple on a pg.Pool. */
async function peerStore(variant: string, options: Parameters<StartContender>[0]): Promise<PeerStore> {
  switch (variant) {
    case 'memory':
      return { store: undefined, close: async () => {} };
    case 'redis': {
      const client = createClient({ url: need(options.redisUrl, 'redisUrl') });
      client.on('error', (error) => console.error('redis client error', error));
      await client.connect();
      return {
        store: new RedisStore({ client, prefix: 'myapp:' }),
        close: async () => {
          client.destroy();
        },
      };
    }
    case 'pg': {
      const pool = new pg.Pool({ connectionString: need(options.databaseUrl, 'databaseUrl') });
      pool.on('error', (error) => console.error('idle PostgreSQL connection lost', error));
      const PgStore = connectPgSimple(session);
      const store = new PgStore({ pool, createTableIfMissing: true });
      return {
        store,
        close: async () => {
          await store.close();
          await pool.end();
        },
      };
    }
    default:
      throw new Error(`bench: no express-session store named ${variant}`);
  }
}

/**
 * express-session as its README and the stores' READMEs advise for production: `resave: false`,
 * `saveUninitialized: false`, a Secure cookie with `trust proxy`, the cookie's maxAge as the TTL.
 */
export const start: StartContender = async (options) => {
  const { store, close } = await peerStore(options.variant, options);
  const app = express();
  app.set('trust proxy', 1);
  app.use(
    session({
      ...(store ? { store } : {}),
      secret: SECRET,
      resave: false,
      saveUninitialized: false,
      cookie: { secure: true, httpOnly: true, sameSite: 'lax', maxAge: COOKIE_AGE_SECONDS * 1000 },
    }),
  );
  app.get('/visit', (req, res) => {
    const visits = visitsOf(req.session.num_visits) + 1;
    req.session.num_visits = visits;
    res.send(visitsBody(visits));
  });
  app.get('/read', (req, res) => {
    res.send(visitsBody(visitsOf(req.session.num_visits)));
  });
  app.get('/static', (_req, res) => {
    res.send(STATIC_BODY);
  });
  return listen(app, options.port, close);
};
