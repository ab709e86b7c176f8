import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DjangoOpError,
  DjangoUnavailable,
  djangoAtLeast,
  hasSecretKeyFallbacks,
  majorMinor,
  openDjango,
  runDjango,
} from '../src/index.js';

const SESSION_SALT = 'django.contrib.sessions.SessionStore';
const COOKIE_SALT = 'django.contrib.sessions.backends.signed_cookies';

// Vectors 1 and 3 of the reference (Django 3.2.25, time frozen): uncompressed and compressed.
const VECTOR_1 = {
  secretKey: 'django-insecure-test-secret-key-0001',
  time: 1700000000,
  data: { foo: 'bar' },
  session: 'eyJmb28iOiJiYXIifQ:1r31eq:5ALnRI4-N1wPo2WLCSvuvW9whIDMh7f_RCEXv9isj74',
  cookie: 'eyJmb28iOiJiYXIifQ:1r31eq:cmJmHn7XQOZ7XfxuHfz6RXH_spIXXXUnkUCuNpY18M8',
};
const VECTOR_3 = {
  secretKey: 'another-secret-with-unicode-é',
  time: 1735689600,
  data: { cart: Array.from({ length: 20 }, (_, i) => `item-${i}`), _session_expiry: 3600 },
  session:
    '.eJxFzTkKgDAURdG9_DpCnkMctiISRFKkcMBYKOLeLeQ_u1Pde8s07od0vcQjzJkV8wGKXFEoSkWlcIpa0ShaBv8022AcrIN5sA8OwAO4QCuDEZ9CSnFdfDi3uF_SFc7a5wWEoD93:1tSm9Y:uyzIzJca19ESJg3IupmJF69uuBf8AfRLyrcZ5NJx-cM',
};

describe('the driver runs the real Django', () => {
  const django = openDjango({ secretKey: VECTOR_1.secretKey, engine: 'signed_cookies' });
  afterAll(async () => (await django).close());

  it('reports django.VERSION (3.1 or later: the signing.dumps session format)', async () => {
    const { version } = await django;
    expect(djangoAtLeast(version, 3, 1)).toBe(true);
    expect(majorMinor(version)).toMatch(/^\d+\.\d+$/);
    expect(hasSecretKeyFallbacks(version)).toBe(djangoAtLeast(version, 4, 1));
    const [result] = await (await django).run([{ op: 'version' }]);
    expect(result).toMatchObject({ ok: true, version });
  });

  it("reproduces the reference vectors with Django's own encode and signing.dumps", async () => {
    const d = await django;
    expect(await d.encode(VECTOR_1.data, { time: VECTOR_1.time })).toBe(VECTOR_1.session);
    const [cookie, loaded] = await d.run([
      { op: 'signingDumps', value: VECTOR_1.data, salt: COOKIE_SALT, time: VECTOR_1.time },
      { op: 'signingLoads', text: VECTOR_1.session, salt: SESSION_SALT },
    ]);
    expect(cookie).toMatchObject({ ok: true, text: VECTOR_1.cookie });
    expect(loaded).toMatchObject({ ok: true, value: VECTOR_1.data });
    expect((await d.decode(VECTOR_1.session)).data).toEqual(VECTOR_1.data);
  });

  it('reproduces a compressed vector under another SECRET_KEY', async () => {
    const [encoded] = await runDjango([{ op: 'encode', data: VECTOR_3.data, time: VECTOR_3.time }], {
      secretKey: VECTOR_3.secretKey,
    });
    expect(encoded).toMatchObject({ ok: true, text: VECTOR_3.session });
  });

  it('reports an exception per op without stopping the batch, and Django’s security warnings', async () => {
    const d = await django;
    const tampered = `${VECTOR_1.session.slice(0, -1)}A`;
    const [bad, rejected, good] = await d.run([
      { op: 'signingLoads', text: tampered, salt: SESSION_SALT },
      { op: 'decode', text: tampered },
      { op: 'decode', text: VECTOR_1.session },
    ]);
    expect(bad).toMatchObject({ ok: false, error: 'BadSignature' });
    expect(rejected).toMatchObject({ ok: true, data: {} });
    expect(rejected.logs).toContainEqual({
      logger: 'django.security.SuspiciousSession',
      level: 'WARNING',
      message: 'Session data corrupted',
    });
    expect(good).toMatchObject({ ok: true, data: VECTOR_1.data, logs: [] });
    await expect(d.decode(tampered, { engine: 'nonexistent' as 'db' })).rejects.toBeInstanceOf(DjangoOpError);
  });

  it('runs a request through SessionMiddleware (signed_cookies: the cookie is the data)', async () => {
    const d = await django;
    const first = await d.request(undefined, [['set', 'n', 1]]);
    const cookie = first.cookies.sessionid;
    expect(cookie?.['max-age']).toBe(1209600);
    expect(cookie?.path).toBe('/');
    expect(first.vary).toBe('Cookie');
    const second = await d.request(`sessionid=${cookie?.value}`, [['get', 'n']]);
    expect(second.seen).toEqual({ n: 1 });
    expect(second.cookies).toEqual({});
  });

  it("increments a counter as the view of Django's tutorial does (session.get(name, 0) + 1)", async () => {
    const d = await django;
    const first = await d.request(undefined, [['increment', 'num_visits']]);
    expect(first.seen).toEqual({ num_visits: 1 });
    const second = await d.request(`sessionid=${first.cookies.sessionid?.value}`, [
      ['increment', 'num_visits'],
    ]);
    expect(second.seen).toEqual({ num_visits: 2 });
    expect(second.data).toEqual({ num_visits: 2 });
  });
});

describe('the file engine', () => {
  it('writes sessionid<key> files holding the signed string, and reads them back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sess-django-files-'));
    const django = await openDjango({ secretKey: VECTOR_1.secretKey, engine: 'file', sessionFilePath: dir });
    try {
      const { key } = await django.createSession({ name: 'Zoë' });
      expect(await readdir(dir)).toEqual([`sessionid${key}`]);
      const content = await readFile(join(dir, `sessionid${key}`), 'ascii');
      expect((await django.decode(content)).data).toEqual({ name: 'Zoë' });
      expect((await django.loadSession(key as string)).data).toEqual({ name: 'Zoë' });
      const [traversal] = await django.run([{ op: 'load', key: '../../etc/passwd' }]);
      expect(traversal).toMatchObject({ ok: true, key: null, data: {} });
    } finally {
      await django.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a missing piece fails loudly, never skips', () => {
  it('no Python at the given path', async () => {
    const attempt = openDjango({ secretKey: 'k', python: '/nonexistent/python3' });
    await expect(attempt).rejects.toBeInstanceOf(DjangoUnavailable);
    await expect(attempt).rejects.toThrow(
      /\/nonexistent\/python3 not found: install Debian packages python3-django/,
    );
  });

  it('settings Django refuses', async () => {
    const attempt = openDjango({ secretKey: 'k', settings: { INSTALLED_APPS: ['no_such_app_here'] } });
    await expect(attempt).rejects.toThrow(/Django refused its settings: ModuleNotFoundError/);
  });
});
