import { createMemoryStore, SessionAlreadyCommitted } from '@sess/core';
import { Client, type RunningServer } from '@sess/http-test-suite';
import express5 from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { type ExpressSession, session } from '../src/index.js';
import { type ExpressFactory, errorHandler, listen } from './harness.js';

type Loose = Record<PropertyKey, unknown>;

/** Runs `write` and answers the error's class and message, or 'stored' when it did not throw. */
function attempt(write: () => void): string {
  try {
    write();
    return 'stored';
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe.each<[string, ExpressFactory]>([
  ['Express 5', express5],
  ['Express 4', express4],
])('%s: no property write on req.session is dropped without an error', (_name, factory) => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start() {
    const app = factory();
    let kept: ExpressSession | undefined;
    app.use(session({ store: createMemoryStore(), eager: true }));
    app.get('/seed', (req, res) => {
      Object.assign(req.session, { obj: { x: 1 }, list: [1], gone: 'a', undef: 'b', keep: 'k' });
      res.send('seeded');
    });
    app.get('/write-all', async (req, res) => {
      const s = req.session as unknown as Loose & ExpressSession;
      s.plain = 'v';
      (s.obj as Loose).x = 2;
      (s.obj as Loose).deep = { y: 1 };
      (s.list as number[]).push(2);
      delete s.gone;
      s.undef = undefined;
      Object.assign(s, { assigned: 1 });
      Object.defineProperty(s, 'defined', { value: 3, writable: true, enumerable: true, configurable: true });
      // A value read before an explicit save and changed after it.
      const held = s.obj as Loose;
      await s.save();
      held.afterSave = true;
      res.json({
        member: attempt(() => {
          (s as Loose).save = 1;
        }),
        cookie: attempt(() => {
          (s as Loose).cookie = {};
        }),
        id: attempt(() => {
          (s as Loose).id = 'mine';
        }),
        symbol: attempt(() => {
          s[Symbol('x')] = 1;
        }),
        accessor: attempt(() => Object.defineProperty(s, 'computed', { get: () => 1 })),
      });
    });
    app.get('/regenerate', (req, res, next) => {
      const old = req.session as unknown as Loose & ExpressSession;
      old.regenerate((error) => {
        if (error) return next(error);
        (req.session as unknown as Loose).fresh = true;
        res.json({ old: attempt(() => (old.stale = true)) });
      });
    });
    app.get('/destroy', (req, res, next) => {
      const old = req.session as unknown as Loose & ExpressSession;
      old.destroy((error) => {
        if (error) return next(error);
        res.json({ old: attempt(() => (old.stale = true)) });
      });
    });
    app.get('/keep', (req, res) => {
      kept = req.session;
      res.send('kept');
    });
    app.get('/read', (req, res) => {
      res.json(req.session.toJSON());
    });
    app.use(errorHandler);
    server = await listen(app);
    return { client: new Client(server.url), kept: () => kept };
  }

  it('stores every kind of data write and reads it back on the next request; the rest throws', async () => {
    const { client } = await start();
    await client.get('/seed');
    const thrown = JSON.parse((await client.get('/write-all')).body);
    expect(JSON.parse((await client.get('/read')).body)).toEqual({
      keep: 'k',
      plain: 'v',
      obj: { x: 2, deep: { y: 1 }, afterSave: true },
      list: [1, 2],
      assigned: 1,
      defined: 3,
    });
    expect(thrown.member).toMatch(/^TypeError: .*member of the session.*session\.set\('save', value\)/);
    expect(thrown.cookie).toMatch(/^TypeError: .*"cookie" is a member/);
    expect(thrown.id).toMatch(/^TypeError: .*"id" is a member/);
    expect(thrown.symbol).toMatch(/^TypeError: .*symbol key cannot be stored/);
    expect(thrown.accessor).toMatch(/^TypeError: .*not an accessor/);
  });

  it('a write through the object regenerate() replaced throws; the new req.session stores', async () => {
    const { client } = await start();
    await client.get('/seed');
    expect(JSON.parse((await client.get('/regenerate')).body).old).toMatch(
      /^TypeError: .*regenerated: set "stale" on the new req\.session/,
    );
    expect(JSON.parse((await client.get('/read')).body)).toEqual({ fresh: true });
  });

  it('a write through the object destroy() ended throws', async () => {
    const { client } = await start();
    await client.get('/seed');
    expect(JSON.parse((await client.get('/destroy')).body).old).toMatch(/^TypeError: .*destroyed: "stale"/);
    expect(JSON.parse((await client.get('/read')).body)).toEqual({});
  });

  it('a write after the response committed throws SessionAlreadyCommitted', async () => {
    const { client, kept } = await start();
    await client.get('/keep');
    const s = kept() as unknown as Loose;
    expect(() => {
      s.late = 1;
    }).toThrow(SessionAlreadyCommitted);
    expect(() => {
      delete s.late;
    }).toThrow(SessionAlreadyCommitted);
  });
});
