import { createSessionManager, type SessionBackend, SessionConfigError } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { type CookieBackendOptions, createCookieBackend } from '../src/index.js';
import { resolveCookieOptions } from '../src/options.js';
import { NEW_SECRET, OLD_SECRET } from './support.js';

const secrets = [NEW_SECRET];
const bytes32 = new Uint8Array(32).fill(7);

/** Valid options and what they resolve to (only the fields a row is about). */
const valid: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['defaults', { secrets }, { mode: 'sealed', compress: false, maxCookies: 1, maxCookieBytes: 4096 }],
  [
    'several secrets, newest first',
    { secrets: [NEW_SECRET, OLD_SECRET] },
    { secrets: [NEW_SECRET, OLD_SECRET] },
  ],
  ['a 32-byte Uint8Array secret', { secrets: [bytes32] }, { secrets: [bytes32] }],
  ['exactly 32 characters', { secrets: ['x'.repeat(32)] }, { mode: 'sealed' }],
  ['mode sealed', { secrets, mode: 'sealed' }, { mode: 'sealed' }],
  [
    'mode signed compresses by default, with Django’s salt',
    { secrets, mode: 'signed' },
    {
      mode: 'signed',
      compress: true,
      salt: 'django.contrib.sessions.backends.signed_cookies',
    },
  ],
  [
    'signed mode takes a short Django SECRET_KEY',
    { secrets: ['s3cr3t'], mode: 'signed' },
    { secrets: ['s3cr3t'] },
  ],
  ['signed mode with its own salt', { secrets, mode: 'signed', salt: 'my-app' }, { salt: 'my-app' }],
  ['signed mode without compression', { secrets, mode: 'signed', compress: false }, { compress: false }],
  ['signed mode for Django 3.2', { secrets, mode: 'signed', version: '3.2' }, { version: [3, 2] }],
  ['signed mode for Django 4.2.11', { secrets, mode: 'signed', version: '4.2.11' }, { version: [4, 2] }],
  ['signed mode for the newest Django by default', { secrets, mode: 'signed' }, { version: [5, 2] }],
  ['compress on', { secrets, compress: true }, { compress: true }],
  ['compress off', { secrets, compress: false }, { compress: false }],
  ['maxCookies 1', { secrets, maxCookies: 1 }, { maxCookies: 1 }],
  ['maxCookies 10', { secrets, maxCookies: 10 }, { maxCookies: 10 }],
  ['maxCookieBytes 256', { secrets, maxCookieBytes: 256 }, { maxCookieBytes: 256 }],
  ['maxCookieBytes 4096', { secrets, maxCookieBytes: 4096 }, { maxCookieBytes: 4096 }],
  [
    'undefined means the default',
    { secrets, mode: undefined, compress: undefined, salt: undefined },
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
  ['no secrets', {}, 'secrets'],
  ['secrets not an array', { secrets: NEW_SECRET }, 'secrets'],
  ['empty secrets', { secrets: [] }, 'secrets'],
  ['a short secret (sealed)', { secrets: ['x'.repeat(31)] }, 'secrets[0]'],
  ['a short second secret', { secrets: [NEW_SECRET, 'short'] }, 'secrets[1]'],
  ['a short Uint8Array secret', { secrets: [new Uint8Array(31)] }, 'secrets[0]'],
  ['a number as a secret', { secrets: [42] }, 'secrets[0]'],
  ['an empty secret (signed)', { secrets: [''], mode: 'signed' }, 'secrets[0]'],
  ['an empty fallback (signed)', { secrets: ['k', new Uint8Array(0)], mode: 'signed' }, 'secrets[1]'],
  ['an unknown mode', { secrets, mode: 'encrypted' }, 'mode'],
  ['compress not a boolean', { secrets, compress: 'yes' }, 'compress'],
  ['maxCookies 0', { secrets, maxCookies: 0 }, 'maxCookies'],
  ['maxCookies 11', { secrets, maxCookies: 11 }, 'maxCookies'],
  ['maxCookies 2.5', { secrets, maxCookies: 2.5 }, 'maxCookies'],
  ['maxCookies as text', { secrets, maxCookies: '3' }, 'maxCookies'],
  ['maxCookieBytes 255', { secrets, maxCookieBytes: 255 }, 'maxCookieBytes'],
  ['maxCookieBytes 4097', { secrets, maxCookieBytes: 4097 }, 'maxCookieBytes'],
  ['maxCookieBytes NaN', { secrets, maxCookieBytes: Number.NaN }, 'maxCookieBytes'],
  ['salt in sealed mode', { secrets, salt: 'x' }, 'salt'],
  ['salt not a string', { secrets, mode: 'signed', salt: 1 }, 'salt'],
  ['version in sealed mode', { secrets, version: '4.2' }, 'version'],
  ['version 3.0 (another session format)', { secrets, mode: 'signed', version: '3.0' }, 'version'],
  ['version a number', { secrets, mode: 'signed', version: 4.2 }, 'version'],
  ['version a word', { secrets, mode: 'signed', version: 'latest' }, 'version'],
  ['a typo (maxAge is the manager’s cookieAge)', { secrets, maxAge: 60 }, 'maxAge'],
  ['an unknown option', { secrets, cookieName: 'sid' }, 'cookieName'],
];

describe('createCookieBackend options', () => {
  it.each(valid)('accepts %s', (_label, options, expected) => {
    const resolved = resolveCookieOptions(options as unknown as CookieBackendOptions);
    expect(resolved).toMatchObject(expected);
    const backend: SessionBackend = createCookieBackend(options as unknown as CookieBackendOptions);
    expect(backend.name).toBe('@sess/store-cookie');
  });

  it.each(invalid)('rejects %s, naming the option', (_label, options, option) => {
    const create = () => createCookieBackend(options as CookieBackendOptions);
    expect(create).toThrow(SessionConfigError);
    try {
      create();
    } catch (error) {
      expect(error).toMatchObject({ option, code: 'CONFIG_INVALID' });
      expect((error as Error).message).toContain(`[@sess/store-cookie] option \`${option}\``);
    }
  });

  it('never echoes a secret in an error', () => {
    const secret = 'short-but-secret';
    expect(() => createCookieBackend({ secrets: [secret] })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });

  it('keeps its own copy of the secrets', async () => {
    const list = [NEW_SECRET];
    const backend = createCookieBackend({ secrets: list });
    list[0] = OLD_SECRET;
    const now = Date.now();
    const request = {
      key: null,
      data: { a: 1 },
      meta: { createdAt: now, lastSeenAt: now },
      expiresAt: now + 60_000,
    };
    const value = (await backend.save(request, 'sid')).cookies[0]?.value as string;
    const reader = createCookieBackend({ secrets: [NEW_SECRET] });
    expect(await reader.load({ get: () => value, names: () => ['sid'] }, 'sid')).not.toBeNull();
  });
});

describe("with core's preset 'strict'", () => {
  it('is refused, naming the preset: a cookie session can be neither revoked nor given an absolute timeout', () => {
    for (const mode of ['sealed', 'signed'] as const) {
      const backend = createCookieBackend({ secrets, mode });
      expect(() => createSessionManager({ backend, preset: 'strict' })).toThrow(
        expect.objectContaining({ option: 'preset', code: 'CONFIG_INVALID' }),
      );
    }
  });
});
