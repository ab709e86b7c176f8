import { createMemoryStore, SessionAlreadyCommitted } from '@sess/core';
import { Client, type RunningServer } from '@sess/http-test-suite';
import Koa3, { type Context } from 'koa';
import Koa2 from 'koa2';
import { afterEach, describe, expect, it } from 'vitest';
import { type KoaSession, type SessionContext, session } from '../src/index.js';
import { listen } from './harness.js';

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

describe.each<[string, typeof Koa3]>([
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as typeof Koa3],
])('%s: no property write on ctx.session is dropped without an error', (_name, Koa) => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start() {
    let kept: KoaSession | undefined;
    const app = new Koa();
    app.silent = true;
    app.use(session({ store: createMemoryStore(), eager: true }));
    app.use(async (context) => {
      const ctx = context as unknown as Context & SessionContext;
      const s = ctx.session as unknown as Loose & KoaSession;
      switch (ctx.path) {
        case '/seed':
          Object.assign(s, { obj: { x: 1 }, list: [1], gone: 'a', undef: 'b', keep: 'k' });
          ctx.body = 'seeded';
          return;
        case '/write-all': {
          s.plain = 'v';
          (s.obj as Loose).x = 2;
          (s.obj as Loose).deep = { y: 1 };
          (s.list as number[]).push(2);
          delete s.gone;
          s.undef = undefined;
          Object.assign(s, { assigned: 1 });
          Object.defineProperty(s, 'defined', {
            value: 3,
            writable: true,
            enumerable: true,
            configurable: true,
          });
          const held = s.obj as Loose;
          await s.save();
          held.afterSave = true;
          ctx.body = {
            member: attempt(() => {
              (s as Loose).save = 1;
            }),
            isNew: attempt(() => {
              (s as Loose).isNew = false;
            }),
            populated: attempt(() => {
              (s as Loose).populated = true;
            }),
            symbol: attempt(() => {
              s[Symbol('x')] = 1;
            }),
            accessor: attempt(() => Object.defineProperty(s, 'computed', { get: () => 1 })),
          };
          return;
        }
        case '/regenerate':
          // koa-session keeps the object and its data across regenerate(): writes after it are stored.
          await s.regenerate();
          s.afterRegenerate = true;
          ctx.body = 'ok';
          return;
        case '/keep':
          kept = ctx.session;
          ctx.body = 'kept';
          return;
        default:
          ctx.body = ctx.session.toJSON();
      }
    });
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
    expect(thrown.member).toMatch(
      /^TypeError: \[@sess\/koa\] "save" is a member.*session\.set\('save', value\)/,
    );
    expect(thrown.isNew).toMatch(/^TypeError: .*"isNew" is a member/);
    expect(thrown.populated).toMatch(/^TypeError: .*"populated" is a member/);
    expect(thrown.symbol).toMatch(/^TypeError: .*symbol key cannot be stored/);
    expect(thrown.accessor).toMatch(/^TypeError: .*not an accessor/);
  });

  it('writes after regenerate() are stored under the new key (the object is kept, as in koa-session)', async () => {
    const { client } = await start();
    await client.get('/seed');
    const before = client.cookies.get('sessionid');
    await client.get('/regenerate');
    expect(client.cookies.get('sessionid')).not.toBe(before);
    expect(JSON.parse((await client.get('/read')).body)).toMatchObject({ keep: 'k', afterRegenerate: true });
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
