import { afterAll, describe, expect, it } from 'vitest';
import { FRAMEWORKS, openEngines, SERVER_ENGINES } from '../src/index.js';
import { keyOf, metaRace, variantsOf } from './support/meta-race.js';
import { sessionCookie } from './support/timeline.js';

/**
 * Issue 15 §5 through the adapters: `save()` on a new session that nothing else changed writes the record
 * (as Django's `save()` on a keyless session goes through `create()`) and sends its cookie, once; the
 * cookie then opens the saved session. No record is left without the cookie that opens it.
 */
const { engines, close } = await openEngines(SERVER_ENGINES);
afterAll(close);

for (const variant of variantsOf(engines)) {
  for (const framework of FRAMEWORKS) {
    describe(`${variant.title} through ${framework}: save() on a new session (issue 15 §5)`, () => {
      it('save() on a new, unmodified session creates the record once and sends its cookie', async () => {
        const { gated, app, raw } = await metaRace(variant, framework);
        const client = app.client();
        const response = await client.get('/save');
        expect(response.status).toBe(200);
        const key = sessionCookie(response)?.value as string;
        expect(key).toMatch(/^[a-z0-9]{32}$/);
        expect(keyOf(client)).toBe(key);
        expect((await raw(key))?.data).toEqual({});
        const writes = gated.calls.filter((call) => call.operation !== 'load');
        expect(writes).toEqual([{ operation: 'create', id: key }]);

        // The cookie opens the saved session: no new key, no deletion, nothing written.
        const next = await client.get('/read');
        expect(JSON.parse(next.body)).toEqual({});
        expect(next.setCookies).toEqual([]);
        expect(keyOf(client)).toBe(key);
        expect(gated.calls.filter((call) => call.operation !== 'load')).toHaveLength(1);
        expect((await client.get('/set?a=1')).setCookies.map((cookie) => cookie.value)).toEqual([key]);
        expect((await raw(key))?.data).toEqual({ a: '1' });
        expect(app.errors).toEqual([]);
      });
    });
  }
}
