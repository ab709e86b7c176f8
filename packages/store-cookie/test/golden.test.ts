import { Buffer } from 'node:buffer';
import type { Sealer } from '@sess/core/codecs';
import { createTestClock } from '@sess/core/testing';
import { describe, expect, it } from 'vitest';
// The fixed-nonce door exists only in core's source, for golden fixtures; it is not a public export.
import { createSealer as createSourceSealer, sealWithFixedNonce } from '../../core/src/codecs/sealer.js';
import { cookieStoreWith } from '../src/cookie-store.js';
import { createCookieStore } from '../src/index.js';
import { resolveCookieOptions } from '../src/options.js';
import { createSealedCodec } from '../src/sealed-codec.js';
import { openByHand, tokenOf } from './by-hand.js';
import { bind, jarOf, NOTHING_OPENED, readFixture, writeOf } from './support.js';

interface GoldenCase {
  label: string;
  secrets: string[];
  sealWith: number;
  cookieName: string;
  now: number;
  expiresAt: number;
  maxCookies: number;
  maxCookieBytes: number;
  compress: boolean;
  data: Record<string, unknown>;
  nonceHex: string;
  iat: number;
  exp: number;
  cookies: { name: string; value: string }[];
}

const golden = readFixture<{ cases: GoldenCase[] }>('sealed-cookies.json').cases;
const named = (cases: GoldenCase[]) => cases.map((each) => [each.label, each] as const);
const limitsOf = (each: GoldenCase) => ({ maxCookies: each.maxCookies, maxCookieBytes: each.maxCookieBytes });

/** A backend like the real one, except that it seals with the fixture's nonce. */
function fixedNonceBackend(each: GoldenCase) {
  const secretKey = each.secrets[each.sealWith] as string;
  const secrets = [secretKey];
  const options = resolveCookieOptions({ secretKey, compress: each.compress, ...limitsOf(each) });
  const source = createSourceSealer({ secrets, compress: each.compress });
  const nonce = Buffer.from(each.nonceHex, 'hex');
  const sealer: Sealer = {
    seal: (data, claims) => sealWithFixedNonce(source, data, claims, nonce),
    open: (token, openOptions) => source.open(token, openOptions),
  };
  const store = cookieStoreWith(options, createSealedCodec(sealer, each.maxCookies * each.maxCookieBytes));
  return bind(store, { cookieName: each.cookieName });
}

describe('golden sealed cookies (written by an independent Python implementation)', () => {
  it.each(named(golden))('%s: the fixture opens by hand to the frozen plaintext', (_label, each) => {
    const plaintext = openByHand(
      tokenOf(each.cookies),
      each.secrets[each.sealWith] as string,
      each.cookieName,
    );
    expect(JSON.parse(plaintext)).toEqual({ exp: each.exp, iat: each.iat, data: each.data });
    expect(Object.keys(JSON.parse(plaintext))).toEqual(['exp', 'iat', 'data']);
  });

  it.each(named(golden.filter((each) => !each.compress)))(
    '%s: saving with the same nonce and clock gives the same cookies byte for byte',
    async (_label, each) => {
      const backend = fixedNonceBackend(each);
      const write = writeOf(each.data, { now: each.now, expiresAt: each.expiresAt });
      const { key, cookies } = await backend.save(NOTHING_OPENED, write);
      expect(key).toBeNull();
      expect(cookies).toEqual(each.cookies);
    },
  );

  it.each(named(golden))(
    '%s: the real backend opens it, and only under its name and before exp',
    async (_label, each) => {
      const [secretKey, ...secretKeyFallbacks] = each.secrets as [string, ...string[]];
      const store = createCookieStore({ secretKey, secretKeyFallbacks, ...limitsOf(each) });
      const clock = createTestClock(each.now);
      const backend = bind(store, { cookieName: each.cookieName, clock });
      const jar = jarOf(Object.fromEntries(each.cookies.map((cookie) => [cookie.name, cookie.value])));
      const opened = await backend.open(jar);
      expect(opened).toEqual({
        key: null,
        record: {
          data: each.data,
          meta: { createdAt: each.iat * 1000, lastSeenAt: each.iat * 1000 },
          expiresAt: each.exp * 1000,
        },
        ...(each.sealWith > 0 ? { reissue: true } : {}),
        jar,
      });
      clock.set(each.exp * 1000 - 1);
      expect((await backend.open(jar)).record).not.toBeNull();
      clock.set(each.exp * 1000);
      expect((await backend.open(jar)).record).toBeNull();
      clock.set(each.now);
      const renamed = jarOf(
        Object.fromEntries(
          each.cookies.map((cookie) => [cookie.name.replace(each.cookieName, 'x'), cookie.value]),
        ),
      );
      expect((await bind(store, { cookieName: 'x', clock }).open(renamed)).record).toBeNull();
    },
  );
});
