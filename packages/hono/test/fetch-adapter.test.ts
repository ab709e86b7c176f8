import { createMemoryStore, SessionConfigError, SessionStoreError } from '@sess/core';
import { createFailingStore } from '@sess/http-test-suite';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { ResponseHeaders, requestFacts, session, withSession } from '../src/index.js';

type Visits = { num_visits?: number };

function cookieOf(response: Response): string {
  return (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

// This file runs on the runtime's own Response (no @hono/node-server, which replaces the global one):
// the one whose redirects have immutable headers, as on Workers, Deno and Bun.
beforeAll(() => {
  expect(() => Response.redirect('https://example.test/', 302).headers.set('x', 'y')).toThrow(TypeError);
});

describe('requestFacts', () => {
  it('reads the Cookie header, any header by name, and the scheme of the URL', () => {
    const facts = requestFacts(
      new Request('https://example.test/a', {
        headers: { cookie: 'sessionid=abc', authorization: 'Bearer k' },
      }),
    );
    expect(facts.cookieHeader).toBe('sessionid=abc');
    expect(facts.header?.('authorization')).toBe('Bearer k');
    expect(facts.header?.('x-missing')).toBeUndefined();
    expect(facts.secure?.()).toBe(true);
    expect(requestFacts(new Request('http://example.test/')).secure?.()).toBe(false);
    expect(requestFacts(new Request('http://example.test/')).cookieHeader).toBeNull();
  });
});

describe('ResponseHeaders', () => {
  it('writes onto a mutable response in place', () => {
    const response = new Response('body', { headers: { vary: 'Accept' } });
    const sink = new ResponseHeaders(response);
    sink.append('Set-Cookie', 'a=1');
    sink.append('Set-Cookie', 'b=2');
    sink.set('Vary', 'Accept, Cookie');
    expect(sink.response).toBe(response);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(sink.get('vary')).toBe('Accept, Cookie');
  });

  it('copies a response whose headers are immutable, keeping its status, headers and body', async () => {
    const redirect = Response.redirect('https://example.test/next', 303);
    const sink = new ResponseHeaders(redirect);
    sink.append('Set-Cookie', 'a=1');
    expect(sink.response).not.toBe(redirect);
    expect(sink.response.status).toBe(303);
    expect(sink.response.headers.get('location')).toBe('https://example.test/next');
    expect(sink.response.headers.getSetCookie()).toEqual(['a=1']);
    expect(await sink.response.text()).toBe('');
  });
});

describe('withSession: a bare fetch handler (Bun.serve, Deno.serve, Workers)', () => {
  it('counts visits across requests, passing the runtime’s extra arguments through', async () => {
    const fetch = withSession<Visits, [{ region: string }]>(
      { store: createMemoryStore() },
      async (_request, context, env) => {
        const s = await context.getSession();
        s.set('num_visits', (s.get('num_visits') ?? 0) + 1);
        return new Response(`${s.get('num_visits')} in ${env.region}`);
      },
    );
    const first = await fetch(new Request('http://example.test/'), { region: 'eu' });
    expect(await first.text()).toBe('1 in eu');
    const second = await fetch(
      new Request('http://example.test/', { headers: { cookie: cookieOf(first) } }),
      {
        region: 'eu',
      },
    );
    expect(await second.text()).toBe('2 in eu');
  });

  it('returns the handler’s own response, untouched, when the session was never asked for', async () => {
    const own = new Response('plain');
    const fetch = withSession({ store: createMemoryStore() }, () => own);
    expect(await fetch(new Request('http://example.test/'))).toBe(own);
  });

  it('puts the cookie on a redirect whose headers are immutable', async () => {
    const store = createMemoryStore();
    const fetch = withSession<Visits>({ store }, async (_request, context) => {
      (await context.getSession()).set('num_visits', 1);
      return Response.redirect('https://example.test/next', 302);
    });
    const response = await fetch(new Request('https://example.test/login'));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://example.test/next');
    const key = cookieOf(response).split('=')[1] as string;
    expect(store.peek(key)?.data).toEqual({ num_visits: 1 });
  });

  it('eager: context.session is there from the start', async () => {
    const fetch = withSession<Visits>(
      { store: createMemoryStore(), eager: true },
      (_request, context) => new Response(String(context.session.size)),
    );
    expect(await (await fetch(new Request('http://example.test/'))).text()).toBe('0');
  });

  it('commits nothing when the handler throws; a store failure of the commit rejects', async () => {
    const store = createMemoryStore();
    const throwing = withSession<Visits>({ store }, async (_request, context) => {
      (await context.getSession()).set('num_visits', 1);
      throw new Error('boom');
    });
    await expect(throwing(new Request('http://example.test/'))).rejects.toThrow('boom');
    expect(store.size).toBe(0);
    const failing = withSession<Visits>(
      { store: createFailingStore(createMemoryStore(), ['create']) },
      async (_request, context) => {
        (await context.getSession()).set('num_visits', 1);
        return new Response('saved?');
      },
    );
    await expect(failing(new Request('http://example.test/'))).rejects.toBeInstanceOf(SessionStoreError);
  });

  it('koa-session’s manuallyCommit() writes now; the response carries one Set-Cookie', async () => {
    const store = createMemoryStore();
    let storedBeforeResponse = 0;
    const fetch = withSession<Visits>({ store }, async (_request, context) => {
      const s = await context.getSession();
      s.set('num_visits', 1);
      await s.manuallyCommit();
      storedBeforeResponse = store.size;
      return new Response('ok');
    });
    const response = await fetch(new Request('http://example.test/'));
    expect(storedBeforeResponse).toBe(1);
    expect(response.headers.getSetCookie()).toHaveLength(1);
  });

  it('rejects invalid options at construction, naming them with @sess/hono', () => {
    expect(() =>
      withSession({ store: createMemoryStore(), eager: 'yes' } as never, () => new Response()),
    ).toThrow(SessionConfigError);
  });
});

describe('the Hono middleware on the runtime’s own Response', () => {
  it('puts the cookie on a Response.redirect() returned by the handler (immutable headers)', async () => {
    const store = createMemoryStore();
    const app = new Hono().use(session<Visits>({ store }));
    app.get('/login', async (c) => {
      (await c.var.getSession()).set('num_visits', 1);
      return Response.redirect(new URL('/next', c.req.url), 302);
    });
    const response = await app.request('https://example.test/login');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://example.test/next');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const key = cookieOf(response).split('=')[1] as string;
    expect(store.peek(key)?.data).toEqual({ num_visits: 1 });
  });
});
