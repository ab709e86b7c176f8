import { createMemoryStore, createSessionManager, type Session, SessionConfigError } from '@sess/core';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type HonoSession, type HonoSessionOptions, type SessionEnv, session } from '../src/index.js';

type Cart = { items: string[]; num_visits?: number };

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('HonoSessionOptions', () => {
  const store = createMemoryStore();
  const manager = createSessionManager({ store });

  it.each<[string, HonoSessionOptions]>([
    ['manager options', { store, cookieName: 'sid' }],
    ['eager: true', { store, eager: true }],
    ['eager as a function of the context', { store, eager: (c) => c.req.path === '/' }],
    ['cookieFor', { store, cookieFor: (c) => ({ domain: new URL(c.req.url).hostname }) }],
    ['a static route policy', { store, policy: { readOnly: true, failOpen: true } }],
    [
      'a route policy per request',
      { store, policy: (c) => (c.req.method === 'GET' ? { readOnly: true } : undefined) },
    ],
    ['a prebuilt manager', { manager }],
    ['a prebuilt manager with adapter options', { manager, eager: true }],
  ])('accepts %s', (_name, options) => {
    expect(typeof session(options)).toBe('function');
  });

  it('uses the prebuilt manager as it is', () => {
    expect(session({ manager }).manager).toBe(manager);
  });

  it.each<[string, string, unknown]>([
    ['eager as a string', 'eager', { store, eager: 'yes' }],
    ['cookieFor that is not a function', 'cookieFor', { store, cookieFor: { domain: 'x' } }],
    ['a policy with a misspelt flag', 'policy', { store, policy: { readonly: true } }],
    ['a manager that is not one', 'manager', { manager: { open: 1 } }],
    ['a store beside a manager', 'store', { manager, store }],
    ['options that are not an object', 'options', undefined],
  ])('rejects %s, naming `%s`', (_name, option, options) => {
    const error = thrown(() => session(options as HonoSessionOptions));
    expect(error).toBeInstanceOf(SessionConfigError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', option });
    expect((error as Error).message).toMatch(/^\[@sess\/hono\] option `/);
  });

  it.each<[string, unknown, RegExp]>([
    [
      'secret',
      { secret: 'x'.repeat(32) },
      /`secret`: a server-side session needs no secret.*createCookieStore/,
    ],
    ['duration', { duration: { absolute: 3600 } }, /`duration`: use cookieAge .* and absoluteTimeout/],
    ['generateId', { generateId: () => 'id' }, /`generateId`: keys are always 32 characters/],
  ])('refuses @hono/session’s `%s`, saying what sess does instead', (_name, options, hint) => {
    const error = thrown(() => session({ store, ...(options as object) } as HonoSessionOptions));
    expect(error).toBeInstanceOf(SessionConfigError);
    expect((error as Error).message).toMatch(/^\[@sess\/hono\] unknown option/);
    expect((error as Error).message).toMatch(hint);
  });
});

describe('typing through Hono’s Variables', () => {
  const store = createMemoryStore();

  it('types c.var.session and c.var.getSession() for the handlers chained after app.use()', () => {
    new Hono().use(session<Cart>({ store })).get('/', async (c) => {
      expectTypeOf(c.var.getSession).returns.resolves.toEqualTypeOf<HonoSession<Cart>>();
      expectTypeOf(c.get('session')).toEqualTypeOf<HonoSession<Cart>>();
      expectTypeOf(c.var.session.get('items')).toEqualTypeOf<string[] | undefined>();
      expectTypeOf(c.var.session).toMatchTypeOf<Session<Cart>>();
      return c.text('ok');
    });
  });

  it('types an app, a sub-app or another middleware declared with SessionEnv<Data>', () => {
    const app = new Hono<SessionEnv<Cart>>();
    app.get('/', (c) => {
      expectTypeOf(c.var.session.items).toEqualTypeOf<string[] | undefined>();
      return c.text('ok');
    });
    const needsCart = createMiddleware<SessionEnv<Cart>>(async (c, next) => {
      expectTypeOf(await c.var.getSession()).toEqualTypeOf<HonoSession<Cart>>();
      await next();
    });
    expect(typeof needsCart).toBe('function');
  });

  it('refuses, at compile time, the @hono/session calls whose meaning differs in sess', () => {
    new Hono().use(session<Cart>({ store })).get('/', async (c) => {
      const s = c.var.session;
      const guard = (call: () => unknown) => expect(typeof call).toBe('function');
      // @ts-expect-error @hono/session's `await session.get()` (all data): sess's get takes a key
      guard(() => s.get());
      // @ts-expect-error @hono/session's `update(fn)`: sess's update merges an object of keys
      guard(() => s.update((previous: Cart | null) => ({ ...previous, items: [] })));
      // @ts-expect-error @hono/session's `delete()` (end the session): sess's delete takes a key
      guard(() => s.delete());
      // @ts-expect-error @hono/session's `data` getter: sess has toJSON() and per-key reads
      guard(() => s.data.items);
      return c.text('ok');
    });
  });
});
