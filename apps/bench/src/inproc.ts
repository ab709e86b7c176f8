/**
 * The CPU cost of the session layer, in process: `pnpm --dir apps/bench run inproc [options]`.
 *
 * Drives the counter app with fake request/response objects (no sockets, no wrk, no store I/O: a stub store
 * answers at once) and reads the process's CPU time, in slices that alternate between the contenders. What it
 * measures is what sess adds per request on top of the bare framework, and the slices make it steady even when
 * other work shares the machine. With `--against <checkout>` the same app also runs on the sess packages of
 * another checkout (its `packages/<name>/dist`), so a change is measured against the code before it.
 * `--engine cookie` uses the sealed cookie engine (beside the AES-GCM floor on Koa); `--engine redis` the Redis
 * store on a server you run (`--redis-url`, default `$REDIS_URL`), beside the ioredis floor on Koa: then the
 * driver's work counts too, and the requests wait for Redis one at a time (waiting costs no CPU).
 * Each line gives the median and the best slice (on a shared machine the best is the least disturbed), the
 * cost over the bare framework, and the bytes allocated per request, which other work on the machine does
 * not change.
 */
import http from 'node:http';
import { Socket } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import express from 'express';
import { Redis } from 'ioredis';
import Koa from 'koa';
import { cookieFloor, redisFloor } from './contenders/floor-logic.js';
import { SECRET, VISITS, visitsBody, visitsOf } from './contenders/shared.js';
import { median } from './stats.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

const { values } = parseArgs({
  options: {
    framework: { type: 'string', default: 'koa' },
    engine: { type: 'string', default: 'stub' },
    against: { type: 'string' },
    slices: { type: 'string', default: '15' },
    requests: { type: 'string', default: '2000' },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  },
});
/** With `--engine redis`: one client for every contender (sess's store and the floor), on a Redis you run. */
const redis =
  values.engine === 'redis' ? new Redis(values['redis-url'], { maxRetriesPerRequest: 1 }) : undefined;
const KEY = 'abcdefghij0123456789abcdefghij01';
const HERE = resolve(new URL('../../..', import.meta.url).pathname);

/** A store that answers at once: the session layer's own work is all that is left to measure. */
function stubStore() {
  return {
    name: 'stub',
    capabilities: { delta: true, ownerIndex: false, nativeExpiry: true, expiryResolution: 'ms' as const },
    async load() {
      const now = Date.now();
      return {
        data: { [VISITS]: 5 },
        expiresAt: now + 1e9,
        meta: { createdAt: now - 1e3, lastSeenAt: now - 1e3 },
      };
    },
    create: async () => true,
    update: async () => true,
    touch: async () => true,
    async destroy() {},
  };
}

async function sessApp(root: string): Promise<Handler> {
  const dist = (name: string) => import(`${root}/packages/${name}/dist/index.js`);
  const engine =
    values.engine === 'cookie'
      ? { store: (await dist('store-cookie')).createCookieStore({ secretKey: SECRET }) }
      : redis
        ? {
            store: (await dist('store-redis')).createRedisStore(redis, {
              prefix: `inproc:${Math.random()}:`,
            }),
          }
        : { store: stubStore() };
  if (values.framework === 'express') {
    const sessions = (await dist('express')).session({ ...engine, cookieSecure: true });
    const app = express();
    app.set('trust proxy', 1);
    app.use(sessions);
    app.get('/visit', async (req, res) => {
      const s = await sessions.getSession(req);
      const visits = visitsOf(s.get(VISITS)) + 1;
      s.set(VISITS, visits);
      res.send(visitsBody(visits));
    });
    return expressHandler(app);
  }
  const app = new Koa();
  app.proxy = true;
  app.use((await dist('koa')).session({ ...engine, cookieSecure: true }));
  app.use(async (ctx) => {
    const s = await (
      ctx as unknown as {
        getSession(): Promise<{ get(k: string): unknown; set(k: string, v: unknown): void }>;
      }
    ).getSession();
    const visits = visitsOf(s.get(VISITS)) + 1;
    s.set(VISITS, visits);
    ctx.body = visitsBody(visits);
  });
  return app.callback() as Handler;
}

/** Who waits for each response's `end()` to run (Node's own `end`, after any wrapper let it through). */
const ended = new WeakMap<http.ServerResponse, () => void>();
const nodeEnd = http.ServerResponse.prototype.end;
// Patched on the prototype, not on each response: an own `end` on the response would change how a session
// middleware that wraps the response's methods sets itself up, and so what is measured.
http.ServerResponse.prototype.end = function end(this: http.ServerResponse, ...args: unknown[]) {
  const out = (nodeEnd as (...a: unknown[]) => unknown).apply(this, args);
  ended.get(this)?.();
  return out;
} as typeof nodeEnd;

