import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createMemoryStore,
  createSessionManager,
  type ResolvedManagerOptions,
  SessionConfigError,
  type SessionManagerOptions,
  systemClock,
} from '../src/index.js';
import { createTestClock } from '../src/testing.js';
import { providerOf } from './support/providers.js';

const store = createMemoryStore();
const backend = providerOf(createMemoryStore());
const clock = createTestClock();
const schema = z.object({ n: z.number() });
const secure = { cookieSecure: true };

/** Calls `fn` and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function expectConfigError(error: unknown, option: string) {
  expect(error).toBeInstanceOf(SessionConfigError);
  expect(error).toMatchObject({ code: 'CONFIG_INVALID', option, name: 'SessionConfigError' });
  expect((error as Error).message).toContain(`\`${option}\``);
  expect((error as Error).message).toMatch(/^\[@sess\/core\] /);
}

type Field = keyof SessionManagerOptions;
type Resolved = keyof ResolvedManagerOptions;

interface Row {
  option: Field;
  /** [value, what the resolved option holds, other options it needs] */
  valid: [unknown, unknown, Partial<SessionManagerOptions>?][];
  /** [value, other options] */
  invalid: [unknown, Partial<SessionManagerOptions>?][];
}

const rows: Row[] = [
  {
    option: 'cookieName',
    valid: [
      ['sessionid', 'sessionid'],
      ['sid', 'sid'],
      ['__Secure-sid', '__Secure-sid', secure],
      ['__Host-sid', '__Host-sid', secure],
    ],
    invalid: [[''], ['a b'], ['a;b'], ['a=b'], ['sessión'], [5]],
  },
  {
    option: 'cookieAge',
    valid: [
      [1, 1],
      [60, 60],
      [1_209_600, 1_209_600],
    ],
    invalid: [[0], [-1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY], ['60'], [true]],
  },
  {
    option: 'cookieDomain',
    valid: [
      ['example.com', 'example.com'],
      ['.example.com', '.example.com'],
      ['localhost', 'localhost'],
      [null, undefined],
    ],
    invalid: [[''], ['exa mple.com'], ['example.com;'], ['https://example.com'], [5]],
  },
  {
    option: 'cookiePath',
    valid: [
      ['/', '/'],
      ['/app', '/app'],
      ['/a/b/', '/a/b/'],
    ],
    invalid: [[''], ['app'], ['/a b'], ['/a;b'], [5]],
  },
  {
    option: 'cookieSecure',
    valid: [
      [true, true],
      [false, false],
      ['auto', 'auto'],
    ],
    invalid: [['yes'], [1], ['AUTO']],
  },
  {
    option: 'cookieHttpOnly',
    valid: [
      [true, true],
      [false, false],
    ],
    invalid: [['true'], [1], [null]],
  },
  {
    option: 'cookieSameSite',
    valid: [
      ['Lax', 'Lax'],
      ['lax', 'Lax'],
      ['STRICT', 'Strict'],
      ['none', 'None', secure],
      ['None', 'None', { cookieSecure: 'auto' }],
      [false, false],
    ],
    invalid: [['None'], ['none', { cookieSecure: false }], [true], ['always'], [''], [0]],
  },
  {
    option: 'cookiePartitioned',
    valid: [
      [false, false],
      [true, true, secure],
      [true, true, { cookieSecure: 'auto' }],
    ],
    invalid: [[true], ['yes'], [1]],
  },
  {
    option: 'cookiePriority',
    valid: [
      ['low', 'Low'],
      ['Medium', 'Medium'],
      ['HIGH', 'High'],
    ],
    invalid: [['urgent'], [1], [null], [true]],
  },
  {
    option: 'expireAtBrowserClose',
    valid: [
      [true, true],
      [false, false],
    ],
    invalid: [['false'], [0], [null]],
  },
  {
    option: 'saveEveryRequest',
    valid: [
      [true, true],
      [false, false],
    ],
    invalid: [['true'], [1], [null]],
  },
  {
    option: 'clock',
    valid: [[clock, clock]],
    invalid: [[{}], [() => 1], [5], [{ now: 5 }]],
  },
  {
    option: 'schema',
    valid: [[schema, schema]],
    invalid: [[{}], [{ '~standard': {} }], ['schema'], [null]],
  },
];

