import { CookieTooLarge } from '@sess/core';
import type {
  BackendProvider,
  BackendSettings,
  BackendWrite,
  CookieJar,
  CookieValue,
  OpenedSession,
  SaveResult,
  SessionBackend,
} from '@sess/core/store';
import { chunkName, chunksIn, cookieBytes, joinToken, splitToken } from './chunks.js';
import type { CookieCodec } from './codec.js';
import {
  BACKEND_NAME,
  type CookieStoreOptions,
  type ResolvedCookieOptions,
  resolveCookieOptions,
} from './options.js';
import { createSealedCodec, sealerFor } from './sealed-codec.js';
import { createSignedCodec } from './signed-codec.js';

/** What the cookie engine opened: the session, and the request's cookies its writes must answer. */
export interface OpenedCookieSession extends OpenedSession {
  /** The cookies of the request the session was opened from (to find the chunks the browser holds). */
  readonly jar: CookieJar;
}

/** The request's cookies, when `opened` came from this engine (the manager hands back what `open` gave). */
function jarOf(opened: OpenedSession): CookieJar | null {
  return 'jar' in opened ? (opened as OpenedCookieSession).jar : null;
}

/**
 * Creates the cookie engine: the session lives in the cookie itself, sealed with AES-256-GCM (default)
 * or signed in Django's `signed_cookies` format, split across numbered cookies when `maxCookies` allows.
 * Give it to the manager as its store: `createSessionManager({ store: createCookieStore({ secretKey }) })`.
 * Invalid options throw `SessionConfigError` naming the option.
 */
export function createCookieStore(options: CookieStoreOptions): BackendProvider {
  const resolved = resolveCookieOptions(options);
  const limit = resolved.maxCookies * resolved.maxCookieBytes;
  const codec =
    resolved.mode === 'sealed' ? createSealedCodec(sealerFor(resolved), limit) : createSignedCodec(resolved);
  return cookieStoreWith(resolved, codec);
}

/** The engine over any codec (tests give it one that seals with a fixed nonce). */
export function cookieStoreWith(options: ResolvedCookieOptions, codec: CookieCodec): BackendProvider {
  return {
    name: BACKEND_NAME,
    createBackend: (settings) => cookieBackend(options, codec, settings),
  };
}

/** The backend one manager talks to, bound to its cookie name, cookie age and clock. */
function cookieBackend(
  options: ResolvedCookieOptions,
  codec: CookieCodec,
  settings: BackendSettings,
): SessionBackend {
  const { cookieName, cookieAge, clock } = settings;
  const limits = { maxCookies: options.maxCookies, maxCookieBytes: options.maxCookieBytes };

  // A cookie's expiry is inside it: a save and a touch both write the record whole, sealed or signed.
  function write(opened: OpenedSession, { record, change }: BackendWrite): SaveResult {
    // The manager's clock at the write is the issue time.
    const token = codec.encode(record.data, {
      name: cookieName,
      now: change.now,
      expiresAt: record.expiresAt,
    });
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
    const jar = jarOf(opened);
    for (const chunk of jar ? chunksIn(jar, cookieName) : []) {
      if (chunk.index >= values.length) cookies.push({ name: chunk.name, value: null });
    }
    return { key: null, cookies };
  }

  return {
    name: BACKEND_NAME,
    capabilities: { serverSide: false, delta: false, ownerIndex: false, metadata: false, rawKeys: true },

    async open(jar: CookieJar): Promise<OpenedCookieSession> {
      const token = joinToken(jar, cookieName, limits);
      const opened =
        token === null ? null : codec.decode(token, { name: cookieName, now: clock.now(), cookieAge });
      if (opened === null) return { key: null, record: null, jar };
      const meta = { createdAt: opened.issuedAt, lastSeenAt: opened.issuedAt };
      const record = { data: opened.data, expiresAt: opened.expiresAt, meta };
      return opened.stale ? { key: null, record, reissue: true, jar } : { key: null, record, jar };
    },

    save: async (opened, request) => write(opened, request),
    touch: async (opened, request) => write(opened, request),

    clear(opened: OpenedSession): CookieValue[] {
      const jar = jarOf(opened);
      const chunks = jar ? chunksIn(jar, cookieName).map((chunk) => ({ name: chunk.name, value: null })) : [];
      return [{ name: cookieName, value: null }, ...chunks];
    },

    // Nothing lives on the server, so there is nothing to remove: the manager deletes the cookies.
    destroy: async () => {},
    destroyRecord: async () => {},
    recordId: (key) => key,
  };
}
