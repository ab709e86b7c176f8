import { djangoDumps, djangoLoads } from '@sess/core/codecs';
import { createTestClock } from '@sess/core/testing';
import { describe, expect, it } from 'vitest';
import { DjangoOpError, djangoAtLeast, INTEROP_SAMPLES } from '../../django-interop/src/index.js';
import { COOKIE_AGE, COOKIE_SALT, nodeRequest, openDjangoCookieWorld, signedAt } from './django-support.js';

/**
 * Signed mode against a real Django's `signed_cookies` engine (Debian's python3-django, through Django's
 * own SessionMiddleware, signed_cookies SessionStore and django.core.signing): one `sessionid` cookie
 * value that both read and both write.
 */
const world = await openDjangoCookieWorld();
const { django, secretKey, version } = world;
const manager = world.manager();
const readsIso = djangoAtLeast(django.version, 4, 1);
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A cookie Django's middleware set for a new session holding `data`. */
async function djangoCookie(data: Record<string, unknown>): Promise<string> {
  const response = await django.request(undefined, [['update', data]]);
  const value = response.cookies.sessionid?.value;
  if (!value) throw new Error('Django set no session cookie');
  return value;
}

/** `signing.dumps(value)` by Django under the signed_cookies salt, as if signed at `time` (Unix seconds). */
async function djangoSignedAt(value: unknown, time: number, salt = COOKIE_SALT): Promise<string> {
  const [dumped] = await django.run([{ op: 'signingDumps', value, salt, time }]);
  if (!dumped.ok) throw new Error(`signingDumps failed: ${dumped.message}`);
  return dumped.text;
}

/** One character of the payload changed, the signature kept. */
const tamper = (value: string): string => {
  const at = value.startsWith('.') ? 1 : 0;
  return `${value.slice(0, at)}${value[at] === 'e' ? 'f' : 'e'}${value.slice(at + 1)}`;
};

describe('Django signs, Node reads and changes it, Django reads the change', () => {
  for (const [name, data] of Object.entries(INTEROP_SAMPLES)) {
    it(`${name}`, async () => {
      const value = await djangoCookie(data);
      let seen: unknown;
      const response = await nodeRequest(manager, value, (session) => {
        seen = session.toJSON();
        session.set('fromNode', 'ñ ✓ 😀');
      });
      expect(seen).toEqual(data);
      expect(response.value).toMatch(/^\.?[\w-]+:[0-9A-Za-z]+:[\w-]{43}$/);

      const back = await django.request(`sessionid=${response.value}`, [['get', 'fromNode']]);
      expect(back.seen).toEqual({ fromNode: 'ñ ✓ 😀' });
      expect(back.data).toEqual({ ...data, fromNode: 'ñ ✓ 😀' });
      expect(back.cookies).toEqual({});
    });
  }

  it('a Node handler sees who is logged in, and leaves Django’s login keys intact', async () => {
    const login = INTEROP_SAMPLES['a Django login'] as Record<string, string>;
    const value = await djangoCookie({ ...login, cart: [1] });
    let user: unknown;
    const response = await nodeRequest(manager, value, (session) => {
      user = session.get('_auth_user_id');
      session.set('cart', [1, 2]);
    });
    expect(user).toBe('42');
    const back = await django.request(`sessionid=${response.value}`, [
      ['get', '_auth_user_id'],
      ['get', '_auth_user_backend'],
      ['get', '_auth_user_hash'],
      ['get', 'cart'],
    ]);
    expect(back.seen).toEqual({ ...login, cart: [1, 2] });
  });
});

describe('Node signs, Django reads and changes it, Node reads the change', () => {
  for (const [name, data] of Object.entries(INTEROP_SAMPLES)) {
    it(`${name}`, async () => {
      const created = await nodeRequest(manager, null, (session) => session.update(data));
      const first = Object.keys(data)[0] as string;
      const response = await django.request(`sessionid=${created.value}`, [
        ['get', first],
        ['set', 'fromDjango', 'Ünïcødé ✓'],
      ]);
      expect(response.seen).toEqual({ [first]: data[first] });
      expect(response.data).toEqual({ ...data, fromDjango: 'Ünïcødé ✓' });
      const value = response.cookies.sessionid?.value as string;
      expect(value).not.toBe(created.value);

      let seen: unknown;
      await nodeRequest(manager, value, (session) => {
        seen = session.toJSON();
      });
      expect(seen).toEqual({ ...data, fromDjango: 'Ünïcødé ✓' });
    });
  }
});

