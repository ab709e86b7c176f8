import { Buffer } from 'node:buffer';
import { createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeBase64Url } from '../../src/codecs/base64url.js';
import { createSigner, SIGNER_KEY_INFO } from '../../src/codecs/signer.js';
import { SessionConfigError } from '../../src/errors.js';

const BASE64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];
const NEW = 'signer-test-secret-new-0123456789abcdef';
const OLD = 'signer-test-secret-old-0123456789abcdef';

describe('createSigner', () => {
  it('signs as value.base64url(HMAC-SHA256(HKDF(secret, info sess/sign/v1)))', () => {
    const key = Buffer.from(hkdfSync('sha256', NEW, Buffer.alloc(0), 'sess/sign/v1', 32));
    const expected = encodeBase64Url(createHmac('sha256', key).update('hello').digest());
    expect(SIGNER_KEY_INFO).toBe('sess/sign/v1');
    expect(createSigner({ secrets: [NEW] }).sign('hello')).toBe(`hello.${expected}`);
  });

  it('round-trips values, dots and all', () => {
    const signer = createSigner({ secrets: [NEW] });
    for (const value of ['', 'a', 'a.b.c', 'é😀', 'x'.repeat(5000), '.']) {
      expect(signer.unsign(signer.sign(value))).toEqual({ value, secretIndex: 0 });
    }
  });

  it('verifies with older secrets and signs with the first', () => {
    const signedOld = createSigner({ secrets: [OLD] }).sign('v');
    const rotated = createSigner({ secrets: [NEW, OLD] });
    expect(rotated.unsign(signedOld)).toEqual({ value: 'v', secretIndex: 1 });
    expect(createSigner({ secrets: [NEW] }).unsign(rotated.sign('v'))).toEqual({
      value: 'v',
      secretIndex: 0,
    });
    expect(createSigner({ secrets: [NEW] }).unsign(signedOld)).toBeNull();
  });

  it('separates purposes', () => {
    const csrf = createSigner({ secrets: [NEW], purpose: 'csrf' });
    const plain = createSigner({ secrets: [NEW] });
    expect(plain.unsign(csrf.sign('v'))).toBeNull();
    expect(createSigner({ secrets: [NEW], purpose: 'other' }).unsign(csrf.sign('v'))).toBeNull();
    expect(csrf.unsign(csrf.sign('v'))).toEqual({ value: 'v', secretIndex: 0 });
  });

  it('accepts byte secrets and derives keys once', () => {
    const bytes = new Uint8Array(32).fill(7);
    const signer = createSigner({ secrets: [bytes] });
    const signed = signer.sign('v');
    bytes.fill(0);
    expect(signer.unsign(signed)).toEqual({ value: 'v', secretIndex: 0 });
  });

  it('rejects every single-character change of a signed value', () => {
    const signer = createSigner({ secrets: [NEW] });
    const signed = signer.sign('user:42');
    for (let index = 0; index < signed.length; index++) {
      for (const replacement of [...BASE64URL, '.', '=', '+', '/']) {
        if (signed[index] === replacement) continue;
        const changed = signed.slice(0, index) + replacement + signed.slice(index + 1);
        expect(signer.unsign(changed)).toBeNull();
      }
      expect(signer.unsign(signed.slice(0, index) + signed.slice(index + 1))).toBeNull();
    }
  });

  it.each([
    '',
    '.',
    'no-dot',
    'value.',
    'value.short',
    `value.${'A'.repeat(43)}`,
    `value.${'A'.repeat(42)}=`,
    '__proto__',
    '__proto__.x',
  ])('returns null for %j', (text) => {
    expect(createSigner({ secrets: [NEW] }).unsign(text)).toBeNull();
  });

  it('returns null instead of throwing on non-strings', () => {
    const signer = createSigner({ secrets: [NEW] });
    expect(signer.unsign(null as unknown as string)).toBeNull();
    expect(signer.unsign({} as unknown as string)).toBeNull();
  });

  it.each([
    ['secrets', { secrets: [] }],
    ['secrets', { secrets: undefined }],
    ['secrets', { secrets: NEW }],
    ['secrets[0]', { secrets: ['short'] }],
    ['secrets[1]', { secrets: [NEW, 'x'.repeat(31)] }],
    ['secrets[0]', { secrets: [new Uint8Array(31)] }],
    ['secrets[0]', { secrets: [42] }],
    ['purpose', { secrets: [NEW], purpose: 42 }],
  ])('throws SessionConfigError naming %s', (option, options) => {
    const attempt = () => createSigner(options as unknown as Parameters<typeof createSigner>[0]);
    expect(attempt).toThrow(SessionConfigError);
    expect(attempt).toThrow(`\`${option}\``);
  });

  it.each([
    ['a short secret', ['too-short-but-secret']],
    ['a lone string instead of a list', 'a-long-enough-secret-passed-without-the-array'],
  ])('never puts a secret in the error message (%s)', (_label, secrets) => {
    const secret = Array.isArray(secrets) ? (secrets[0] as string) : secrets;
    try {
      createSigner({ secrets: secrets as unknown as string[] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SessionConfigError);
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('accepts 32-character and 32-byte secrets', () => {
    expect(() => createSigner({ secrets: ['x'.repeat(32), new Uint8Array(32)] })).not.toThrow();
  });
});
