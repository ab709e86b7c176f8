import { Buffer } from 'node:buffer';
import { CookieTooLarge } from '@sess/core';
import { createSealer, SEALED_PREFIX, type Sealer } from '@sess/core/codecs';
import type { CookieCodec } from './codec.js';
import { BACKEND_NAME, type ResolvedCookieOptions } from './options.js';

/** The sealer of the sealed mode, from the resolved options. */
export function sealerFor(options: ResolvedCookieOptions): Sealer {
  const secrets = [options.secretKey, ...options.secretKeyFallbacks];
  return createSealer({ secrets, compress: options.compress });
}

/**
 * The sealed cookie, version 1 (DESIGN.md): the session sealed with AES-256-GCM under the cookie name,
 * `iat` the second of the save and `exp` the second the session expires. `exp` is rounded down, so the
 * cookie never outlives the expiry the manager computed.
 */
export function createSealedCodec(sealer: Sealer, limitBytes: number): CookieCodec {
  return {
    encode(data, { name, now, expiresAt }) {
      const claims = { name, iat: Math.floor(now / 1000), exp: Math.floor(expiresAt / 1000) };
      try {
        return sealer.seal(data, claims);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        // Over the sealer's plaintext bound: report what the cookie would take without compression.
        const json = Buffer.byteLength(JSON.stringify({ exp: claims.exp, iat: claims.iat, data }));
        const size = name.length + 1 + SEALED_PREFIX.length + Math.ceil(((json + 28) * 4) / 3);
        throw new CookieTooLarge(BACKEND_NAME, size, limitBytes);
      }
    },
    decode(token, { name, now }) {
      const opened = sealer.open(token, { name, nowMs: now });
      if (!opened) return null;
      return {
        data: opened.data,
        issuedAt: opened.iat * 1000,
        expiresAt: opened.exp * 1000,
        stale: opened.secretIndex > 0,
      };
    },
  };
}
