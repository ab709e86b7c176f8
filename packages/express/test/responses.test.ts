import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createMemoryStore, type MemoryStore, SessionAlreadyCommitted } from '@sess/core';
import { Client, createFailingStore, type RunningServer } from '@sess/http-test-suite';
import express5, { type Express, type Request, type RequestHandler, type Response } from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { type ExpressSessionOptions, session } from '../src/index.js';
import { type ExpressFactory, errorHandler, listen } from './harness.js';

const directory = mkdtempSync(join(tmpdir(), 'sess-express-'));
const file = join(directory, 'hello.txt');
writeFileSync(file, 'hello from a file');
const BIG = 'x'.repeat(64 * 1024);

/** Marks the visit, then answers in the way the route's name says. */
const shapes: Record<string, (req: Request, res: Response) => void | Promise<void>> = {
  redirect: (_req, res) => res.redirect('/elsewhere'),
  json: (_req, res) => {
    res.json({ ok: true });
  },
  send: (_req, res) => {
    res.send('sent');
  },
  sendFile: (_req, res) => res.sendFile(file),
  stream: (_req, res) => {
    res.type('text/plain');
    Readable.from(Array.from({ length: 16 }, () => BIG)).pipe(res);
  },
  'early-write': async (_req, res) => {
    res.write('early ');
    await new Promise((resolve) => setTimeout(resolve, 5));
    res.end('late');
  },
  'end-empty': (_req, res) => {
    res.end();
  },
  'no-content': (_req, res) => {
    res.status(204).end();
  },
  'write-head': (_req, res) => {
    res.setHeader('Vary', 'Accept-Encoding');
    res.writeHead(201, { 'Content-Type': 'text/plain', 'Set-Cookie': 'theme=dark; Path=/', Vary: 'Accept' });
    res.end('created');
  },
  'write-head-raw': (_req, res) => {
    res.writeHead(200, ['Content-Type', 'text/plain', 'X-Raw', 'yes']);
    res.end('raw');
  },
  'flush-headers': (_req, res) => {
    res.flushHeaders();
    res.end('flushed');
  },
};

