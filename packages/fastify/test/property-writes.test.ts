import { createMemoryStore } from '@sess/core';
import { describe, expect, it } from 'vitest';
import type { FastifySession } from '../src/index.js';
import { startApp } from './app.js';

type Write = (session: FastifySession) => void;

/** Writes through `write` on a loaded session with `{ user: 'ada', items: ['a'] }`, then reads the data back. */
async function afterWrite(write: Write) {
  const store = createMemoryStore();
  const { client } = await startApp(
    { store, eager: true },
    {
      routes: (app) => {
        app.get('/seed', async (request) => {
          request.session.set('user', 'ada');
          request.session.set('items', ['a']);
          return 'seeded';
        });
        app.get('/write', async (request) => {
          write(request.session);
          return 'written';
        });
        app.get('/read', async (request) => JSON.stringify(request.session.toJSON()));
      },
    },
  );
  const c = client();
  await c.get('/seed');
  await c.get('/write');
  return JSON.parse((await c.get('/read')).body) as unknown;
}

describe('writes to request.session, read back on the next request', () => {
  it.each<[string, Write, unknown]>([
    ['a property', (s) => Object.assign(s, { theme: 'dark' }), { user: 'ada', items: ['a'], theme: 'dark' }],
    ['a nested change in place', (s) => s.get('items')?.push('b'), { user: 'ada', items: ['a', 'b'] }],
    ['a property read and changed in place', (s) => s.items?.push('c'), { user: 'ada', items: ['a', 'c'] }],
    ['delete', (s) => delete s.user, { items: ['a'] }],
    ['a property set to undefined', (s) => Object.assign(s, { user: undefined }), { items: ['a'] }],
    // @fastify/passport clears `returnTo` and logs out with set(key, undefined).
    [
      'set(key, undefined), as @fastify/passport writes',
      (s) => s.set('user', undefined as never),
      { items: ['a'] },
    ],
  ])('%s', async (_name, write, expected) => {
    expect(await afterWrite(write)).toEqual(expected);
  });

  it('a member name is refused as a data key, naming set()', async () => {
    let refused: unknown;
    await afterWrite((s) => {
      try {
        Object.assign(s, { sessionId: 'forged' });
      } catch (error) {
        refused = error;
      }
    });
    expect(String(refused)).toMatch(/"sessionId" is a member of the session[\s\S]*session\.set\('sessionId'/);
  });
});
