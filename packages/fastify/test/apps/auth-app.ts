import fastifyPassport from '@fastify/passport';
import type { SessionStore } from '@sess/core/store';
import Fastify, { type FastifyInstance } from 'fastify';
import { Strategy as LocalStrategy } from 'passport-local';
import { type FastifySessionOptions, session } from '../../src/index.js';

/** A user of the app (password `lovelace`). */
export interface User {
  id: string;
  username: string;
  password: string;
}

/** The app's users, by id. */
export const USERS = new Map<string, User>([['7', { id: '7', username: 'ada', password: 'lovelace' }]]);

/** Options of {@link authApp}. */
export interface AuthAppOptions {
  /** Options of the Authenticator (`clearSessionOnLogin`…). */
  authenticator?: ConstructorParameters<typeof fastifyPassport.Authenticator>[0];
  /** Options of `authenticate('local', …)` besides the redirects (`keepSessionInfo`…). */
  login?: Record<string, unknown>;
  /** What the deserializer answers for a stored id. @default the user with that id */
  deserialize?: (id: string) => unknown;
  /** The plugin's options besides `store`. @default `{ eager: true }` (the README's Passport setup) */
  session?: Partial<FastifySessionOptions>;
}

/**
 * A Fastify app written for @fastify/session, unchanged but for the session plugin: @fastify/passport 4
 * (which registers @fastify/flash) with passport-local, as their READMEs set them up, over `store`. Routes:
 * `POST /login` (JSON `{ username, password }`; redirects to `/me`, or to `/login` with a flash message),
 * `GET /login` (the flashed errors), `GET /me` (the user's name or `anonymous`), `POST /logout`,
 * `GET /before-login` (stores `theme` and flashes `info`), `GET /flash` (the `info` messages).
 */
export function authApp(store: SessionStore, options: AuthAppOptions = {}): FastifyInstance {
  const passport = new fastifyPassport.Authenticator(options.authenticator);
  passport.use(
    'local',
    new LocalStrategy((username, password, done) => {
      const user = [...USERS.values()].find((u) => u.username === username);
      if (!user || user.password !== password)
        return done(null, false, { type: 'error', message: 'Wrong credentials' } as { message: string });
      return done(null, user);
    }),
  );
  passport.registerUserSerializer(async (user: User) => user.id);
  passport.registerUserDeserializer(async (id: string) =>
    (options.deserialize ?? ((key) => USERS.get(key)))(id),
  );

  const app = Fastify();
  app.register(session, { store, eager: true, ...options.session } as FastifySessionOptions);
  app.register(passport.initialize());
  app.register(passport.secureSession());
  app.post(
    '/login',
    {
      preValidation: passport.authenticate('local', {
        successRedirect: '/me',
        failureRedirect: '/login',
        failureFlash: true,
        ...options.login,
      }),
    },
    async () => 'unreachable',
  );
  app.get('/login', async (_request, reply) => JSON.stringify(reply.flash('error')));
  app.get('/me', async (request) => (request.user ? (request.user as User).username : 'anonymous'));
  app.post('/logout', async (request) => {
    await request.logout();
    return 'bye';
  });
  app.get('/before-login', async (request) => {
    request.session.set('theme', 'dark');
    request.flash('info', 'welcome');
    return 'noted';
  });
  app.get('/flash', async (_request, reply) => JSON.stringify(reply.flash('info')));
  return app;
}
