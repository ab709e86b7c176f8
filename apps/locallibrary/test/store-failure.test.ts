import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client } from './client.js';
import { startTestSite, type TestSite } from './sites.js';

/** A loopback port nothing listens on (taken, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe.each(['koa', 'express', 'hono', 'fastify'] as const)(
  '%s with a session store that refuses connections',
  (framework) => {
    let test: TestSite;

    beforeAll(async () => {
      const port = await closedPort();
      test = await startTestSite(framework, 'memcached', { MEMCACHED_SERVERS: `127.0.0.1:${port}` });
    });
    afterAll(async () => {
      await test?.stop();
    });

    it('answers 503 with no session cookie, and pages without a session still work', async () => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const browser = new Client(test.url);
        const home = await browser.get('/');
        expect(home.status).toBe(503);
        expect(home.text).toContain('The session store is not answering.');
        expect(home.setCookies).toEqual([]);
        expect(String(error.mock.calls[0]?.[1] ?? '')).toContain('@sess/store-memcached');

        const page = await browser.get('/logged-out');
        expect(page.status).toBe(200);
      } finally {
        error.mockRestore();
      }
    });
  },
);
