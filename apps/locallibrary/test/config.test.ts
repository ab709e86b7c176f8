import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, readConfig } from '../src/config.js';
import { escapeHtml, html } from '../src/html.js';
import { createEngine } from '../src/stores.js';

describe('readConfig', () => {
  it('defaults to port 3000 on 127.0.0.1, Koa, and the file engine', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', engine: 'file', framework: 'koa' });
  });

  it('reads PORT, HOST, SESSION_STORE and FRAMEWORK (any case)', () => {
    const config = readConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      SESSION_STORE: 'Redis',
      FRAMEWORK: 'EXPRESS',
    });
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', engine: 'redis', framework: 'express' });
    for (const engine of ['file', 'memory', 'cookie', 'db', 'redis', 'memcached']) {
      expect(readConfig({ SESSION_STORE: engine }).engine).toBe(engine);
    }
  });

  it.each([
    [{ PORT: 'http' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ PORT: '-1' }, /PORT must be a whole number/],
    [{ SESSION_STORE: 'mongo' }, /SESSION_STORE must be one of file, memory, cookie, db, redis, memcached/],
    [{ FRAMEWORK: 'hapi' }, /FRAMEWORK must be one of koa, express, hono, fastify/],
    [{ SESSION_COMPAT: 'flask' }, /SESSION_COMPAT must be one of sess, django/],
    [
      { SESSION_COMPAT: 'django', SESSION_STORE: 'redis' },
      /SESSION_COMPAT=django works with SESSION_STORE=db, file, cookie/,
    ],
    [{ SESSION_COMPAT: 'django', SESSION_STORE: 'memory' }, /SESSION_COMPAT=django works with/],
  ])('refuses %o', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});

/** A directory with the mode of /tmp (1777), Django's default SESSION_FILE_PATH; removed after the file. */
function sharedTemp(): string {
  const shared = mkdtempSync(path.join(tmpdir(), 'locallibrary-shared-'));
  chmodSync(shared, 0o1777);
  afterAll(() => rmSync(shared, { recursive: true, force: true }));
  return shared;
}

describe('SESSION_COMPAT', () => {
  it('defaults to sess’s own formats, and takes django (any case) with db, file or cookie', () => {
    expect(readConfig({}).compat).toBe('sess');
    for (const engine of ['db', 'file', 'cookie']) {
      expect(readConfig({ SESSION_COMPAT: 'Django', SESSION_STORE: engine })).toMatchObject({
        compat: 'django',
        engine,
      });
    }
  });

  it.each([
    ['db', {}, 'SESSION_COMPAT=django needs SECRET_KEY'],
    ['db', { SECRET_KEY: 'k' }, 'SESSION_COMPAT=django SESSION_STORE=db needs DATABASE_URL'],
    ['file', { SECRET_KEY: 'k' }, 'SESSION_COMPAT=django SESSION_STORE=file needs SESSION_FILE_PATH'],
    ['file', { SECRET_KEY: 'k', SESSION_FILE_PATH: sharedTemp() }, 'writable by every user'],
    ['cookie', { SECRET_KEY: 'k', DJANGO_VERSION: '2.2' }, 'version'],
  ] as const)('SESSION_STORE=%s with %o says what is wrong', async (engine, env, message) => {
    await expect(createEngine(engine, env, 'django')).rejects.toThrow(message);
  });

  it('the cookie engine signs in Django’s format, with any SECRET_KEY Django accepts', async () => {
    const engine = await createEngine('cookie', { SECRET_KEY: 'short' }, 'django');
    expect(engine.where).toBe("the browser, signed in Django's signed_cookies format");
    expect(engine.store.name).toBe('@sess/store-cookie');
  });
});

describe('createEngine', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    ['db', 'DATABASE_URL'],
    ['redis', 'REDIS_URL'],
    ['memcached', 'MEMCACHED_SERVERS'],
  ] as const)('SESSION_STORE=%s without %s says what is missing', async (engine, variable) => {
    await expect(createEngine(engine, {})).rejects.toThrow(`SESSION_STORE=${engine} needs ${variable}`);
  });

  it('the cookie engine wants SESSION_SECRET in production', async () => {
    await expect(createEngine('cookie', { NODE_ENV: 'production' })).rejects.toThrow(
      'SESSION_STORE=cookie needs SESSION_SECRET',
    );
  });

  it('the cookie engine refuses a short SESSION_SECRET', async () => {
    await expect(createEngine('cookie', { SESSION_SECRET: 'short' })).rejects.toThrow(/secretKey/);
  });

  it('outside production, the cookie engine makes up a secret and warns once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const first = await createEngine('cookie', {});
    const second = await createEngine('cookie', {});
    expect(first.store.name).toBe('@sess/store-cookie');
    expect(second.store.name).toBe('@sess/store-cookie');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('SESSION_SECRET is not set');
  });
});

describe('html', () => {
  it('escapes interpolated text but not nested html', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${['<', html`<br>`]}${undefined}${false}${0}</p>`.value).toBe(
      '<p><b>&lt;i&gt;</b>&lt;<br>0</p>',
    );
  });
});
