import {
  createDjangoSigner,
  type DjangoLoadOptions,
  type DjangoLoadResult,
  type DjangoSignerOptions,
} from '../codecs/django-signing.js';
import type { Secret } from '../codecs/secrets.js';
import type { SessionData } from './contract.js';
import { type DjangoVersion, djangoReadsIsoExpiry, withSecondsExpiry } from './django-compat.js';

/** Django's session settings, as `djangoFormatOptionSpecs` resolves them. */
export interface DjangoSessionSettings {
  readonly secretKey: Secret;
  readonly secretKeyFallbacks: readonly Secret[];
  readonly keySalt: string;
  readonly version: DjangoVersion;
}

/** Django's signed session encoding for one configured Django (its key, fallbacks, salt and version). */
export interface DjangoSessionCodec {
  /** The data as that Django reads it: below 4.1, an instant in `_session_expiry` becomes whole seconds. */
  readable(data: SessionData, now: number): SessionData;
  /** `signing.dumps` of the data (made {@link readable}) at `now`, byte for byte as Django writes it. */
  dumps(data: SessionData, now: number): string;
  /** `signing.loads`, as a result; never throws. */
  loads(text: string, options?: DjangoLoadOptions): DjangoLoadResult;
}

/**
 * The codec every engine that shares sessions with Django signs and opens them with (its database table,
 * its files, its signed cookies): one place for the key, the fallbacks, the salt and the version rule.
 */
export function createDjangoSessionCodec(
  settings: DjangoSessionSettings,
  options: Pick<DjangoSignerOptions, 'compress' | 'parse'> = {},
): DjangoSessionCodec {
  const signer = createDjangoSigner({
    secret: settings.secretKey,
    fallbackSecrets: settings.secretKeyFallbacks,
    salt: settings.keySalt,
    ...options,
  });
  const isoExpiry = djangoReadsIsoExpiry(settings.version);
  const readable = (data: SessionData, now: number): SessionData =>
    isoExpiry ? data : withSecondsExpiry(data, now);
  return {
    readable,
    dumps: (data, now) => signer.dumps(readable(data, now), now),
    loads: (text, loadOptions) => signer.loads(text, loadOptions),
  };
}
