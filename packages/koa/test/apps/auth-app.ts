import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { SessionStore } from '@sess/core/store';
import type Koa from 'koa';
import passport from 'koa-passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { session } from '../../src/index.js';

/** A user of the app. */
export interface User {
  id: number;
  username: string;
}

const USERS: User[] = [{ id: 1, username: 'alice' }];

// koa-passport's README configures its singleton once, at start-up.
passport.use(
  new LocalStrategy((username, password, done) => {
    const user = USERS.find((u) => u.username === username);
    done(null, user && password === 'secret' ? user : false);
  }),
);
passport.serializeUser((user, done) => done(null, (user as User).id));
passport.deserializeUser((id: number, done) => done(null, USERS.find((u) => u.id === id) ?? false));

/** Options of {@link authApp}. */
export interface AuthAppOptions {
  /** Passport's `keepSessionInfo` on login and logout. @default false */
  keepSessionInfo?: boolean;
  /** The session middleware's `eager` option. @default true (what the README shows for Passport apps) */
  eager?: boolean | ((ctx: Koa.Context) => boolean);
}

/**
 * A Koa app written for koa-session, unchanged but for the session middleware: koa-passport 6 with
 * passport-local, @koa/router and @koa/bodyparser as their READMEs set them up. Routes: `GET /form` (the
 * failure messages Passport keeps in the session), `POST /login`, `GET /account` (protected), `POST /cart`
 * (adds an item), `POST /logout`.
 */
export function authApp(KoaClass: typeof Koa, store: SessionStore, options: AuthAppOptions = {}): Koa {
  const { keepSessionInfo = false, eager = true } = options;
  const app = new KoaClass();
  app.silent = true;
  app.use(bodyParser());
  app.use(session({ store, eager }));
  app.use(passport.initialize());
  app.use(passport.session());

  const router = new Router();
  router.get('/form', (ctx) => {
    const messages = (ctx.session.messages as string[] | undefined) ?? [];
    delete ctx.session.messages;
    ctx.body = { messages };
  });
  router.post(
    '/login',
    passport.authenticate('local', {
      successRedirect: '/account',
      failureRedirect: '/form',
      failureMessage: 'Invalid username or password.',
      keepSessionInfo,
    }),
  );
  router.get('/account', (ctx) => {
    if (!ctx.isAuthenticated()) {
      ctx.redirect('/form');
      return;
    }
    ctx.body = { user: (ctx.state.user as User).username, data: ctx.session.toJSON() };
  });
  router.post('/cart', (ctx) => {
    const cart = (ctx.session.cart as string[] | undefined) ?? [];
    ctx.session.cart = [...cart, String((ctx.request.body as { item?: string }).item)];
    ctx.body = ctx.session.cart;
  });
  router.post('/logout', async (ctx) => {
    await (ctx.logout as (options: object) => Promise<void>)({ keepSessionInfo });
    ctx.redirect('/form');
  });
  app.use(router.routes());
  return app;
}

/** A form body, as a browser posts it. */
export function form(fields: Record<string, string>) {
  return {
    method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}
