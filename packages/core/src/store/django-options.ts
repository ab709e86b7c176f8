import type { DjangoLoadFailure } from '../codecs/django-signing.js';
import type { Secret } from '../codecs/secrets.js';
import * as option from '../options/option-kinds.js';
import { DJANGO_VERSION_EXPECTED, type DjangoVersion, parseDjangoVersion } from './django-compat.js';

const isSecret = (value: unknown): value is Secret =>
  (typeof value === 'string' || value instanceof Uint8Array) && value.length > 0;

/**
 * The options every engine that reads and writes Django's signed session format shares (its database
 * table, its files, its signed cookies), declared once with Django's names. Spread them into the
 * engine's own declaration; `keySalt` is the salt the engine's Django backend signs with.
 */
export function djangoFormatOptionSpecs(keySalt: string) {
  return {
    /**
     * Django's `SECRET_KEY`: signs what the engine writes and verifies what it reads. Text is used as UTF-8
     * (as Django does), bytes raw. Required.
     */
    secretKey: option.required(
      option.custom<Secret | undefined>({
        default: undefined,
        expected: "a non-empty string or Uint8Array (Django's SECRET_KEY)",
        secret: true,
        check: (value, invalid) => (isSecret(value) ? value : invalid()),
      }),
    ),
    /**
     * Django's `SECRET_KEY_FALLBACKS`: older keys, tried in order to verify, never used to sign. What one of
     * them signed is signed again with `secretKey` when the session is next saved.
     */
    secretKeyFallbacks: option.custom<readonly Secret[]>({
      default: [],
      defaultText: '[]',
      expected: 'an array of non-empty strings or Uint8Arrays, newest first',
      secret: true,
      check: (value, invalid) => {
        if (!Array.isArray(value)) return invalid();
        value.forEach((each, index) => {
          if (!isSecret(each))
            invalid(`an array of secrets; entry ${index} is not a non-empty string or Uint8Array`);
        });
        return [...(value as Secret[])];
      },
    }),
    /**
     * The salt Django signs the session with: `'django.contrib.sessions.' + SessionStore.__qualname__` for the
     * database and file backends, `'django.contrib.sessions.backends.signed_cookies'` for signed cookies.
     * Change it only for a Django project that uses its own `SessionStore` subclass.
     */
    keySalt: option.text({ default: keySalt }),
    /**
     * The Django version (`'MAJOR.MINOR'`, 3.1 or later) that shares the sessions. Below 4.1 Django cannot read
     * an ISO date in `_session_expiry`, so one is written as whole seconds from the save instead.
     */
    version: option.custom<DjangoVersion, string>({
      default: [5, 2],
      defaultText: "'5.2'",
      expected: DJANGO_VERSION_EXPECTED,
      check: (value, invalid) => parseDjangoVersion(value) ?? invalid(),
    }),
    /**
     * Called when stored data fails verification (a wrong `secretKey`, tampering) or cannot be decoded; the
     * session is then treated as absent. Where Django logs "Session data corrupted". Never given the key or
     * the data.
     */
    onInvalidData: option.callback<(reason: DjangoLoadFailure) => void>({
      default: undefined,
      expected: 'a function',
    }),
  };
}
