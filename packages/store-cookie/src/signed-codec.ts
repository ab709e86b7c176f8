import { decodeBase62 } from '@sess/core/codecs';
import { createDjangoSessionCodec } from '@sess/core/store';
import { type CookieCodec, isDataObject } from './codec.js';
import type { ResolvedCookieOptions } from './options.js';

/** The signing time of a verified Django value `<payload>:<base62 time>:<signature>`, in seconds. */
function timestampOf(token: string): number | null {
  const end = token.lastIndexOf(':');
  const start = token.lastIndexOf(':', end - 1) + 1;
  return start > 0 ? decodeBase62(token.slice(start, end)) : null;
}

/**
 * Django's `signed_cookies` engine: the cookie value is `signing.dumps(session, compress=True,
 * salt=…)`, byte for byte. Opening accepts `secretKey` (SECRET_KEY) and `secretKeyFallbacks`
 * (SECRET_KEY_FALLBACKS), and refuses a value signed more than the manager's cookie age ago
 * (`age > max_age`, with a fractional age), as Django does. Like Django, it ignores a custom
 * `setExpiry()` when opening: only the age since the last save counts. For a Django older than 4.1
 * (`version`), an instant in `_session_expiry` is written as whole seconds from the save.
 */
export function createSignedCodec(options: ResolvedCookieOptions): CookieCodec {
  const codec = createDjangoSessionCodec(options, { compress: options.compress });
  return {
    encode: (data, { now }) => codec.dumps(data, now),
    decode(token, { now, cookieAge }) {
      const result = codec.loads(token, { maxAgeSeconds: cookieAge, nowMs: now });
      if (!result.ok || !isDataObject(result.value)) return null;
      const signedAt = timestampOf(token);
      if (signedAt === null) return null;
      return {
        data: result.value,
        issuedAt: signedAt * 1000,
        expiresAt: (signedAt + cookieAge) * 1000,
        stale: result.secretIndex > 0,
      };
    },
  };
}
