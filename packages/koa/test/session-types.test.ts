import { createMemoryStore } from '@sess/core';
import Koa from 'koa';
import { describe, expectTypeOf, it } from 'vitest';
import { type KoaSession, type SessionContext, session } from '../src/index.js';

type Cart = { items: string[]; num_visits?: number };

describe('ctx.session’s types', () => {
  it('types ctx.session as present (the getter throws SessionNotLoaded before the load), with Data’s keys', () => {
    new Koa().use(session<Cart>({ store: createMemoryStore(), eager: true })).use(async (ctx) => {
      expectTypeOf(ctx.session).toEqualTypeOf<KoaSession<Cart>>();
      expectTypeOf(ctx.session.items).toEqualTypeOf<string[] | undefined>();
      expectTypeOf(ctx.session.maxAge).toEqualTypeOf<number | 'session'>();
      expectTypeOf(ctx.session.isNew).toEqualTypeOf<boolean>();
      expectTypeOf(ctx.session.regenerate()).toEqualTypeOf<Promise<void>>();
      expectTypeOf(ctx.session.manuallyCommit()).toEqualTypeOf<Promise<void>>();
    });
  });

  it('accepts ctx.session = null and ctx.session = { … } (koa-session’s setter)', () => {
    expectTypeOf<SessionContext<Cart>>().toHaveProperty('session');
    const assign = (ctx: SessionContext<Cart>) => {
      ctx.session = null;
      ctx.session = { items: [] };
    };
    expectTypeOf(assign).toBeFunction();
  });
});
