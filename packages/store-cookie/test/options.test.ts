import { createSessionManager, SessionConfigError } from '@sess/core';
import type { BackendProvider } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { type CookieStoreOptions, createCookieStore } from '../src/index.js';
import { resolveCookieOptions } from '../src/options.js';
import { bind, jarOf, NEW_SECRET, NOTHING_OPENED, OLD_SECRET, writeOf } from './support.js';

const secretKey = NEW_SECRET;
const bytes32 = new Uint8Array(32).fill(7);

/** Valid options and what they resolve to (only the fields a row is about). */
const valid: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['defaults', { secretKey }, { mode: 'sealed', compress: false, maxCookies: 1, maxCookieBytes: 4096 }],
  [
    'an older secret after the newest',
    { secretKey: NEW_SECRET, secretKeyFallbacks: [OLD_SECRET] },
    { secretKey: NEW_SECRET, secretKeyFallbacks: [OLD_SECRET] },
  ],
  ['no fallbacks by default', { secretKey }, { secretKeyFallbacks: [] }],
  ['a 32-byte Uint8Array secret', { secretKey: bytes32 }, { secretKey: bytes32 }],
  ['exactly 32 characters', { secretKey: 'x'.repeat(32) }, { mode: 'sealed' }],
  ['mode sealed', { secretKey, mode: 'sealed' }, { mode: 'sealed' }],
  [
    'mode signed compresses by default, with Django’s salt',
    { secretKey, mode: 'signed' },
    {
      mode: 'signed',
      compress: true,
      keySalt: 'django.contrib.sessions.backends.signed_cookies',
    },
  ],
  [
    'signed mode takes a short Django SECRET_KEY',
    { secretKey: 's3cr3t', mode: 'signed' },
    { secretKey: 's3cr3t' },
  ],
  [
    'signed mode takes short SECRET_KEY_FALLBACKS',
    { secretKey: 's3cr3t', secretKeyFallbacks: ['old'], mode: 'signed' },
    { secretKeyFallbacks: ['old'] },
  ],
  ['signed mode with its own salt', { secretKey, mode: 'signed', keySalt: 'my-app' }, { keySalt: 'my-app' }],
  ['signed mode without compression', { secretKey, mode: 'signed', compress: false }, { compress: false }],
  ['signed mode for Django 3.2', { secretKey, mode: 'signed', version: '3.2' }, { version: [3, 2] }],
  ['signed mode for Django 4.2.11', { secretKey, mode: 'signed', version: '4.2.11' }, { version: [4, 2] }],
  ['signed mode for the newest Django by default', { secretKey, mode: 'signed' }, { version: [5, 2] }],
  ['compress on', { secretKey, compress: true }, { compress: true }],
  ['compress off', { secretKey, compress: false }, { compress: false }],
  ['maxCookies 1', { secretKey, maxCookies: 1 }, { maxCookies: 1 }],
  ['maxCookies 10', { secretKey, maxCookies: 10 }, { maxCookies: 10 }],
  ['maxCookieBytes 256', { secretKey, maxCookieBytes: 256 }, { maxCookieBytes: 256 }],
  ['maxCookieBytes 4096', { secretKey, maxCookieBytes: 4096 }, { maxCookieBytes: 4096 }],
  [
    'undefined means the default',
    { secretKey, mode: undefined, compress: undefined, keySalt: undefined },
    {
      mode: 'sealed',
      compress: false,
    },
  ],
];

/** Invalid options and the option the error must name. */
const invalid: [string, unknown, string][] = [
  ['no options', undefined, 'options'],
  ['null options', null, 'options'],
  ['an array as options', [], 'options'],
  ['no secretKey', {}, 'secretKey'],
  ['secretKeyFallbacks not an array', { secretKey, secretKeyFallbacks: OLD_SECRET }, 'secretKeyFallbacks'],
  ['an empty secretKey', { secretKey: '' }, 'secretKey'],
  ['a short secret (sealed)', { secretKey: 'x'.repeat(31) }, 'secretKey'],
  [
    'a short fallback (sealed)',
    { secretKey, secretKeyFallbacks: [OLD_SECRET, 'short'] },
    'secretKeyFallbacks',
  ],
  ['a short Uint8Array secret', { secretKey: new Uint8Array(31) }, 'secretKey'],
  ['a number as a secret', { secretKey: 42 }, 'secretKey'],
  ['an empty secret (signed)', { secretKey: '', mode: 'signed' }, 'secretKey'],
  [
    'an empty fallback (signed)',
    { secretKey: 'k', secretKeyFallbacks: [new Uint8Array(0)], mode: 'signed' },
    'secretKeyFallbacks',
  ],
  ['an unknown mode', { secretKey, mode: 'encrypted' }, 'mode'],
  ['compress not a boolean', { secretKey, compress: 'yes' }, 'compress'],
  ['maxCookies 0', { secretKey, maxCookies: 0 }, 'maxCookies'],
  ['maxCookies 11', { secretKey, maxCookies: 11 }, 'maxCookies'],
  ['maxCookies 2.5', { secretKey, maxCookies: 2.5 }, 'maxCookies'],
  ['maxCookies as text', { secretKey, maxCookies: '3' }, 'maxCookies'],
  ['maxCookieBytes 255', { secretKey, maxCookieBytes: 255 }, 'maxCookieBytes'],
  ['maxCookieBytes 4097', { secretKey, maxCookieBytes: 4097 }, 'maxCookieBytes'],
  ['maxCookieBytes NaN', { secretKey, maxCookieBytes: Number.NaN }, 'maxCookieBytes'],
  ['keySalt in sealed mode', { secretKey, keySalt: 'x' }, 'keySalt'],
  ['keySalt not a string', { secretKey, mode: 'signed', keySalt: 1 }, 'keySalt'],
  ['version in sealed mode', { secretKey, version: '4.2' }, 'version'],
  ['version 3.0 (another session format)', { secretKey, mode: 'signed', version: '3.0' }, 'version'],
  ['version a number', { secretKey, mode: 'signed', version: 4.2 }, 'version'],
  ['version a word', { secretKey, mode: 'signed', version: 'latest' }, 'version'],
];

