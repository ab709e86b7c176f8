import { Buffer } from 'node:buffer';
import { createDecipheriv, hkdfSync } from 'node:crypto';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { createSessionManager, type SessionManager } from '@sess/core';
import { createSigner } from '@sess/core/codecs';
import { createTestClock } from '@sess/core/testing';
import { createCookieStore } from '@sess/store-cookie';
import { describe, expect, it } from 'vitest';

/**
 * The cookie engine's cryptography (ASVS 5 V11, V9.1; OWASP cheat sheet F-rows): AES-256-GCM under keys
 * derived with HKDF, a fresh nonce per cookie, the cookie name bound as associated data, a version
 * prefix, ordered key rotation with re-sealing, short secrets refused, constant-time MAC comparison.
 * The sealed cookie is opened here by an independent implementation, from the format's description.
 */
const require = createRequire(import.meta.url);
const NEW = 'security-crypto-secret-new-0123456789abcdef';
const OLD = 'security-crypto-secret-old-fedcba9876543210';
const START = Date.UTC(2024, 0, 1);
// The HKDF `info` strings of the format's description (packages/core/src/codecs/sealer.ts and signer.ts),
// written out here so this independent check does not take them from the code it checks.
const SEALER_KEY_INFO = 'sess/seal/v1';
const SIGNER_KEY_INFO = 'sess/sign/v1';

function managerWith(
  secrets: string[],
  options: { cookieName?: string; mode?: 'signed' } = {},
): SessionManager {
  const [secretKey = '', ...secretKeyFallbacks] = secrets;
  const store = createCookieStore({
    secretKey,
    secretKeyFallbacks,
    ...(options.mode ? { mode: options.mode } : {}),
  });
  return createSessionManager({
    store,
    clock: createTestClock(START),
    cookieAge: 3600,
    ...(options.cookieName ? { cookieName: options.cookieName } : {}),
  });
}

/** One request with `cookie`; returns the value of the Set-Cookie it got (if any) and the data it saw. */
async function visit(manager: SessionManager, cookie?: string, write?: Record<string, unknown>) {
  const request = manager.open(cookie ? { cookieHeader: cookie } : {});
  const session = await request.load();
  const seen = session.toJSON();
  if (write) session.update(write);
  const [header] = (await request.commit(200)).setCookie;
  return { seen, value: header?.slice(header.indexOf('=') + 1, header.indexOf(';')) };
}

/** Opens a sealed value with AES-256-GCM and the HKDF-SHA256 key of `secret`, or null. */
function unseal(value: string, secret: string, name = 'sessionid'): unknown {
  if (!value.startsWith('s1.')) return null;
  const raw = Buffer.from(value.slice(3), 'base64url');
  const key = Buffer.from(
    hkdfSync('sha256', Buffer.from(secret), Buffer.alloc(0), Buffer.from(SEALER_KEY_INFO), 32),
  );
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(`s1.${name}`));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(12, -16)), decipher.final()]).toString());
  } catch {
    return null;
  }
}

describe('the sealed cookie', () => {
  it('is AES-256-GCM under an HKDF-SHA256 key, with the name as associated data and the expiry inside', async () => {
    const { value } = await visit(managerWith([NEW]), undefined, { user: 'ann' });
    const iat = START / 1000;
    expect(unseal(value as string, NEW)).toEqual({ exp: iat + 3600, iat, data: { user: 'ann' } });
    expect(unseal(value as string, NEW, 'othername')).toBeNull();
    expect(unseal(value as string, OLD)).toBeNull();
  });

  it('draws a fresh 96-bit nonce for every cookie: 10,000 seals of the same data, no nonce twice', async () => {
    const manager = managerWith([NEW]);
    const nonces = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const { value } = await visit(manager, undefined, { user: 'ann' });
      nonces.add(
        Buffer.from((value as string).slice(3), 'base64url')
          .subarray(0, 12)
          .toString('hex'),
      );
    }
    expect(nonces.size).toBe(10_000);
  });

  it('opens only under its own cookie name and its own version prefix', async () => {
    const { value } = await visit(managerWith([NEW]), undefined, { user: 'ann' });
    const body = (value as string).slice(3);
    expect((await visit(managerWith([NEW], { cookieName: 'other' }), `other=${value}`)).seen).toEqual({});
    expect((await visit(managerWith([NEW]), `sessionid=s2.${body}`)).seen).toEqual({});
    expect((await visit(managerWith([NEW]), `sessionid=${value}`)).seen).toEqual({ user: 'ann' });
  });

  it('rotates keys in order: an old-key cookie opens and is re-sealed under the new key; a removed key opens nothing', async () => {
    const { value: old } = await visit(managerWith([OLD]), undefined, { user: 'ann' });
    const rotated = await visit(managerWith([NEW, OLD]), `sessionid=${old}`);
    expect(rotated.seen).toEqual({ user: 'ann' });
    expect(unseal(rotated.value as string, NEW)).toMatchObject({ data: { user: 'ann' } });
    expect(unseal(rotated.value as string, OLD)).toBeNull();
    expect((await visit(managerWith([NEW]), `sessionid=${old}`)).seen).toEqual({});
  });

  it('refuses a secret shorter than 32 characters; sealing and signing keys of one secret differ', () => {
    expect(() => createCookieStore({ secretKey: 'x'.repeat(31) })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', option: 'secretKey' }),
    );
    const derive = (info: string) =>
      Buffer.from(hkdfSync('sha256', Buffer.from(NEW), Buffer.alloc(0), Buffer.from(info), 32));
    expect(SEALER_KEY_INFO).not.toBe(SIGNER_KEY_INFO);
    expect(derive(SEALER_KEY_INFO).equals(derive(SIGNER_KEY_INFO))).toBe(false);
  });
});

describe('MAC comparison', () => {
  it('goes through crypto.timingSafeEqual for the signer and for Django-signed cookies', async () => {
    const crypto = require('node:crypto') as { timingSafeEqual: (a: Uint8Array, b: Uint8Array) => boolean };
    const original = crypto.timingSafeEqual;
    let compared = 0;
    crypto.timingSafeEqual = (a, b) => {
      compared++;
      return original(a, b);
    };
    syncBuiltinESMExports();
    try {
      const signer = createSigner({ secrets: [NEW] });
      const signed = signer.sign('value');
      expect(signer.unsign(`${signed.slice(0, -1)}${signed.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
      const afterSigner = compared;
      expect(afterSigner).toBeGreaterThan(0);
      const django = managerWith(['django-insecure-secret'], { mode: 'signed' });
      const { value } = await visit(django, undefined, { user: 'ann' });
      const tampered = `${(value as string).slice(0, -2)}${(value as string).endsWith('AA') ? 'BB' : 'AA'}`;
      expect((await visit(django, `sessionid=${tampered}`)).seen).toEqual({});
      expect(compared).toBeGreaterThan(afterSigner);
    } finally {
      crypto.timingSafeEqual = original;
      syncBuiltinESMExports();
    }
  });
});