describe('SessionManagerOptions', () => {
  it('defaults to Django’s settings', () => {
    const { options } = createSessionManager({ store });
    expect(options).toEqual({
      store,
      storeTimeoutMs: 5000,
      cookieName: 'sessionid',
      cookieAge: 1_209_600,
      cookieDomain: undefined,
      cookiePath: '/',
      cookieSecure: false,
      cookieHttpOnly: true,
      cookieSameSite: 'Lax',
      cookiePartitioned: false,
      cookiePriority: undefined,
      expireAtBrowserClose: false,
      hashKeysAtRest: false,
      preset: 'django',
      saveEveryRequest: false,
      clock: systemClock,
      schema: undefined,
      tokenHeader: undefined,
      touchInterval: null,
      absoluteTimeout: null,
      rotateInterval: null,
      rotationGrace: 30,
      ownerLimit: null,
      handleSecret: undefined,
      onEvent: undefined,
    });
  });

  describe.each(rows)('$option', ({ option, valid, invalid }) => {
    it.each(valid)('accepts %j', (value, resolved, extra = {}) => {
      const manager = createSessionManager({ store, ...extra, [option]: value });
      expect(manager.options[option as Resolved]).toEqual(resolved);
    });

    it.each(invalid)('rejects %j, naming the option', (value, extra = {}) => {
      expectConfigError(
        thrown(() => createSessionManager({ store, ...extra, [option]: value })),
        option,
      );
    });
  });

  describe('store and backend', () => {
    it('accepts a store, wrapped into a backend', () => {
      const manager = createSessionManager({ store });
      expect(manager.backend.name).toBe(store.name);
      expect(manager.backend.capabilities).toEqual({
        serverSide: true,
        delta: true,
        ownerIndex: true,
        metadata: true,
        rawKeys: true,
      });
    });

    it('accepts a backend provider, binding its backend to the manager', () => {
      const built: string[] = [];
      const provider = {
        name: 'provided',
        createBackend: (settings: { cookieName: string }) => {
          built.push(settings.cookieName);
          return backend.createBackend(settings as never);
        },
      };
      expect(createSessionManager({ store: provider, cookieName: 'sid' }).backend.name).toBe(store.name);
      expect(built).toEqual(['sid']);
    });

    it.each([
      ['no store', {}, 'store'],
      ['an express-session store', { store: { get() {}, set() {}, destroy() {} } }, 'store'],
      ['a store that is not one', { store: {} }, 'store'],
      ['a store missing methods', { store: { load: async () => null, capabilities: {} } }, 'store'],
      ['a store given as a string', { store: 'redis://localhost' }, 'store'],
      ['a null store', { store: null }, 'store'],
      ['a backend provider that is not one', { store: { createBackend: 'no' } }, 'store'],
      ['an array', { store: [] }, 'store'],
    ])('rejects %s', (_name, options, option) => {
      expectConfigError(
        thrown(() => createSessionManager(options as SessionManagerOptions)),
        option,
      );
    });
  });

  describe('storeTimeoutMs', () => {
    it.each([1, 50, 5000])('accepts %j', (value) => {
      expect(() => createSessionManager({ store, storeTimeoutMs: value })).not.toThrow();
    });

    it.each([0, -1, 1.5, '50', Number.NaN, Number.POSITIVE_INFINITY])(
      'rejects %j, naming the option',
      (value) => {
        expectConfigError(
          thrown(() => createSessionManager({ store, storeTimeoutMs: value as number })),
          'storeTimeoutMs',
        );
      },
    );
  });

  describe('cookie prefixes', () => {
    it.each([
      ['__Host- without Secure', { cookieName: '__Host-sid' }, 'cookieSecure'],
      [
        "__Host- with Secure 'auto'",
        { cookieName: '__Host-sid', cookieSecure: 'auto' as const },
        'cookieSecure',
      ],
      [
        '__Host- with a path',
        { cookieName: '__Host-sid', cookieSecure: true, cookiePath: '/app' },
        'cookiePath',
      ],
      [
        '__Host- with a domain',
        { cookieName: '__Host-sid', cookieSecure: true, cookieDomain: 'example.com' },
        'cookieDomain',
      ],
      ['__Secure- without Secure', { cookieName: '__Secure-sid' }, 'cookieSecure'],
    ])('rejects %s', (_name, options, option) => {
      expectConfigError(
        thrown(() => createSessionManager({ store, ...options })),
        option,
      );
    });
  });

  it.each(['cookieMaxAge', 'secret', 'SESSION_COOKIE_AGE', 'storeTimeout'])(
    'rejects the unknown option %s, naming it and listing the known ones',
    (option) => {
      const error = thrown(() => createSessionManager({ store, [option]: 1 } as SessionManagerOptions));
      expectConfigError(error, option);
      expect((error as Error).message).toContain('cookieAge');
    },
  );

  it.each([null, undefined, 'store'])('rejects %j as the options object', (options) => {
    expectConfigError(
      thrown(() => createSessionManager(options as unknown as SessionManagerOptions)),
      'options',
    );
  });
});

describe('MemoryStoreOptions', () => {
  it.each([
    { maxEntries: 1 },
    { maxEntries: 10_000 },
    { sweepInterval: 0 },
    { sweepInterval: 0.5 },
    { sweepInterval: 3600 },
    { clock },
    {},
  ])('accepts %j', (options) => {
    expect(createMemoryStore(options).size).toBe(0);
  });

  it.each([
    ['maxEntries', 0],
    ['maxEntries', -1],
    ['maxEntries', 1.5],
    ['maxEntries', '5'],
    ['maxEntries', Number.NaN],
    ['maxEntries', Number.POSITIVE_INFINITY],
    ['sweepInterval', -1],
    ['sweepInterval', Number.POSITIVE_INFINITY],
    ['sweepInterval', Number.NaN],
    ['sweepInterval', '60'],
    ['sweepInterval', true],
    ['clock', {}],
    ['clock', 5],
    ['maxEntry', 5],
    ['sweepIntervalMs', 1000],
  ])('rejects %s: %j, naming the option', (option, value) => {
    expectConfigError(
      thrown(() => createMemoryStore({ [option]: value })),
      option,
    );
  });

  it('rejects options that are not an object', () => {
    expectConfigError(
      thrown(() => createMemoryStore(null as never)),
      'options',
    );
  });
});
