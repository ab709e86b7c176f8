import { Buffer } from 'node:buffer';
import { createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from '../../src/codecs/base64url.js';
import {
  createSealer,
  DEFAULT_MAX_PLAINTEXT_BYTES,
  SEALED_PREFIX,
  SEALER_KEY_INFO,
  sealWithFixedNonce,
} from '../../src/codecs/sealer.js';
import type { Secret } from '../../src/codecs/secrets.js';
import { createSigner } from '../../src/codecs/signer.js';
import { SessionConfigError } from '../../src/errors.js';
import { readFixture } from './fixtures.js';

const BASE64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];
const NEW = 'sealer-test-secret-new-0123456789abcdef';
const OLD = 'sealer-test-secret-old-0123456789abcdef';
const name = 'sessionid';
const iat = 1_700_000_000;
const exp = iat + 1_209_600;
const nowMs = (iat + 60) * 1000;

interface SealedCase {
  label: string;
  secrets: (string | { hex: string })[];
  seal_with: number;
  name: string;
  iat: number;
  exp: number;
  data: Record<string, unknown>;
  nonce_hex: string;
  compressed: boolean;
  token: string;
}

const golden = readFixture<{ cases: SealedCase[] }>('sealed-v1.json').cases;
const toSecret = (secret: string | { hex: string }): Secret =>
  typeof secret === 'string' ? secret : Uint8Array.from(Buffer.from(secret.hex, 'hex'));

/** Decrypts a token by hand, following DESIGN.md, to look at the plaintext the sealer wrote. */
function plaintextOf(token: string, secret: string, cookieName: string): Buffer {
  const raw = decodeBase64Url(token.slice(3)) as Buffer;
  const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'sess/seal/v1', 32));
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(`s1.${cookieName}`));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
}

describe('sealed cookie v1 golden fixtures (made by an independent Python implementation)', () => {
  it('fixes the prefix and the HKDF info', () => {
    expect(SEALED_PREFIX).toBe('s1.');
    expect(SEALER_KEY_INFO).toBe('sess/seal/v1');
  });

  it.each(golden.filter((each) => !each.compressed).map((each) => [each.label, each] as const))(
    '%s: sealing gives the same token byte for byte',
    (_label, each) => {
      const sealer = createSealer({
        secrets: [toSecret(each.secrets[each.seal_with] as string | { hex: string })],
      });
      const nonce = Buffer.from(each.nonce_hex, 'hex');
      const claims = { name: each.name, iat: each.iat, exp: each.exp };
      expect(sealWithFixedNonce(sealer, each.data, claims, nonce)).toBe(each.token);
    },
  );

  it.each(golden.map((each) => [each.label, each] as const))('%s: opens', (_label, each) => {
    const sealer = createSealer({ secrets: each.secrets.map(toSecret) });
    expect(sealer.open(each.token, { name: each.name, nowMs: each.iat * 1000 })).toEqual({
      data: each.data,
      iat: each.iat,
      exp: each.exp,
      secretIndex: each.seal_with,
    });
    expect(sealer.open(each.token, { name: `${each.name}x`, nowMs: each.iat * 1000 })).toBeNull();
    expect(sealer.open(each.token, { name: each.name, nowMs: each.exp * 1000 })).toBeNull();
  });
});