describe('the same bytes', () => {
  // Small enough that neither Python's zlib nor Node's saves the 2 bytes compression needs: the payload is
  // plain base64 JSON, so the bytes depend on the JSON (Python's escaping of Zoë and 😀) and the HMAC only.
  const data = { user: 'ada', name: 'Zoë 😀', f: 1.5, none: null };

  it("Node's cookie is exactly Django's signing.dumps of the same data at the same second", async () => {
    const value = (await nodeRequest(manager, null, (session) => session.update(data))).value as string;
    expect(value.startsWith('.')).toBe(false);
    expect(await djangoSignedAt(data, signedAt(value) / 1000)).toBe(value);
  });

  it("Django's cookie is exactly what Node signs for the same data at the same second", async () => {
    const value = await djangoCookie(data);
    expect(value.startsWith('.')).toBe(false);
    expect(djangoDumps(data, { secret: secretKey, salt: COOKIE_SALT, nowMs: signedAt(value) })).toBe(value);
  });

  it('compressed payloads (zlib, a "." before the payload) go both ways', async () => {
    const large = INTEROP_SAMPLES['large and compressible'] as Record<string, unknown>;
    const fromDjango = await djangoCookie(large);
    expect(fromDjango).toMatch(/^\.eJ/);
    await nodeRequest(manager, fromDjango, (session) => {
      expect(session.toJSON()).toEqual(large);
    });
    const fromNode = (await nodeRequest(manager, null, (session) => session.update(large))).value as string;
    expect(fromNode).toMatch(/^\.eJ/);
    expect(fromNode.length).toBeLessThan(JSON.stringify(large).length / 4);
    const [loaded] = await django.run([{ op: 'signingLoads', text: fromNode, salt: COOKIE_SALT }]);
    expect(loaded).toMatchObject({ ok: true, value: large });
    expect((await django.request(`sessionid=${fromNode}`, [['get', 'history']])).seen).toEqual(large);
  });
});

describe("Django's max-age check, on both sides", () => {
  it('a cookie Django signed more than SESSION_COOKIE_AGE ago is refused by both', async () => {
    const value = await djangoSignedAt({ n: 1 }, nowSeconds() - COOKIE_AGE - 5);
    const seenByDjango = await django.request(`sessionid=${value}`, [['get', 'n']]);
    expect(seenByDjango.seen).toEqual({ n: null });
    expect(seenByDjango.data).toEqual({});
    const response = await nodeRequest(manager, value, (session) => {
      expect(session.size).toBe(0);
    });
    expect(response.value).toBeNull();
  });

  it('a cookie Django signed a minute inside SESSION_COOKIE_AGE opens on both', async () => {
    const value = await djangoSignedAt({ n: 1 }, nowSeconds() - COOKIE_AGE + 60);
    expect((await django.request(`sessionid=${value}`, [['get', 'n']])).seen).toEqual({ n: 1 });
    await nodeRequest(manager, value, (session) => {
      expect(session.get('n')).toBe(1);
    });
  });

  it('a cookie Node signed more than SESSION_COOKIE_AGE ago is refused by both', async () => {
    const past = world.manager({}, { clock: createTestClock(Date.now() - (COOKIE_AGE + 5) * 1000) });
    const value = (await nodeRequest(past, null, (session) => session.set('n', 1))).value as string;
    await nodeRequest(past, value, (session) => {
      expect(session.get('n')).toBe(1);
    });
    expect((await django.request(`sessionid=${value}`, [['get', 'n']])).seen).toEqual({ n: null });
    await nodeRequest(manager, value, (session) => {
      expect(session.size).toBe(0);
    });
  });

  it('SESSION_COOKIE_AGE = 60 on Django and cookieAge = 60 on Node: the same line for both', async () => {
    const short = await world.otherDjango(secretKey, [], { SESSION_COOKIE_AGE: 60 });
    const shortManager = world.manager({}, { cookieAge: 60 });
    const stale = await djangoSignedAt({ n: 1 }, nowSeconds() - 90);
    const fresh = await djangoSignedAt({ n: 2 }, nowSeconds() - 30);
    expect((await short.request(`sessionid=${stale}`, [['get', 'n']])).seen).toEqual({ n: null });
    expect((await short.request(`sessionid=${fresh}`, [['get', 'n']])).seen).toEqual({ n: 2 });
    await nodeRequest(shortManager, stale, (session) => expect(session.size).toBe(0));
    await nodeRequest(shortManager, fresh, (session) => expect(session.get('n')).toBe(2));
    const response = await nodeRequest(shortManager, null, (session) => session.set('n', 3));
    expect(response.setCookie).toContain('Max-Age=60');
    expect((await short.request(`sessionid=${response.value}`, [['get', 'n']])).seen).toEqual({ n: 3 });
  });
});

