import type { SessionData } from '@sess/core';
import express from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import type { ExpressSession, SessionCookie, SessionRequestFields } from '../src/index.js';

type Cart = { items: string[]; num_visits?: number };

describe('req.session’s types (with the declaration merge of test/session-types.d.ts)', () => {
  it('types req.session as present: the getter throws SessionNotLoaded rather than answer undefined', () => {
    express().get('/', (req) => {
      expectTypeOf(req.session).toEqualTypeOf<ExpressSession<SessionData>>();
      expectTypeOf(req.sessionID).toEqualTypeOf<string>();
      expectTypeOf(req.getSession).returns.resolves.toEqualTypeOf<ExpressSession<SessionData>>();
    });
  });

  it('types the data keys, express-session’s methods and the cookie for an app’s own Data', () => {
    type Session = SessionRequestFields<Cart>['session'];
    expectTypeOf<Session>().toEqualTypeOf<ExpressSession<Cart>>();
    expectTypeOf<Session['items']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<Session['cookie']>().toEqualTypeOf<SessionCookie>();
    expectTypeOf<Session['cookie']['maxAge']>().toEqualTypeOf<number | null>();
    expectTypeOf<Session['id']>().toEqualTypeOf<string | null>();
    expectTypeOf((s: Session) => s.regenerate((error) => error)).returns.toEqualTypeOf<Session>();
    expectTypeOf((s: Session) => s.save()).returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf((s: Session) => s.touch()).returns.toEqualTypeOf<Session>();
  });
});