describe('createSealer', () => {
  const sealer = createSealer({ secrets: [NEW] });
  const data = { user: 'ada', cart: [1, 2, 3], nested: { ok: true }, text: 'héllo 😀' };

  it('round-trips data with a fresh nonce each time', () => {
    const first = sealer.seal(data, { name, iat, exp });
    const second = sealer.seal(data, { name, iat, exp });
    expect(first.startsWith('s1.')).toBe(true);
    expect(first).not.toBe(second);
    expect(sealer.open(first, { name, nowMs })).toEqual({ data, iat, exp, secretIndex: 0 });
    expect(sealer.open(second, { name, nowMs })).toEqual({ data, iat, exp, secretIndex: 0 });
  });

  it('opens tokens sealed with an older secret and reports secretIndex 1', () => {
    const old = createSealer({ secrets: [OLD] }).seal(data, { name, iat, exp });
    const rotated = createSealer({ secrets: [NEW, OLD] });
    expect(rotated.open(old, { name, nowMs })?.secretIndex).toBe(1);
    expect(sealer.open(old, { name, nowMs })).toBeNull();
    expect(
      createSealer({ secrets: [OLD] }).open(rotated.seal(data, { name, iat, exp }), { name, nowMs }),
    ).toBeNull();
  });

  it('binds the cookie name', () => {
    const token = sealer.seal(data, { name, iat, exp });
    expect(sealer.open(token, { name: 'other', nowMs })).toBeNull();
    expect(sealer.open(token, { name: '', nowMs })).toBeNull();
  });

  it('refuses a token from exp on (exp <= now, in seconds)', () => {
    const token = sealer.seal(data, { name, iat, exp });
    expect(sealer.open(token, { name, nowMs: exp * 1000 - 1 })).not.toBeNull();
    expect(sealer.open(token, { name, nowMs: exp * 1000 })).toBeNull();
    expect(sealer.open(token, { name, nowMs: exp * 1000 + 1 })).toBeNull();
    expect(sealer.open(token, { name, nowMs: Number.NaN })).toBeNull();
  });

  it('refuses other versions and the signer’s tokens', () => {
    const token = sealer.seal(data, { name, iat, exp });
    expect(sealer.open(`s2.${token.slice(3)}`, { name, nowMs })).toBeNull();
    expect(sealer.open(token.slice(3), { name, nowMs })).toBeNull();
    expect(sealer.open(`S1.${token.slice(3)}`, { name, nowMs })).toBeNull();
    expect(sealer.open(createSigner({ secrets: [NEW] }).sign('s1.x'), { name, nowMs })).toBeNull();
  });

  it('refuses every truncation', () => {
    const token = sealer.seal({ a: 1 }, { name, iat, exp });
    for (let length = 0; length < token.length; length++) {
      expect(sealer.open(token.slice(0, length), { name, nowMs })).toBeNull();
    }
  });

  it('refuses every single-bit flip of the decoded bytes', () => {
    const token = sealer.seal({ a: 1 }, { name, iat, exp });
    const raw = decodeBase64Url(token.slice(3)) as Buffer;
    for (let index = 0; index < raw.length; index++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = Buffer.from(raw);
        flipped[index] = (flipped[index] as number) ^ (1 << bit);
        expect(sealer.open(`s1.${encodeBase64Url(flipped)}`, { name, nowMs })).toBeNull();
      }
    }
  });

  it.each([1, 12, 123])('refuses every changed character of the token ({ a: %d }: each base64 tail)', (a) => {
    const token = sealer.seal({ a }, { name, iat, exp });
    for (let index = 0; index < token.length; index++) {
      for (const replacement of [...BASE64URL, '.', '=', '+', '/']) {
        if (token[index] === replacement) continue;
        expect(
          sealer.open(token.slice(0, index) + replacement + token.slice(index + 1), { name, nowMs }),
        ).toBeNull();
      }
    }
  });

  it.each([
    '',
    's1.',
    's1',
    'x',
    's1.AAAA',
    `s1.${'A'.repeat(40)}`,
    `s1.${'A'.repeat(40)}=`,
    '__proto__',
    's1.__proto__',
  ])('returns null for %j', (text) => {
    expect(sealer.open(text, { name, nowMs })).toBeNull();
  });

  it('never throws on non-string input', () => {
    expect(sealer.open(undefined as unknown as string, { name, nowMs })).toBeNull();
    expect(sealer.open('s1.x', undefined as unknown as { name: string; nowMs: number })).toBeNull();
    expect(sealer.open('s1.x', { name: 1 as unknown as string, nowMs })).toBeNull();
  });

  it('drops __proto__ keys from opened data', () => {
    const evil = JSON.parse('{"__proto__":{"admin":true},"user":"eve"}') as Record<string, unknown>;
    const opened = sealer.open(sealer.seal(evil, { name, iat, exp }), { name, nowMs });
    expect(opened?.data).toEqual({ user: 'eve' });
    const merged: Record<string, unknown> = Object.assign({}, opened?.data);
    expect(merged.admin).toBeUndefined();
  });

  it('compresses only when asked and when it helps, and opens both forms', () => {
    const big = { cart: Array.from({ length: 100 }, (_, index) => `sku-${index % 10}`) };
    const squeezing = createSealer({ secrets: [NEW], compress: true });
    const compressed = squeezing.seal(big, { name, iat, exp });
    const plain = sealer.seal(big, { name, iat, exp });
    expect(compressed.length).toBeLessThan(plain.length);
    expect(sealer.open(compressed, { name, nowMs })?.data).toEqual(big);
    expect(squeezing.open(plain, { name, nowMs })?.data).toEqual(big);
    expect(plaintextOf(compressed, NEW, name)[0]).toBe(0x01);
    const noise = { r: randomBytes(24).toString('base64url') };
    const incompressible = squeezing.seal(noise, { name, iat: 1, exp: 4_102_444_800 });
    expect(plaintextOf(incompressible, NEW, name).toString('utf8')).toBe(
      JSON.stringify({ exp: 4_102_444_800, iat: 1, data: noise }),
    );
  });

  it('writes the plaintext as {"exp","iat","data"} JSON when compression is off', () => {
    const token = sealer.seal({ a: 'é' }, { name, iat, exp });
    expect(plaintextOf(token, NEW, name).toString('utf8')).toBe(
      `{"exp":${exp},"iat":${iat},"data":{"a":"é"}}`,
    );
  });

  it('bounds the plaintext on seal and on open, including inflation', () => {
    const limited = createSealer({ secrets: [NEW], compress: true, maxPlaintextBytes: 200 });
    const roomy = createSealer({ secrets: [NEW], compress: true });
    const big = { text: 'x'.repeat(1000) };
    expect(() => limited.seal(big, { name, iat, exp })).toThrow(RangeError);
    const token = roomy.seal(big, { name, iat, exp });
    expect(token.length).toBeLessThan(200);
    expect(limited.open(token, { name, nowMs })).toBeNull();
    expect(roomy.open(token, { name, nowMs })?.data).toEqual(big);
    expect(DEFAULT_MAX_PLAINTEXT_BYTES).toBe(65536);
  });

  it.each([
    ['an array', [1, 2]],
    ['null', null],
    ['a string', 'x'],
  ])('refuses to seal %s as data', (_label, value) => {
    expect(() => sealer.seal(value as unknown as Record<string, unknown>, { name, iat, exp })).toThrow(
      TypeError,
    );
  });

  it('refuses non-integer times and a bad fixture nonce', () => {
    expect(() => sealer.seal({}, { name, iat: 1.5, exp })).toThrow(TypeError);
    expect(() => sealer.seal({}, { name, iat, exp: Number.NaN })).toThrow(TypeError);
    expect(() => sealWithFixedNonce(sealer, {}, { name, iat, exp }, new Uint8Array(11))).toThrow(TypeError);
    expect(() => sealWithFixedNonce({ ...sealer }, {}, { name, iat, exp }, new Uint8Array(12))).toThrow(
      TypeError,
    );
  });

  it('derives keys once, at construction', () => {
    const bytes = new Uint8Array(32).fill(9);
    const bytesSealer = createSealer({ secrets: [bytes] });
    const token = bytesSealer.seal({ a: 1 }, { name, iat, exp });
    bytes.fill(0);
    expect(bytesSealer.open(token, { name, nowMs })?.data).toEqual({ a: 1 });
  });

  it('uses keys distinct from the signer’s for the same secret', () => {
    const token = sealer.seal({ a: 1 }, { name, iat, exp });
    expect(createSigner({ secrets: [NEW] }).unsign(token)).toBeNull();
  });

  it.each([
    ['secrets', { secrets: [] }],
    ['secrets[0]', { secrets: ['short'] }],
    ['secrets[1]', { secrets: [NEW, new Uint8Array(8)] }],
    ['compress', { secrets: [NEW], compress: 'yes' }],
    ['maxPlaintextBytes', { secrets: [NEW], maxPlaintextBytes: 0 }],
    ['maxPlaintextBytes', { secrets: [NEW], maxPlaintextBytes: Number.POSITIVE_INFINITY }],
  ])('throws SessionConfigError naming %s', (option, options) => {
    const attempt = () => createSealer(options as unknown as Parameters<typeof createSealer>[0]);
    expect(attempt).toThrow(SessionConfigError);
    expect(attempt).toThrow(`\`${option}\``);
  });
});