describe('expiry variants', () => {
  it('set_expiry(300) in Django: Node reads the age and keeps sending Max-Age=300, and back', async () => {
    const first = await django.request(undefined, [
      ['set', 'a', 1],
      ['expiry', 300],
    ]);
    expect(first.cookies.sessionid?.['max-age']).toBe(300);
    let age: number | undefined;
    const response = await nodeRequest(manager, first.cookies.sessionid?.value, (session) => {
      age = session.getExpiryAge();
      session.set('b', 2);
    });
    expect(age).toBe(300);
    expect(response.setCookie).toContain('Max-Age=300');
    const back = await django.request(`sessionid=${response.value}`, [['set', 'c', 3]]);
    expect(back.data).toEqual({ a: 1, _session_expiry: 300, b: 2, c: 3 });
    expect(back.cookies.sessionid?.['max-age']).toBe(300);
  });

  it('set_expiry(0) in Django: a browser-session cookie on both sides', async () => {
    const first = await django.request(undefined, [
      ['set', 'a', 1],
      ['expiry', 0],
    ]);
    expect(first.cookies.sessionid?.['max-age']).toBeUndefined();
    let atClose: boolean | undefined;
    const response = await nodeRequest(manager, first.cookies.sessionid?.value, (session) => {
      atClose = session.getExpireAtBrowserClose();
      session.set('b', 2);
    });
    expect(atClose).toBe(true);
    expect(response.setCookie).not.toMatch(/Max-Age|Expires/i);
  });

  it('setExpiry(600) and setExpiry(0) in Node: Django sends Max-Age=600, then a browser-session cookie', async () => {
    const timed = (await nodeRequest(manager, null, (session) => session.setExpiry(600))).value;
    const six = await django.request(`sessionid=${timed}`, [['set', 'touched', true]]);
    expect(six.cookies.sessionid?.['max-age']).toBe(600);
    const closing = (await nodeRequest(manager, null, (session) => session.setExpiry(0))).value;
    const zero = await django.request(`sessionid=${closing}`, [['set', 'touched', true]]);
    expect(zero.cookies.sessionid?.value).toBeTruthy();
    expect(zero.cookies.sessionid?.['max-age']).toBeUndefined();
  });

  it('neither side enforces a custom expiry when opening (Django #19201): only the signing age counts', async () => {
    const value = await djangoSignedAt({ a: 1, _session_expiry: 30 }, nowSeconds() - 60);
    expect((await django.request(`sessionid=${value}`, [['get', 'a']])).seen).toEqual({ a: 1 });
    await nodeRequest(manager, value, (session) => expect(session.get('a')).toBe(1));
  });

  it(`set_expiry(datetime) in Django ${version}: ${
    readsIso ? 'an ISO instant Node reads' : 'Django < 4.1 cannot sign it (TypeError)'
  }`, async () => {
    const instant = new Date(Date.now() + 3_600_000);
    instant.setUTCMilliseconds(0);
    const iso = instant.toISOString().replace('Z', '+00:00');
    const [response] = await django.run([
      {
        op: 'request',
        actions: [
          ['set', 'a', 1],
          ['expiry', { datetime: iso }],
        ],
      },
    ]);
    if (!readsIso) {
      expect(response).toMatchObject({ ok: false, error: 'TypeError' });
      return;
    }
    const value = (response.ok && response.cookies.sessionid?.value) as string;
    await nodeRequest(manager, value, (session) => {
      expect(session.getExpiryDate().getTime()).toBe(instant.getTime());
    });
  });

  it(`setExpiry(Date) with version '${version}': ${
    readsIso ? 'an ISO instant Django reads' : 'whole seconds from the save, which Django 3.2 reads'
  }`, async () => {
    const instant = Date.now() + 3_600_000;
    const value = (await nodeRequest(manager, null, (session) => session.setExpiry(new Date(instant))))
      .value as string;
    const opened = djangoLoads(value, { secret: secretKey, salt: COOKIE_SALT });
    const stored = opened.ok && (opened.value as Record<string, unknown>)._session_expiry;
    expect(typeof stored).toBe(readsIso ? 'string' : 'number');
    const response = await django.request(`sessionid=${value}`, [['set', 'touched', true]]);
    expect(Number(response.cookies.sessionid?.['max-age'])).toBeGreaterThan(3590);
    expect(Number(response.cookies.sessionid?.['max-age'])).toBeLessThanOrEqual(3600);
  });

  it(`why the version matters: an ISO expiry signed for Django 5.2 ${
    readsIso ? `is read by Django ${version} as well` : `breaks Django ${version}'s middleware (TypeError)`
  }`, async () => {
    const iso = world.manager({ version: '5.2' });
    const { value } = await nodeRequest(iso, null, (session) =>
      session.setExpiry(new Date(Date.now() + 60_000)),
    );
    const attempt = django.request(`sessionid=${value}`, [['set', 'touched', true]]);
    if (readsIso) await expect(attempt).resolves.toMatchObject({ status: 200 });
    else await expect(attempt).rejects.toMatchObject({ constructor: DjangoOpError, type: 'TypeError' });
  });
});

describe('bad cookies are rejected by both', () => {
  it('a tampered cookie Django signed: Django starts afresh, Node starts afresh and deletes it', async () => {
    const forged = tamper(await djangoCookie({ _auth_user_id: '7' }));
    const seenByDjango = await django.request(`sessionid=${forged}`, [['get', '_auth_user_id']]);
    expect(seenByDjango.seen).toEqual({ _auth_user_id: null });
    const response = await nodeRequest(manager, forged, (session) => {
      expect(session.size).toBe(0);
    });
    expect(response.value).toBeNull();
  });

  it('a tampered cookie Node signed: Django rejects it, and so does Node', async () => {
    const { value } = await nodeRequest(manager, null, (session) => session.set('_auth_user_id', '8'));
    const forged = tamper(value as string);
    expect((await django.request(`sessionid=${forged}`, [['get', '_auth_user_id']])).seen).toEqual({
      _auth_user_id: null,
    });
    await nodeRequest(manager, forged, (session) => expect(session.size).toBe(0));
  });

  it('a value signed under another salt (a db session_data) opens on neither', async () => {
    const value = await djangoSignedAt({ a: 1 }, nowSeconds(), 'django.contrib.sessions.SessionStore');
    expect((await django.request(`sessionid=${value}`, [['get', 'a']])).seen).toEqual({ a: null });
    await nodeRequest(manager, value, (session) => expect(session.size).toBe(0));
  });

  it('a logout on either side deletes the cookie', async () => {
    const { value } = await nodeRequest(manager, null, (session) => session.set('_auth_user_id', '9'));
    const djangoOut = await django.request(`sessionid=${value}`, [['flush']]);
    expect(djangoOut.cookies.sessionid?.value).toBe('');
    expect(djangoOut.cookies.sessionid?.['max-age']).toBe(0);
    const nodeOut = await nodeRequest(manager, await djangoCookie({ _auth_user_id: '9' }), (session) =>
      session.flush(),
    );
    expect(nodeOut.value).toBeNull();
    expect(nodeOut.setCookie).toMatch(/Max-Age=0/);
  });
});
