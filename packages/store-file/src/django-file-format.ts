import { CapabilityMissing } from '@sess/core';
import { createDjangoSigner } from '@sess/core/codecs';
import {
  djangoReadsIsoExpiry,
  isValidSessionKey,
  type RecordHead,
  type RecordMeta,
  type ResolvedOptions,
  type SessionData,
  type SessionRecord,
  withSecondsExpiry,
} from '@sess/core/store';
import { djangoExpiresAt, djangoLifetime, djangoMtime } from './django-expiry.js';
import { DJANGO_FILE_FORMAT_OPTIONS, type DjangoFileFormatOptions } from './django-options.js';
import type { EncodedFile, FileFormat, RetimedFile, StoredFile } from './file-format.js';
import { STORE_NAME } from './options.js';

/** {@link FileFormat} of Django's file backend, with what the format was configured for. */
export interface DjangoFileFormat extends FileFormat {
  /** `SESSION_COOKIE_AGE`, seconds. */
  readonly cookieAge: number;
  /** The Django version the format writes for, `'MAJOR.MINOR'`. */
  readonly djangoVersion: string;
}

/** The format's options after validation. */
export type ResolvedDjangoFormatOptions = ResolvedOptions<typeof DJANGO_FILE_FORMAT_OPTIONS.specs>;

const isPlainObject = (value: unknown): value is SessionData =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Django keeps only the data: an owner, a deadline or a rotation link cannot be stored, so they are refused. */
function assertStorable(meta: RecordMeta): void {
  if (meta.owner !== undefined) {
    throw new CapabilityMissing(STORE_NAME, 'session owners in Django mode (capabilities.ownerIndex)');
  }
  if (meta.deadline !== undefined) {
    throw new CapabilityMissing(STORE_NAME, 'absolute deadlines in Django mode (Django stores no metadata)');
  }
  if (meta.previous !== undefined || meta.next !== undefined) {
    throw new CapabilityMissing(STORE_NAME, 'rotation links in Django mode (Django stores no metadata)');
  }
}

/**
 * The content of Django's file session backend (`django.contrib.sessions.backends.file`): the file holds
 * exactly `SessionStore.encode(data)`, which is `signing.dumps(data, salt=keySalt, compress=True)` under
 * `SECRET_KEY` (the same text as a `django_session.session_data` column), and its mtime dates it: a session
 * expires at `_session_expiry` when that is an instant, otherwise `_session_expiry` seconds (or
 * `SESSION_COOKIE_AGE` when there is none, or 0) after the mtime. Use it with the prefix `'sessionid'`
 * (the cookie name), or through `createDjangoFileStore`, which sets everything up.
 *
 * Files are named by the raw 32-character session key (Django finds them by it; `capabilities.sharedKeys`).
 * Writes are whole-record (`capabilities.delta` false: Django rewrites files whole and takes no lock) and
 * keep only Django's data (`capabilities.metadata` false): a loaded record's `createdAt` and `lastSeenAt`
 * are the file's mtime, and its `lifetime` is what `_session_expiry` says. A touch moves the mtime only, as
 * Django's expiry does. A file that fails verification is no session (`onInvalidData` hears why, also
 * from a sweep), and `clearExpired()` keeps it until its mtime plus the cookie age, as Django's own
 * `clear_expired()` would.
 */
export function djangoFileFormat(options: DjangoFileFormatOptions): DjangoFileFormat {
  return createDjangoFileFormat(DJANGO_FILE_FORMAT_OPTIONS.resolve(options));
}

/** {@link djangoFileFormat} from options already validated. */
export function createDjangoFileFormat(resolved: ResolvedDjangoFormatOptions): DjangoFileFormat {
  const { cookieAge, version, onInvalidData } = resolved;
  const signer = createDjangoSigner({
    secret: resolved.secretKey,
    fallbackSecrets: resolved.secretKeyFallbacks,
    salt: resolved.keySalt,
    // Every key Django stored comes back as own data (JSON.parse never sets a prototype): a key dropped
    // on load would be dropped from Django's file by the next save.
    parse: JSON.parse,
  });
  const isoExpiry = djangoReadsIsoExpiry(version);

  return {
    name: 'django-file',
    cookieAge,
    djangoVersion: `${version[0]}.${version[1]}`,
    capabilities: { delta: false, metadata: false, sharedKeys: true },

    isRecordId: (id: string): boolean => isValidSessionKey(id),

    encode(record: SessionRecord): EncodedFile {
      assertStorable(record.meta);
      // The write's instant (lastSeenAt) is the signing time, as Django's time.time() at its save.
      const now = record.meta.lastSeenAt;
      const data = isoExpiry ? record.data : withSecondsExpiry(record.data, now);
      return {
        content: signer.dumps(data, now),
        mtimeMs: djangoMtime(data, record.expiresAt, now, cookieAge),
      };
    },

    decode(file: StoredFile): SessionRecord | null {
      // An empty file is Django's placeholder between its O_EXCL create and the rename of the content.
      if (file.content.length === 0) return null;
      const opened = signer.loads(file.content.toString('latin1'));
      const reason = !opened.ok ? opened.reason : isPlainObject(opened.value) ? undefined : 'malformed';
      if (reason !== undefined) {
        onInvalidData?.(reason);
        return null;
      }
      const data = (opened as { value: SessionData }).value;
      // Sub-millisecond digits of an mtime are noise from the float round trip through utimes().
      const mtime = Math.round(file.mtimeMs);
      const meta: RecordMeta = { createdAt: mtime, lastSeenAt: mtime };
      const lifetime = djangoLifetime(data);
      if (lifetime !== undefined) meta.lifetime = lifetime;
      return { data, expiresAt: djangoExpiresAt(data, mtime, cookieAge), meta };
    },

    retime(_file: StoredFile, record: SessionRecord, head: RecordHead): RetimedFile {
      assertStorable(head.meta);
      return { mtimeMs: djangoMtime(record.data, head.expiresAt, head.meta.lastSeenAt, cookieAge) };
    },

    keepUnreadableUntil: (file: StoredFile): number => file.mtimeMs + cookieAge * 1000,
  };
}
