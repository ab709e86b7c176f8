import { createSessionManager, isSessionError, type SessionManager } from '@sess/core';
import { createCookieStore } from '@sess/store-cookie';
import { afterAll, describe, expect, it } from 'vitest';
import { type App, appRoutes, FRAMEWORKS, openEngines, serveApp } from '../src/index.js';

/**
 * Engines without an owner index answer owner operations with `CapabilityMissing`, and the framework turns
 * it into an error response: files and memcached keep the owner in the record but cannot list by it;
 * Django mode and the cookie engine keep no metadata, so even binding an owner is refused.
 */
const { engines, close } = await openEngines(['file', 'memcached', 'django']);
afterAll(close);

function lastError(app: App): unknown {
  return app.errors.at(-1);
}

const managers: [string, () => Promise<SessionManager>][] = [
  ...engines.map((engine): [string, () => Promise<SessionManager>] => [
    engine.title,
    async () => createSessionManager({ store: (await engine.storage()).store }),
  ]),
  [
    'the sealed cookie engine',
    async () =>
      createSessionManager({
        store: createCookieStore({ secretKey: 'integration-owners-secret-0123456789abcdef' }),
      }),
  ],
];

for (const [title, makeManager] of managers) {
  for (const framework of FRAMEWORKS) {
    describe(`${title} through ${framework}`, () => {
      it("CapabilityMissing: listing or revoking an owner's sessions is an error response (no owner index)", async () => {
        const app = await serveApp(framework, { manager: await makeManager() }, appRoutes);
        const client = app.client();
        const login = await client.get('/login?user=ada');
        const bindsOwners = title !== 'PostgreSQL (Django mode)' && title !== 'the sealed cookie engine';
        if (bindsOwners) {
          expect(login.status).toBe(200);
        } else {
          expect(login.status).toBe(500);
          expect(login.setCookies).toEqual([]);
          expect(isSessionError(lastError(app)) && lastError(app)).toMatchObject({
            code: 'CAPABILITY_MISSING',
          });
          await client.get('/set?user=ada');
        }
        for (const path of ['/sessions', '/logout-others']) {
          const response = await client.get(path);
          expect(response.status).toBe(500);
          expect(response.setCookies).toEqual([]);
          expect(isSessionError(lastError(app)) && lastError(app)).toMatchObject({
            code: 'CAPABILITY_MISSING',
          });
        }
        expect((await client.get('/me')).body).toBe('ada');
      });
    });
  }
}
