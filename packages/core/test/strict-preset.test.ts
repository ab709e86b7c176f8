import { describe, expect, it } from 'vitest';
import {
  createMemoryStore,
  createSessionManager,
  SessionConfigError,
  type SessionManagerOptions,
  STRICT_DEFAULTS,
} from '../src/index.js';
import { hashSessionKey, type SessionBackend } from '../src/store/index.js';
import { createTestClock } from '../src/testing.js';
import { providerOf } from './support/providers.js';

const NOW = Date.UTC(2024, 0, 1);

function refusal(options: SessionManagerOptions): SessionConfigError {
  try {
    createSessionManager(options);
  } catch (thrown) {
    if (thrown instanceof SessionConfigError) return thrown;
    throw thrown;
  }
  throw new Error('expected the options to be refused');
}

describe("preset: 'strict'", () => {
  it('fills in what ASVS asks beyond Django when the app sets nothing', () => {
    const { options } = createSessionManager({ store: createMemoryStore(), preset: 'strict' });
    expect(options.preset).toBe('strict');
    expect(options.cookieName).toBe('__Host-sessionid');
    expect(options.cookieSecure).toBe(true);
    expect(options.cookieHttpOnly).toBe(true);
    expect(options.cookieSameSite).toBe('Lax');
    expect(options.cookieDomain).toBeUndefined();
    expect(options.cookiePath).toBe('/');
    expect(options.cookieAge).toBe(1800);
    expect(options.expireAtBrowserClose).toBe(true);
    expect(options.touchInterval).toBe(60);
    expect(options.absoluteTimeout).toBe(43200);
    expect(options.hashKeysAtRest).toBe(true);
    expect(STRICT_DEFAULTS.cookieAge).toBe(options.cookieAge);
  });

  it('sends a __Host- cookie that is Secure, HttpOnly, SameSite, host-only and ends with the browser', async () => {
    const clock = createTestClock(NOW);
    const store = createMemoryStore({ clock });
    const manager = createSessionManager({ store, clock, preset: 'strict' });
    const open = manager.open({ secure: true });
    (await open.load()).set('n', 1);
    const [cookie] = (await open.commit(200)).setCookie;
    expect(cookie).toMatch(/^__Host-sessionid=[a-z0-9]{32}; /);
    expect(cookie).toContain('; Secure');
    expect(cookie).toContain('; HttpOnly');
    expect(cookie).toContain('; SameSite=Lax');
    expect(cookie).toContain('; Path=/');
    expect(cookie).not.toMatch(/Domain=|Max-Age=|Expires=/);
    const key = /=([a-z0-9]{32})/.exec(cookie ?? '')?.[1] as string;
    expect(store.peek(key)).toBeNull();
    expect(store.peek(hashSessionKey(key))?.expiresAt).toBe(NOW + 1800 * 1000);
    expect(store.peek(hashSessionKey(key))?.meta.deadline).toBe(NOW + 43200 * 1000);
  });

  it('accepts tuning that keeps it strict', () => {
    const { options } = createSessionManager({
      store: createMemoryStore(),
      preset: 'strict',
      cookieName: '__Host-app',
      cookieAge: 600,
      absoluteTimeout: 3600,
      touchInterval: null,
      cookieSameSite: 'Strict',
      expireAtBrowserClose: false,
      hashKeysAtRest: 'migrate',
    });
    expect(options.cookieName).toBe('__Host-app');
    expect(options.cookieAge).toBe(600);
    expect(options.absoluteTimeout).toBe(3600);
    expect(options.touchInterval).toBeNull();
    expect(options.cookieSameSite).toBe('Strict');
    expect(options.expireAtBrowserClose).toBe(false);
    expect(options.hashKeysAtRest).toBe('migrate');
  });

  const weakening: [option: string, value: unknown][] = [
    ['cookieName', 'sessionid'],
    ['cookieName', '__Secure-sessionid'],
    ['cookieSecure', false],
    ['cookieSecure', 'auto'],
    ['cookieHttpOnly', false],
    ['cookieSameSite', 'None'],
    ['cookieSameSite', false],
    ['absoluteTimeout', null],
    ['hashKeysAtRest', false],
  ];
  it.each(weakening)('refuses %s: %j, naming the option', (option, value) => {
    const error = refusal({ store: createMemoryStore(), preset: 'strict', [option]: value });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(option);
  });

  it('refuses a backend that keeps no metadata (the cookie engine, Django formats), naming the preset', () => {
    const dataOnly = providerOf(createMemoryStore(), {
      wrap: (inner): SessionBackend => ({
        ...inner,
        name: 'data-only',
        capabilities: { ...inner.capabilities, metadata: false },
      }),
    });
    const error = refusal({ store: dataOnly, preset: 'strict' });
    expect(error.message).toContain('preset');
    expect(error.message).toContain('data-only');
  });

  it('takes a prebuilt server backend that hashes its keys, and refuses one that stores them raw', () => {
    const backend = providerOf(createMemoryStore(), { hashKeysAtRest: true });
    const manager = createSessionManager({ store: backend, preset: 'strict' });
    expect(manager.backend.recordId('a'.repeat(32))).toBe(hashSessionKey('a'.repeat(32)));
    const raw = refusal({ store: providerOf(createMemoryStore()), preset: 'strict' });
    expect(raw.message).toContain('store');
    expect(raw.message).toContain('hashe');
  });

  it('refuses the header transport, which hands the key to scripts', () => {
    const error = refusal({
      store: createMemoryStore(),
      preset: 'strict',
      tokenHeader: { request: 'Authorization', response: 'X-Session-Token' },
    });
    expect(error.message).toContain('tokenHeader');
  });
});

describe("preset: 'django' (the default)", () => {
  it("keeps Django's defaults", () => {
    for (const preset of [undefined, 'django'] as const) {
      const { options } = createSessionManager({
        store: createMemoryStore(),
        ...(preset ? { preset } : {}),
      });
      expect(options.preset).toBe('django');
      expect(options.cookieName).toBe('sessionid');
      expect(options.cookieSecure).toBe(false);
      expect(options.cookieAge).toBe(1209600);
      expect(options.expireAtBrowserClose).toBe(false);
      expect(options.absoluteTimeout).toBeNull();
      expect(options.touchInterval).toBeNull();
      expect(options.hashKeysAtRest).toBe(false);
    }
  });

  it.each([['STRICT'], ['paranoid'], [true]])('refuses preset %j, naming it', (preset) => {
    const error = refusal({ store: createMemoryStore(), preset: preset as never });
    expect(error.message).toContain('preset');
  });
});
