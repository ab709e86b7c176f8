import { Readable } from 'node:stream';
import fastifyCookie from '@fastify/cookie';
import { createMemoryStore, isSessionError, SessionAlreadyCommitted, SessionStoreError } from '@sess/core';
import { createFailingStore } from '@sess/http-test-suite';
import { describe, expect, it } from 'vitest';
import { startApp } from './app.js';

describe('the commit in onSend', () => {
  it('a redirect carries the cookie, and the record is stored when the client sees it', async () => {
    const store = createMemoryStore();
    const { client } = await startApp(
      { store },
      {
        routes: (app) => {
          app.get('/go', async (request, reply) => {
            (await request.getSession()).set('items', ['redirect']);
            return reply.redirect('/elsewhere');
          });
        },
      },
    );
    const response = await client().get('/go');
    expect(response.status).toBe(302);
    expect(store.peek(response.setCookies[0]?.value as string)?.data).toEqual({ items: ['redirect'] });
  });

  it('a streamed payload carries the cookie', async () => {
    const store = createMemoryStore();
    const { client } = await startApp(
      { store },
      {
        routes: (app) => {
          app.get('/stream', async (request, reply) => {
            (await request.getSession()).set('items', ['stream']);
            reply.type('text/plain');
            return reply.send(Readable.from(['a', 'b', 'c']));
          });
        },
      },
    );
    const response = await client().get('/stream');
    expect(response.body).toBe('abc');
    expect(store.peek(response.setCookies[0]?.value as string)?.data).toEqual({ items: ['stream'] });
  });

  it('a store failure becomes Fastify’s error reply: no Set-Cookie at all, one store call', async () => {
    const store = createFailingStore(createMemoryStore(), ['create']);
    let creates = 0;
    const create = store.create.bind(store);
    store.create = (...args: Parameters<typeof create>) => {
      creates += 1;
      return create(...args);
    };
    const { client, errors } = await startApp(
      { store },
      {
        before: (app) => {
          app.register(fastifyCookie);
        },
        routes: (app) => {
          app.get('/write', async (request, reply) => {
            (await request.getSession()).set('items', ['lost']);
            reply.setCookie('theme', 'dark');
            return 'handler answered';
          });
        },
      },
    );
    const response = await client().get('/write');
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(response.setCookies).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SessionStoreError);
    expect(creates).toBe(1);
  });

  it('an error handler of the app answers a failed commit, once, and its reply carries no session cookie', async () => {
    const store = createFailingStore(createMemoryStore(), ['create']);
    const handled: unknown[] = [];
    const { client } = await startApp(
      { store },
      {
        before: (app) => {
          app.setErrorHandler(async (error, _request, reply) => {
            handled.push(error);
            if (isSessionError(error)) return reply.code(503).send('sessions are unavailable');
            return reply.send(error);
          });
        },
      },
    );
    const response = await client().get('/count');
    expect(response.status).toBe(503);
    expect(response.body).toBe('sessions are unavailable');
    expect(response.setCookies).toEqual([]);
    expect(handled).toHaveLength(1);
  });

  it('with eager, a store that cannot load fails the request in onRequest: the handler does not run', async () => {
    const store = createFailingStore(createMemoryStore(), ['load']);
    let ran = false;
    const { client } = await startApp(
      { store, eager: true },
      {
        routes: (app) => {
          app.get('/eager', async () => {
            ran = true;
            return 'ran';
          });
        },
      },
    );
    // A cookie of the right shape, so that the eager load asks the store.
    const response = await client().get('/eager', { cookie: `sessionid=${'a'.repeat(32)}` });
    expect(response.status).toBe(500);
    expect(ran).toBe(false);
    expect(response.setCookies).toEqual([]);
  });

  it('a hook that replies without `return reply` (as @fastify/passport redirects): the first reply wins', async () => {
    const store = createMemoryStore();
    let handlerRan = false;
    const { client } = await startApp(
      { store },
      {
        routes: (app) => {
          app.get(
            '/guarded',
            {
              preValidation: async (request, reply) => {
                (await request.getSession()).set('items', ['from the hook']);
                reply.redirect('/login');
              },
            },
            async () => {
              handlerRan = true;
              return 'the handler’s reply';
            },
          );
        },
      },
    );
    const response = await client().get('/guarded');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login');
    expect(response.body).toBe('');
    expect(store.peek(response.setCookies[0]?.value as string)?.data).toEqual({ items: ['from the hook'] });
    // Fastify runs the handler because the hook's reply had not gone out yet; its reply is dropped.
    expect(handlerRan).toBe(true);
  });

  it('a reply that sets the session cookie is not cached: Cache-Control: no-store, Vary: Cookie', async () => {
    const { client } = await startApp({ store: createMemoryStore() });
    const response = await client().get('/count');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('vary')).toBe('Cookie');
  });

  it('a hijacked reply commits nothing: no cookie, no record', async () => {
    const store = createMemoryStore();
    const { client } = await startApp(
      { store },
      {
        routes: (app) => {
          app.get('/raw', async (request, reply) => {
            (await request.getSession()).set('items', ['never saved']);
            reply.hijack();
            reply.raw.end('raw');
          });
        },
      },
    );
    const response = await client().get('/raw');
    expect(response.body).toBe('raw');
    expect(response.setCookies).toEqual([]);
    expect(store.size).toBe(0);
  });

  it('a write after the commit (in onResponse) throws SessionAlreadyCommitted', async () => {
    let late: unknown;
    const { client } = await startApp(
      { store: createMemoryStore() },
      {
        routes: (app) => {
          app.addHook('onResponse', async (request) => {
            try {
              request.session.set('items', ['too late']);
            } catch (error) {
              late = error;
            }
          });
        },
      },
    );
    await client().get('/count');
    expect(late).toBeInstanceOf(SessionAlreadyCommitted);
  });

  it('a handler error with a 4xx status still commits (as Django), a 5xx one does not', async () => {
    const store = createMemoryStore();
    const { client } = await startApp(
      { store },
      {
        routes: (app) => {
          app.get('/fail', async (request) => {
            (await request.getSession()).set('items', ['kept']);
            const status = Number((request.query as { status: string }).status);
            throw Object.assign(new Error('handler failed'), { statusCode: status });
          });
        },
      },
    );
    const bad = await client().get('/fail?status=422');
    expect(bad.status).toBe(422);
    expect(store.peek(bad.setCookies[0]?.value as string)?.data).toEqual({ items: ['kept'] });
    const broken = await client().get('/fail?status=500');
    expect(broken.status).toBe(500);
    expect(broken.setCookies).toEqual([]);
  });
});