describe.each<[string, ExpressFactory]>([
  ['Express 5', express5],
  ['Express 4', express4],
])('%s: the commit happens before headers go out', (_name, factory) => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(
    store: MemoryStore | ReturnType<typeof createFailingStore>,
    extra: Partial<ExpressSessionOptions> = {},
    routes: (app: Express) => void = () => {},
  ) {
    const app = factory();
    app.use(session({ store, ...extra }));
    app.get('/count', async (req, res) => {
      const s = await req.getSession();
      s.set('num_visits', ((s.get('num_visits') as number | undefined) ?? 0) + 1);
      res.send(String(s.get('num_visits')));
    });
    routes(app);
    for (const [name, shape] of Object.entries(shapes)) {
      const handler: RequestHandler = (req, res, next) => {
        req
          .getSession()
          .then(async (s) => {
            s.set('shape', name);
            await shape(req, res);
          })
          .catch(next);
      };
      app.get(`/${name}`, handler);
    }
    app.get('/conditional', async (req, res) => {
      (await req.getSession()).set('shape', 'conditional');
      res.set('ETag', '"v1"').send('conditional body');
    });
    app.use(errorHandler);
    server = await listen(app);
    return new Client(server.url);
  }

  it.each(Object.keys(shapes))(
    '%s: carries Set-Cookie, and the record is stored when the client sees it',
    async (name) => {
      const store = createMemoryStore();
      const client = await start(store);
      const response = await client.get(`/${name}`);
      const cookie = response.setCookies.find((c) => c.name === 'sessionid');
      expect(cookie?.value).toMatch(/^[a-z0-9]{32}$/);
      expect(store.peek(cookie?.value as string)?.data).toEqual({ shape: name });
      expect(response.headers.get('vary')).toMatch(/\bCookie\b/);
    },
  );

  it('redirect: the Location and status survive the hold', async () => {
    const client = await start(createMemoryStore());
    const response = await client.get('/redirect');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/elsewhere');
  });

  it('json, send, sendFile and end(): bodies arrive intact', async () => {
    const client = await start(createMemoryStore());
    expect(JSON.parse((await client.get('/json')).body)).toEqual({ ok: true });
    expect((await client.get('/send')).body).toBe('sent');
    expect((await client.get('/sendFile')).body).toBe('hello from a file');
    expect((await client.get('/end-empty')).body).toBe('');
  });

  it('a piped stream larger than the socket buffer arrives whole', async () => {
    const client = await start(createMemoryStore());
    const response = await client.get('/stream');
    expect(response.body.length).toBe(16 * BIG.length);
  });

  it('an early res.write() is held, then sent with the rest', async () => {
    const client = await start(createMemoryStore());
    expect((await client.get('/early-write')).body).toBe('early late');
  });

  it('204 and HEAD responses carry the cookie without a body', async () => {
    const client = await start(createMemoryStore());
    const noContent = await client.get('/no-content');
    expect(noContent.status).toBe(204);
    expect(noContent.setCookies).toHaveLength(1);
    const head = await client.request('/send', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.setCookies).toHaveLength(1);
  });

  it('a 304 Not Modified is answered, with the session saved', async () => {
    const client = await start(createMemoryStore());
    const first = await client.get('/conditional');
    expect(first.status).toBe(200);
    // fetch adds Cache-Control: no-cache to conditional requests unless one is given; fresh() would refuse it.
    const second = await client.get('/conditional', {
      'if-none-match': '"v1"',
      'cache-control': 'max-age=0',
    });
    expect(second.status).toBe(304);
    expect(second.body).toBe('');
  });

  it('writeHead(status, headers): its Set-Cookie and Vary join the session’s instead of replacing them', async () => {
    const client = await start(createMemoryStore());
    const response = await client.get('/write-head');
    expect(response.status).toBe(201);
    expect(response.body).toBe('created');
    expect(response.setCookies.map((c) => c.name).sort()).toEqual(['sessionid', 'theme']);
    expect(response.headers.get('vary')).toMatch(/Accept-Encoding/);
    expect(response.headers.get('vary')).toMatch(/\bAccept\b/);
    expect(response.headers.get('vary')).toMatch(/\bCookie\b/);
  });

  it('writeHead(status, rawHeaderList) and flushHeaders() are held too', async () => {
    const client = await start(createMemoryStore());
    const raw = await client.get('/write-head-raw');
    expect(raw.headers.get('x-raw')).toBe('yes');
    expect(raw.setCookies).toHaveLength(1);
    const flushed = await client.get('/flush-headers');
    expect(flushed.body).toBe('flushed');
    expect(flushed.setCookies).toHaveLength(1);
  });

  describe('when the store fails, the held response is dropped and next(err) answers', () => {
    it.each(Object.keys(shapes))('%s', async (name) => {
      const store = createFailingStore(createMemoryStore(), ['create']);
      const client = await start(store);
      const response = await client.get(`/${name}`);
      expect(response.status).toBe(500);
      expect(response.body).toBe('STORE_UNAVAILABLE');
      expect(response.setCookies).toEqual([]);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('x-raw')).toBeNull();
    });

    it('a record deleted during the request answers 400 (SessionInterrupted) without a cookie', async () => {
      const store = createMemoryStore();
      const client = await start(store, {}, (app) => {
        app.get('/vanish', async (req, res) => {
          const s = await req.getSession();
          await store.destroy(s.key as string);
          s.set('num_visits', 99);
          res.redirect('/after');
        });
      });
      await client.get('/count');
      const response = await client.get('/vanish');
      expect(response.status).toBe(400);
      expect(response.body).toBe('SESSION_INTERRUPTED');
      expect(response.setCookies).toEqual([]);
      expect(response.headers.get('location')).toBeNull();
    });
  });

  it('a route that never asks is not held and does no store I/O', async () => {
    const store = createMemoryStore();
    let loads = 0;
    const counted = {
      ...store,
      load: (key: string) => {
        loads++;
        return store.load(key);
      },
    } as MemoryStore;
    const client = await start(counted, {}, (app) => {
      app.get('/plain', (_req, res) => {
        res.write('a');
        res.end('b');
      });
    });
    await client.get('/count');
    const response = await client.get('/plain');
    expect(response.body).toBe('ab');
    expect(response.setCookies).toEqual([]);
    expect(loads).toBe(0);
  });

  it('a session written after its response was committed throws SessionAlreadyCommitted', async () => {
    let late: unknown;
    const client = await start(createMemoryStore(), {}, (app) => {
      app.get('/late', async (req, res) => {
        const s = await req.getSession();
        res.send('done');
        await new Promise((resolve) => res.on('finish', resolve));
        try {
          s.set('num_visits', 1);
        } catch (error) {
          late = error;
        }
      });
    });
    await client.get('/late');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(late).toBeInstanceOf(SessionAlreadyCommitted);
  });

  it('an error of the route still answers through the error handler, saving nothing on a 5xx', async () => {
    const store = createMemoryStore();
    const client = await start(store, {}, (app) => {
      app.get('/boom', async (req, _res, next) => {
        (await req.getSession()).set('num_visits', 1);
        next(Object.assign(new Error('boom'), { code: 'BOOM' }));
      });
    });
    const response = await client.get('/boom');
    expect(response.status).toBe(500);
    expect(response.body).toBe('BOOM');
    expect(response.setCookies).toEqual([]);
    expect(store.size).toBe(0);
  });
});
