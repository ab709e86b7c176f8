import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeBase64Url } from '../../src/codecs/base64url.js';
import {
  createDjangoSigner,
  DJANGO_DEFAULT_MAX_LENGTH,
  DJANGO_SESSION_SALT,
  deriveDjangoKey,
  djangoDumps,
  djangoLoads,
} from '../../src/codecs/django-signing.js';
import { SessionConfigError } from '../../src/errors.js';

const secret = 'django-insecure-unit-test-secret';
const salt = DJANGO_SESSION_SALT;
const nowMs = 1_700_000_000_500;

/** Signs an arbitrary `payload:ts` the way Django does, to build values our dumps would never write. */
function forge(signedValue: string, key: string = secret): string {
  const mac = createHmac('sha256', deriveDjangoKey(key, salt)).update(signedValue).digest();
  return `${signedValue}:${encodeBase64Url(mac)}`;
}

describe('djangoDumps', () => {
  it('timestamps with the floor of nowMs in seconds', () => {
    expect(djangoDumps({}, { secret, salt, nowMs }).split(':')[1]).toBe('1r31eq');
  });

  it('compresses only when it saves at least 2 bytes', () => {
    const repetitive = { cart: Array.from({ length: 50 }, () => 'same') };
    expect(djangoDumps(repetitive, { secret, salt, nowMs }).startsWith('.')).toBe(true);
    expect(djangoDumps(repetitive, { secret, salt, nowMs, compress: false }).startsWith('.')).toBe(false);
    expect(djangoDumps({ a: 1 }, { secret, salt, nowMs }).startsWith('.')).toBe(false);
  });

  it('defaults nowMs to the current time', () => {
    const before = Math.floor(Date.now() / 1000);
    const token = djangoDumps({}, { secret, salt });
    expect(djangoLoads(token, { secret, salt, maxAgeSeconds: 5 }).ok).toBe(true);
    const loaded = djangoLoads(token, { secret, salt, maxAgeSeconds: 0, nowMs: (before + 10) * 1000 });
    expect(loaded).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('djangoLoads', () => {
  const good = djangoDumps({ user: 'ada' }, { secret, salt, nowMs });

  it.each([
    ['an empty string', ''],
    ['no separator', 'abc'],
    ['a short signature', 'e30:1r31eq:abc'],
    ['a signature with padding', `${good.slice(0, -1)}=`],
    ['a signature in the standard alphabet', `${good.slice(0, -1)}+`],
  ])('reports %s as malformed', (_label, text) => {
    expect(djangoLoads(text, { secret, salt })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('reports a wrong signature as bad-signature', () => {
    const [payload, ts] = good.split(':');
    const other = djangoDumps({ user: 'eve' }, { secret, salt, nowMs });
    expect(djangoLoads(`${payload}:${ts}:${other.split(':')[2]}`, { secret, salt })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it.each([
    ['no timestamp', 'e30'],
    ['a bad timestamp', 'e30:1r3.eq'],
    ['an empty timestamp', 'e30:'],
    ['a bad payload', 'e3=:1r31eq'],
    ['invalid JSON', `${encodeBase64Url('{nope')}:1r31eq`],
    ['NaN, which Python writes and JSON.parse refuses', `${encodeBase64Url('{"x":NaN}')}:1r31eq`],
    ['a bad zlib stream', `.${encodeBase64Url('not zlib')}:1r31eq`],
    ['a truncated zlib stream', `.${encodeBase64Url(deflateSync('{"a":1}').subarray(0, 6))}:1r31eq`],
  ])('reports a correctly signed value with %s as malformed', (_label, signedValue) => {
    expect(djangoLoads(forge(signedValue), { secret, salt })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a zip bomb as too-large without inflating it', () => {
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(100_000);
    const token = forge(`.${encodeBase64Url(bomb)}:1r31eq`);
    expect(djangoLoads(token, { secret, salt })).toEqual({ ok: false, reason: 'too-large' });
  });

  it('bounds decoded JSON by maxLength, compressed or not', () => {
    const value = { text: 'x'.repeat(200) };
    const compressed = djangoDumps(value, { secret, salt, nowMs });
    const plain = djangoDumps(value, { secret, salt, nowMs, compress: false });
    expect(compressed.startsWith('.')).toBe(true);
    for (const token of [compressed, plain]) {
      expect(djangoLoads(token, { secret, salt, maxLength: 210 })).toEqual({
        ok: false,
        reason: 'too-large',
      });
      expect(djangoLoads(token, { secret, salt, maxLength: 211 }).ok).toBe(true);
    }
  });

  it('refuses text far beyond maxLength before computing any HMAC', () => {
    expect(djangoLoads('a'.repeat(2000), { secret, salt, maxLength: 1000 })).toEqual({
      ok: false,
      reason: 'too-large',
    });
    expect(DJANGO_DEFAULT_MAX_LENGTH).toBe(1024 * 1024);
  });

  it('compares max age strictly with fractional seconds', () => {
    const token = djangoDumps({}, { secret, salt, nowMs: 1_000_000_000 });
    const at = (ms: number) => djangoLoads(token, { secret, salt, maxAgeSeconds: 10, nowMs: ms }).ok;
    expect(at(1_000_010_000)).toBe(true);
    expect(at(1_000_010_001)).toBe(false);
    expect(djangoLoads(token, { secret, salt, maxAgeSeconds: 9.5, nowMs: 1_000_009_500 }).ok).toBe(true);
    expect(djangoLoads(token, { secret, salt, maxAgeSeconds: 9.5, nowMs: 1_000_009_501 }).ok).toBe(false);
  });

  it('fails closed on a NaN max age', () => {
    const token = djangoDumps({}, { secret, salt, nowMs });
    expect(djangoLoads(token, { secret, salt, maxAgeSeconds: Number.NaN, nowMs })).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('verifies with fallback secrets and reports which one matched', () => {
    const old = djangoDumps({ v: 1 }, { secret: 'old-secret', salt, nowMs });
    const loaded = djangoLoads(old, { secret, fallbackSecrets: ['older-secret', 'old-secret'], salt });
    expect(loaded).toEqual({ ok: true, value: { v: 1 }, secretIndex: 2 });
    expect(djangoLoads(old, { secret, salt })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('drops __proto__ keys from the decoded session', () => {
    const token = forge(`${encodeBase64Url('{"__proto__":{"admin":true},"user":"eve"}')}:1r31eq`);
    const loaded = djangoLoads(token, { secret, salt });
    expect(loaded).toEqual({ ok: true, value: { user: 'eve' }, secretIndex: 0 });
    const merged: Record<string, unknown> = Object.assign({}, loaded.ok ? loaded.value : {});
    expect(merged.admin).toBeUndefined();
  });

  it('never throws on non-string input', () => {
    expect(djangoLoads(undefined as unknown as string, { secret, salt })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('createDjangoSigner', () => {
  it('derives its keys once, at construction', () => {
    const bytes = Uint8Array.from(Buffer.from('a byte secret'));
    const signer = createDjangoSigner({ secret: bytes, salt });
    const before = signer.dumps({ a: 1 }, nowMs);
    bytes.fill(0);
    expect(signer.dumps({ a: 1 }, nowMs)).toBe(before);
    expect(djangoDumps({ a: 1 }, { secret: 'a byte secret', salt, nowMs })).toBe(before);
  });

  it('signs with the primary secret only', () => {
    const signer = createDjangoSigner({ secret, fallbackSecrets: ['old'], salt });
    const token = signer.dumps({ a: 1 }, nowMs);
    expect(djangoLoads(token, { secret, salt }).ok).toBe(true);
    expect(signer.loads(token)).toEqual({ ok: true, value: { a: 1 }, secretIndex: 0 });
  });

  it.each([
    ['secret', { secret: '', salt }],
    ['secret', { secret: new Uint8Array(0), salt }],
    ['secret', { secret: 42, salt }],
    ['fallbackSecrets', { secret, salt, fallbackSecrets: 'old' }],
    ['fallbackSecrets[1]', { secret, salt, fallbackSecrets: ['old', ''] }],
    ['salt', { secret, salt: undefined }],
    ['maxLength', { secret, salt, maxLength: 0 }],
    ['maxLength', { secret, salt, maxLength: 1.5 }],
    ['parse', { secret, salt, parse: 'JSON.parse' }],
  ])('throws SessionConfigError naming %s', (option, options) => {
    const attempt = () => createDjangoSigner(options as unknown as Parameters<typeof createDjangoSigner>[0]);
    expect(attempt).toThrow(SessionConfigError);
    expect(attempt).toThrow(`\`${option}\``);
  });

  it('parses with the given parse: JSON.parse keeps __proto__ and constructor as own data', () => {
    const text = '{"__proto__":{"p":1},"constructor":{"prototype":{"p":2}},"user":"eve"}';
    const token = createDjangoSigner({ secret, salt }).dumps(JSON.parse(text), nowMs);
    const safe = createDjangoSigner({ secret, salt }).loads(token);
    expect(safe.ok && Object.keys(safe.value as object)).toEqual(['user']);
    const exact = createDjangoSigner({ secret, salt, parse: JSON.parse }).loads(token);
    expect(exact.ok && Object.keys(exact.value as object)).toEqual(['__proto__', 'constructor', 'user']);
    expect(exact.ok && Object.getOwnPropertyDescriptor(exact.value, '__proto__')?.value).toEqual({ p: 1 });
    expect(({} as Record<string, unknown>).p).toBeUndefined();
    const throwing = createDjangoSigner({
      secret,
      salt,
      parse: () => {
        throw new SyntaxError('no');
      },
    });
    expect(throwing.loads(token)).toEqual({ ok: false, reason: 'malformed' });
  });
});
