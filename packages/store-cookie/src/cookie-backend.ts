import {
  type CookieJar,
  CookieTooLarge,
  type CookieValue,
  type LoadContext,
  type LoadedSession,
  type SaveRequest,
  type SaveResult,
  type SessionBackend,
} from '@sess/core';
import { chunkName, chunksIn, cookieBytes, joinToken, splitToken } from './chunks.js';
import type { CookieCodec } from './codec.js';
import {
  BACKEND_NAME,
  type CookieBackendOptions,
  type ResolvedCookieOptions,
  resolveCookieOptions,
} from './options.js';
import { createSealedCodec, sealerFor } from './sealed-codec.js';
import { createSignedCodec } from './signed-codec.js';

/** Django's SESSION_COOKIE_AGE, used when the backend is loaded without a manager's context. */
const DEFAULT_COOKIE_AGE = 1_209_600;

/**
 * Creates the cookie engine: the session lives in the cookie itself, sealed with AES-256-GCM (default)
 * or signed in Django's `signed_cookies` format, split across numbered cookies when `maxCookies` allows.
 * Pass it to the manager as `backend`. Invalid options throw `SessionConfigError` naming the option.
 */
export function createCookieBackend(options: CookieBackendOptions): SessionBackend {
  const resolved = resolveCookieOptions(options);
  const limit = resolved.maxCookies * resolved.maxCookieBytes;
  const codec =
    resolved.mode === 'sealed' ? createSealedCodec(sealerFor(resolved), limit) : createSignedCodec(resolved);
  return cookieBackendWith(resolved, codec);
}

/** The backend over any codec (tests give it one that seals with a fixed nonce). */
export function cookieBackendWith(options: ResolvedCookieOptions, codec: CookieCodec): SessionBackend {
  const limits = { maxCookies: options.maxCookies, maxCookieBytes: options.maxCookieBytes };

  function write(request: SaveRequest, cookieName: string): SaveResult {
    // The manager stamps lastSeenAt with its clock at the save: that is the issue time.
    const now = request.meta.lastSeenAt;
    const token = codec.encode(request.data, { name: cookieName, now, expiresAt: request.expiresAt });
    const values = splitToken(cookieName, token, limits);
    if (values === null) {
      const limit = limits.maxCookies * limits.maxCookieBytes;
      throw new CookieTooLarge(BACKEND_NAME, cookieBytes(cookieName, token), limit);
    }
    const cookies: CookieValue[] = values.map((value, index) => ({
      name: index === 0 ? cookieName : chunkName(cookieName, index),
      value,
    }));
    // Chunks the browser holds that this value does not overwrite would linger: delete them.
    for (const chunk of request.jar ? chunksIn(request.jar, cookieName) : []) {
      if (chunk.index >= values.length) cookies.push({ name: chunk.name, value: null });
    }
    return { key: null, cookies };
  }

  return {
    name: BACKEND_NAME,
    capabilities: { serverSide: false, delta: false, ownerIndex: false, metadata: false },

    async load(jar: CookieJar, cookieName: string, context?: LoadContext): Promise<LoadedSession | null> {
      const token = joinToken(jar, cookieName, limits);
      if (token === null) return null;
      const now = context?.now ?? Date.now();
      const cookieAge = context?.cookieAge ?? DEFAULT_COOKIE_AGE;
      const opened = codec.decode(token, { name: cookieName, now, cookieAge });
      if (opened === null) return null;
      const loaded: LoadedSession = {
        key: null,
        data: opened.data,
        meta: { createdAt: opened.issuedAt, lastSeenAt: opened.issuedAt },
        expiresAt: opened.expiresAt,
      };
      if (opened.stale) loaded.reissue = true;
      return loaded;
    },

    save: async (request, cookieName) => write(request, cookieName),

    // A cookie's expiry is inside it: refreshing it means writing the cookie again.
    touch: async (request, cookieName) => write(request, cookieName),

    // Nothing lives on the server, so there is nothing to remove: the manager deletes the cookies.
    destroy: async () => {},

    cookiesToClear(jar: CookieJar, cookieName: string): CookieValue[] {
      const chunks = chunksIn(jar, cookieName).map((chunk) => ({ name: chunk.name, value: null }));
      return [{ name: cookieName, value: null }, ...chunks];
    },
  };
}
