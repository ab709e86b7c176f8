import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { AdapterUnderTest, RunningServer } from '@sess/http-test-suite';
import Koa from 'koa';
import Koa2 from 'koa2';
import { type KoaSessionOptions, session } from '../src/index.js';

/** Listens on a free port of 127.0.0.1 and returns the URL and an awaitable close. */
export async function listen(app: Pick<Koa, 'listen'>): Promise<RunningServer> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** The adapter on one Koa major (Koa 3 as `koa`, Koa 2 as `koa2`), for the HTTP suite. */
export function koaAdapter(KoaClass: typeof Koa): AdapterUnderTest {
  return {
    async start(setup, handler) {
      const { cookieFor } = setup;
      const options: KoaSessionOptions = {
        ...setup.options,
        ...(cookieFor ? { cookieFor: (ctx) => cookieFor(ctx.path) } : {}),
      };
      const app = new KoaClass().use(session(options));
      app.silent = true;
      app.use(async (ctx) => {
        const response = await handler({
          method: ctx.method,
          path: ctx.path,
          query: new URLSearchParams(ctx.querystring),
          getSession: () => ctx.getSession(),
          get session() {
            return ctx.session;
          },
        });
        ctx.status = response.status ?? 200;
        ctx.type = 'text/plain';
        ctx.body = response.body ?? '';
      });
      return listen(app);
    },
  };
}

/**
 * The adapter on every supported Koa major, by name. Engines can run the HTTP suite over their own storage
 * with it: `describeAdapter(name, adapter, { storage })` (see @sess/http-test-suite's README).
 */
export const koaAdapters: Record<string, AdapterUnderTest> = {
  'Koa 3': koaAdapter(Koa),
  'Koa 2': koaAdapter(Koa2 as typeof Koa),
};
