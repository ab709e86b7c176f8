import type { IncomingMessage } from 'node:http';
import type { SessionStore } from '@sess/core/store';
import flash from 'connect-flash';
import { csrfSync } from 'csrf-sync';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { session } from '../../src/index.js';
import { type ExpressFactory, errorHandler } from '../harness.js';

/** A user of the app. */
export interface User {
  id: number;
  username: string;
}

const USERS: User[] = [{ id: 1, username: 'alice' }];

/** Options of {@link authApp}. */
export interface AuthAppOptions {
  /** Passport's `keepSessionInfo` on login and logout. @default false */
  keepSessionInfo?: boolean;
  /** The session middleware's `eager` option. @default true (what the README shows for Passport apps) */
  eager?: boolean | ((req: IncomingMessage) => boolean);
}

/**
 * An Express app written for express-session, unchanged but for the session middleware: Passport 0.7 with
 * passport-local, connect-flash and csrf-sync (its token in the session) as their READMEs set them up.
 * Routes: `GET /form` (a CSRF token and the flashed errors and notices), `POST /login`, `GET /account`
 * (protected), `POST /cart` (adds an item), `POST /logout`, `GET /health` (no session needed).
 */
export function authApp(factory: ExpressFactory, store: SessionStore, options: AuthAppOptions = {}) {
  const { keepSessionInfo = false, eager = true } = options;
  const authenticator = new passport.Passport();
  authenticator.use(
    new LocalStrategy((username, password, done) => {
      const user = USERS.find((u) => u.username === username);
      done(null, user && password === 'secret' ? user : false);
    }),
  );
  authenticator.serializeUser((user, done) => done(null, (user as User).id));
  authenticator.deserializeUser((id: number, done) => done(null, USERS.find((u) => u.id === id) ?? false));
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (req.body as { _csrf?: string } | undefined)?._csrf,
  });

  const app = factory();
  app.get('/health', (_req, res) => {
    res.send('ok');
  });
  app.use(factory.urlencoded({ extended: false }));
  app.use(session({ store, eager }));
  app.use(authenticator.session());
  app.use(flash());

  app.get('/form', (req, res) => {
    res.json({ csrf: generateToken(req), errors: req.flash('error'), notices: req.flash('info') });
  });
  app.post(
    '/login',
    csrfSynchronisedProtection,
    authenticator.authenticate('local', {
      successRedirect: '/account',
      failureRedirect: '/form',
      failureFlash: 'Invalid username or password.',
      keepSessionInfo,
    }),
  );
  app.get('/account', (req, res) => {
    if (!req.isAuthenticated()) {
      res.redirect('/form');
      return;
    }
    res.json({ user: (req.user as User).username, data: req.session.toJSON() });
  });
  app.post('/cart', csrfSynchronisedProtection, (req, res) => {
    const cart = (req.session.cart as string[] | undefined) ?? [];
    cart.push(String((req.body as { item?: string }).item));
    req.session.cart = cart;
    res.json(req.session.cart);
  });
  app.post('/logout', csrfSynchronisedProtection, (req, res, next) => {
    req.logout({ keepSessionInfo }, (error) => {
      if (error) {
        next(error);
        return;
      }
      req.flash('info', 'You are logged out.');
      res.redirect('/form');
    });
  });
  app.use(errorHandler);
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
