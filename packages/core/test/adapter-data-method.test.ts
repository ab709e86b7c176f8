import { createMemoryStore } from '@sess/core';
import { type CompatIdioms, createSessionAdapter, type HeaderSink } from '@sess/core/adapter';
import { describe, expect, it } from 'vitest';

const headers: HeaderSink = { get: () => undefined, set: () => {}, append: () => {} };

async function loaded(idioms: CompatIdioms) {
  const adapter = createSessionAdapter({ store: createMemoryStore() }, idioms);
  const binding = adapter.open({}, {}, { status: () => 200, headers });
  return binding.getSession() as Promise<
    Record<string, unknown> & { set(key: string, value: unknown): void }
  >;
}

describe('the compatible session’s data()', () => {
  it('is a deep copy of the data for idioms that declare it (@fastify/secure-session, @fastify/passport)', async () => {
    const session = await loaded({
      source: 'x',
      property: 'request.session',
      regenerate: 'new-session',
      dataMethod: true,
    });
    session.set('cart', { items: ['a'] });
    const copy = (session.data as () => { cart: { items: string[] } })();
    expect(copy).toEqual({ cart: { items: ['a'] } });
    copy.cart.items.push('b');
    expect((session as unknown as { get(key: string): unknown }).get('cart')).toEqual({ items: ['a'] });
    expect(() => {
      session.data = 1;
    }).toThrow(/member of the session/);
  });

  it('leaves `data` a data key for the other idioms (express-session, koa-session)', async () => {
    const session = await loaded({ source: 'x', property: 'req.session', regenerate: 'new-session' });
    expect(session.data).toBeUndefined();
    session.data = { rows: 2 };
    expect(session.data).toEqual({ rows: 2 });
    expect('data' in session).toBe(true);
    expect(Object.keys(session)).toEqual(['data']);
    delete session.data;
    expect('data' in session).toBe(false);
  });
});