/** Unknown options (a typo, another library's name, an earlier name): the error names them, with a hint. */
const unknown: [string, unknown, string, string][] = [
  ['a typo (maxAge is the manager’s cookieAge)', { secretKey, maxAge: 60 }, 'maxAge', '`cookieAge`'],
  ['an unknown option', { secretKey, cookieName: 'sid' }, 'cookieName', '`cookieName`'],
  ['the earlier `secrets`', { secrets: [NEW_SECRET] }, 'secrets', '`secretKey`'],
  ['the earlier `salt`', { secretKey, mode: 'signed', salt: 'x' }, 'salt', '`keySalt`'],
];

describe('createCookieStore options', () => {
  it.each(valid)('accepts %s', (_label, options, expected) => {
    const resolved = resolveCookieOptions(options as unknown as CookieStoreOptions);
    expect(resolved).toMatchObject(expected);
    const store: BackendProvider = createCookieStore(options as unknown as CookieStoreOptions);
    expect(store.name).toBe('@sess/store-cookie');
    expect(bind(store).name).toBe('@sess/store-cookie');
  });

  it.each(invalid)('rejects %s, naming the option', (_label, options, option) => {
    const create = () => createCookieStore(options as CookieStoreOptions);
    expect(create).toThrow(SessionConfigError);
    try {
      create();
    } catch (error) {
      expect(error).toMatchObject({ option, code: 'CONFIG_INVALID' });
      expect((error as Error).message).toContain(`[@sess/store-cookie] option \`${option}\``);
    }
  });

  it.each(unknown)('rejects %s, naming it with what to use instead', (_label, options, option, hint) => {
    const create = () => createCookieStore(options as CookieStoreOptions);
    expect(create).toThrow(SessionConfigError);
    try {
      create();
    } catch (error) {
      expect(error).toMatchObject({ option, code: 'CONFIG_INVALID' });
      expect((error as Error).message).toContain('[@sess/store-cookie] unknown option');
      expect((error as Error).message).toContain(`\`${option}\`: `);
      expect((error as Error).message).toContain(hint);
    }
  });

  it('never echoes a secret in an error', () => {
    const secret = 'short-but-secret';
    expect(() => createCookieStore({ secretKey: secret })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
    expect(() => createCookieStore({ secretKey: NEW_SECRET, secretKeyFallbacks: [secret] })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });

  it('keeps its own copy of the secrets', async () => {
    const fallbacks = [OLD_SECRET];
    const store = createCookieStore({ secretKey: NEW_SECRET, secretKeyFallbacks: fallbacks });
    fallbacks[0] = 'another-secret-of-at-least-32-characters';
    const old = bind(createCookieStore({ secretKey: OLD_SECRET }), { cookieName: 'sid' });
    const value = (await old.save(NOTHING_OPENED, writeOf({ a: 1 }))).cookies[0]?.value as string;
    const opened = await bind(store, { cookieName: 'sid' }).open(jarOf({ sid: value }));
    expect(opened.record?.data).toEqual({ a: 1 });
  });
});

describe("with core's preset 'strict'", () => {
  it('is refused, naming the preset: a cookie session can be neither revoked nor given an absolute timeout', () => {
    for (const mode of ['sealed', 'signed'] as const) {
      const store = createCookieStore({ secretKey, mode });
      expect(() => createSessionManager({ store, preset: 'strict' })).toThrow(
        expect.objectContaining({ option: 'preset', code: 'CONFIG_INVALID' }),
      );
    }
  });
});
