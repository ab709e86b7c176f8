import { generateSessionKey } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import type { SetCookie } from './client.js';
import type { SuiteContext } from './context.js';
import { standardRoutes } from './routes.js';

/** Changes one character of `value` (the last), so a key or signature no longer matches. */
export function flipLastCharacter(value: string): string {
  const last = value.at(-1);
  return value.slice(0, -1) + (last === 'a' ? 'b' : 'a');
}

/** True for a Set-Cookie that deletes the cookie. */
export function isDeletion(cookie: SetCookie): boolean {
  return cookie.value === '' && cookie.attributes.get('max-age') === '0';
}

const HOSTILE = [
  '../../../etc/passwd',
  'a'.repeat(4000),
  "' OR 1=1 --",
  '%00%0d%0a',
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  '{"__proto__":{"admin":true}}',
  's1.not-base64!!',
];

/** A cookie the server did not issue is never adopted: forged, tampered or hostile, it starts afresh. */
export function adoptionTests(context: SuiteContext): void {
  const { serve, storage } = context;
  const forge = () => storage.forge?.() ?? generateSessionKey();
  const tamper = (value: string) => storage.tamper?.(value) ?? flipLastCharacter(value);

  describe('cookies the server did not issue', () => {
    it('does not adopt a forged key: a write gets a fresh key, nothing is stored under the forged one', async () => {
      const server = await serve(standardRoutes);
      const client = server.client();
      const forged = forge();
      client.cookies.set('sessionid', forged);
      const response = await client.get('/count');
      expect(response.body).toBe('1');
      const issued = response.setCookies.find((cookie) => cookie.name === 'sessionid');
      expect(issued?.value).toBeTruthy();
      expect(issued?.value).not.toBe(forged);
      if (server.store) expect(await server.store.load(forged)).toBeNull();
      expect((await client.get('/count')).body).toBe('2');
    });

    it('answers a forged key with an empty session, writes nothing, and deletes the cookie', async () => {
      const server = await serve(standardRoutes);
      const client = server.client();
      client.cookies.set('sessionid', forge());
      const response = await client.get('/read');
      expect(JSON.parse(response.body)).toEqual({});
      expect(response.setCookies.length).toBeGreaterThan(0);
      expect(response.setCookies.every(isDeletion)).toBe(true);
      expect(server.writes()).toBe(0);
    });

    it('starts a fresh session for a tampered cookie and leaves the real one intact', async () => {
      const server = await serve(standardRoutes);
      const owner = server.client();
      await owner.get('/count');
      const issued = owner.cookies.get('sessionid') as string;
      const attacker = server.client();
      const tampered = tamper(issued);
      expect(tampered).not.toBe(issued);
      attacker.cookies.set('sessionid', tampered);
      const response = await attacker.get('/count');
      expect(response.body).toBe('1');
      const fresh = response.setCookies.find((cookie) => cookie.name === 'sessionid')?.value;
      expect(fresh).toBeTruthy();
      expect([issued, tampered]).not.toContain(fresh);
      expect((await owner.get('/count')).body).toBe('2');
    });

    it.each(HOSTILE.map((value) => [value.slice(0, 30), value]))(
      'treats the hostile cookie %j as no session, without an error or a write',
      async (_title, value) => {
        const server = await serve(standardRoutes);
        const client = server.client();
        client.cookies.set('sessionid', value);
        const response = await client.get('/read');
        expect(response.status).toBe(200);
        expect(JSON.parse(response.body)).toEqual({});
        expect(response.setCookies.every(isDeletion)).toBe(true);
        expect(server.writes()).toBe(0);
      },
    );
  });
}
