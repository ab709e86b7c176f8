import { describe, expect, it } from 'vitest';
import { createMemoryStore, createSessionManager, type SessionData } from '../src/index.js';
import { cookieHeaderFor, createTestClock } from '../src/testing.js';
import { countingStore } from './support/counting-manager.js';

async function setup(data: SessionData) {
  const clock = createTestClock();
  const inner = createMemoryStore({ clock });
  const counting = countingStore(inner);
  const manager = createSessionManager({ store: counting.store, clock });
  const cookie = await cookieHeaderFor(manager, data);
  const key = cookie.slice('sessionid='.length);
  const open = async () => {
    const request = manager.open({ cookieHeader: cookie });
    return { request, session: await request.load() };
  };
  counting.calls.create = 0;
  return { ...counting, inner, manager, cookie, key, open };
}

type Car = { wheels: string; seats?: number };

describe('nested mutation is saved without `modified = true`', () => {
  it('an object from get() changed in place is saved', async () => {
    const { open, inner, key } = await setup({ car: { wheels: 'steel' }, n: 1 });
    const { request, session } = await open();
    (session.get('car') as Car).wheels = 'alloy';
    expect(session.modified).toBe(false);
    const result = await request.commit(200);
    expect(result.action).toBe('save');
    expect(result.setCookie).toHaveLength(1);
    expect(inner.peek(key)?.data).toEqual({ car: { wheels: 'alloy' }, n: 1 });
  });

  it.each([
    ['entries()', (s: { entries(): [string, unknown][] }) => s.entries().find(([k]) => k === 'car')?.[1]],
    ['values()', (s: { values(): unknown[] }) => s.values().find((v) => typeof v === 'object')],
  ])('an object from %s changed in place is saved', async (_name, pick) => {
    const { open, inner, key } = await setup({ n: 1, car: { wheels: 'steel' } });
    const { request, session } = await open();
    (pick(session) as Car).seats = 5;
    const result = await request.commit(200);
    expect(result.action).toBe('save');
    expect(inner.peek(key)?.data).toEqual({ n: 1, car: { wheels: 'steel', seats: 5 } });
  });

  it('an array pushed to is saved, and only the changed key goes in the delta', async () => {
    const { open, inner, key, updates } = await setup({ cart: ['apple'], n: 1 });
    const { request, session } = await open();
    (session.get('cart') as string[]).push('pear');
    await request.commit(200);
    expect(inner.peek(key)?.data).toEqual({ cart: ['apple', 'pear'], n: 1 });
    expect(updates).toHaveLength(1);
    expect(updates[0]?.delta).toEqual({ set: { cart: ['apple', 'pear'] }, unset: [] });
  });

  it('an object changed after set() is saved as it is at commit', async () => {
    const { open, inner, key } = await setup({ n: 1 });
    const { request, session } = await open();
    const car: Car = { wheels: 'steel' };
    session.set('car', car);
    car.wheels = 'carbon';
    await request.commit(200);
    expect(inner.peek(key)?.data).toEqual({ n: 1, car: { wheels: 'carbon' } });
  });

  it('reading objects without changing them writes nothing and sends no cookie', async () => {
    const { open, calls, writes } = await setup({ car: { wheels: 'steel' }, tags: ['a'], n: 1 });
    const { request, session } = await open();
    session.get('car');
    session.entries();
    session.values();
    session.toJSON();
    expect(session.has('tags')).toBe(true);
    const result = await request.commit(200);
    expect(result).toEqual({ setCookie: [], vary: true, action: 'none' });
    expect(calls.load).toBe(1);
    expect(writes()).toBe(0);
  });

  it('changing an object and changing it back is not a change', async () => {
    const { open, writes } = await setup({ car: { wheels: 'steel' } });
    const { request, session } = await open();
    const car = session.get('car') as Car;
    car.wheels = 'alloy';
    car.wheels = 'steel';
    const result = await request.commit(200);
    expect(result.action).toBe('none');
    expect(writes()).toBe(0);
  });
});

describe('delta writes on a store with the delta capability', () => {
  it('two requests that change different keys of one session both survive', async () => {
    const { open, inner, key } = await setup({ a: 1, b: 1, c: 1 });
    const first = await open();
    const second = await open();
    first.session.set('a', 2);
    second.session.set('b', 2);
    second.session.delete('c');
    await first.request.commit(200);
    await second.request.commit(200);
    expect(inner.peek(key)?.data).toEqual({ a: 2, b: 2 });
  });

  it('the update carries only the changed keys, and the whole data beside it', async () => {
    const { open, updates } = await setup({ a: 1, b: 1, gone: true });
    const { request, session } = await open();
    session.set('a', 2);
    session.pop('gone');
    await request.commit(200);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.delta).toEqual({ set: { a: 2 }, unset: ['gone'] });
    expect(updates[0]?.data).toEqual({ a: 2, b: 1 });
  });

  it('a key removed then set again is written, not removed', async () => {
    const { open, updates, inner, key } = await setup({ a: 1 });
    const { request, session } = await open();
    session.delete('a');
    session.set('a', 3);
    await request.commit(200);
    expect(updates[0]?.delta).toEqual({ set: { a: 3 }, unset: [] });
    expect(inner.peek(key)?.data).toEqual({ a: 3 });
  });

  it('clear() writes the whole record (no delta), so it wins over a concurrent change', async () => {
    const { open, inner, key, updates } = await setup({ a: 1, b: 1 });
    const clearing = await open();
    const other = await open();
    clearing.session.clear();
    clearing.session.set('c', 1);
    other.session.set('b', 2);
    await other.request.commit(200);
    await clearing.request.commit(200);
    expect(updates).toHaveLength(2);
    expect(updates[1]?.delta).toBeUndefined();
    expect(updates[1]?.data).toEqual({ c: 1 });
    expect(inner.peek(key)?.data).toEqual({ c: 1 });
  });

  it('clear() does no store I/O by itself', async () => {
    const { open, calls, writes } = await setup({ a: 1 });
    const { session } = await open();
    session.clear();
    expect(calls.load).toBe(1);
    expect(writes()).toBe(0);
  });
});