function expressHandler(app: express.Express): Handler {
  return (req, res) =>
    new Promise<void>((done) => {
      ended.set(res, done);
      app(req as express.Request, res as express.Response);
    });
}

function bareApp(): Handler {
  if (values.framework === 'express') {
    const app = express();
    app.set('trust proxy', 1);
    app.get('/visit', (_req, res) => {
      res.send(visitsBody(6));
    });
    return expressHandler(app);
  }
  const app = new Koa();
  app.proxy = true;
  app.use((ctx) => {
    ctx.body = visitsBody(6);
  });
  return app.callback() as Handler;
}

function floorApp(floor: ReturnType<typeof cookieFloor>): Handler {
  const app = new Koa();
  app.proxy = true;
  app.use(async (ctx) => {
    const reply = await floor.handle(ctx.path, ctx.get('Cookie') || undefined);
    if (reply.setCookie) ctx.set('Set-Cookie', reply.setCookie);
    ctx.body = reply.body;
  });
  return app.callback() as Handler;
}

async function request(handler: Handler, cookie: string | undefined): Promise<http.ServerResponse> {
  const req = new http.IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = '/visit';
  req.headers = { host: 'bench', 'x-forwarded-proto': 'https', ...(cookie ? { cookie } : {}) };
  const res = new http.ServerResponse(req);
  await handler(req, res);
  return res;
}

/** The cookie a returning visitor sends: a stub key, or a real cookie from a first visit. */
async function cookieOf(handler: Handler, real: boolean): Promise<string> {
  if (!real) return `sessionid=${KEY}`;
  const header = (await request(handler, undefined)).getHeader('set-cookie');
  return String(Array.isArray(header) ? header[0] : header).split(';')[0] ?? '';
}

const contenders: Record<string, { handler: Handler; cookie: string }> = {};
const add = async (name: string, handler: Handler, sealed: boolean) => {
  contenders[name] = { handler, cookie: await cookieOf(handler, sealed) };
};
const sealed = values.engine === 'cookie' || redis !== undefined;
await add(`sess (${HERE})`, await sessApp(HERE), sealed);
if (values.against)
  await add(`sess (${resolve(values.against)})`, await sessApp(resolve(values.against)), sealed);
if (values.framework === 'koa' && values.engine === 'cookie')
  await add('floor: AES-GCM cookie', floorApp(cookieFloor()), true);
if (values.framework === 'koa' && redis)
  await add('floor: ioredis + HMAC cookie', floorApp(redisFloor(redis)), true);
await add(`bare ${values.framework}`, bareApp(), false);

/** Bytes the heap grew by while `run` ran, garbage collections included (V8's GC profiler sees each one). */
async function allocated(run: () => Promise<void>): Promise<number> {
  const profiler = new v8.GCProfiler();
  const start = v8.getHeapStatistics().used_heap_size;
  profiler.start();
  await run();
  const end = v8.getHeapStatistics().used_heap_size;
  const gcs = profiler.stop()?.statistics ?? [];
  let total = 0;
  let from = start;
  for (const gc of gcs) {
    total += gc.beforeGC.heapStatistics.usedHeapSize - from;
    from = gc.afterGC.heapStatistics.usedHeapSize;
  }
  return total + end - from;
}

const slices = Number(values.slices);
const perSlice = Number(values.requests);
const costs: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
const bytes: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
for (let slice = -2; slice < slices; slice++) {
  for (const [name, { handler, cookie }] of Object.entries(contenders)) {
    const runSlice = async () => {
      for (let i = 0; i < perSlice; i++) await request(handler, cookie);
    };
    const before = process.cpuUsage();
    await runSlice();
    const used = process.cpuUsage(before);
    // The first two slices only warm up the JIT.
    if (slice >= 0) costs[name]?.push((used.user + used.system) / perSlice);
    if (slice >= 0 && slice < 3) {
      // Three slices more, for the bytes allocated per request (deterministic enough that three suffice).
      bytes[name]?.push((await allocated(runSlice)) / perSlice);
    }
  }
}
const bare = median(costs[`bare ${values.framework}`] ?? []);
console.log(
  `${values.framework}, ${values.engine} engine: server CPU µs per returning-visitor request (median of ${slices} slices)`,
);
for (const [name, list] of Object.entries(costs)) {
  const cost = median(list);
  const best = Math.min(...list);
  const heap = median(bytes[name] ?? []);
  console.log(
    `  ${cost.toFixed(1).padStart(7)} µs (best ${best.toFixed(1)})   +${(cost - bare).toFixed(1).padStart(6)} over bare   ${Math.round(heap).toString().padStart(6)} B allocated   ${name}`,
  );
}
redis?.disconnect();
