import { CapabilityMissing } from '@sess/core';
import { createDjangoSigner, type DjangoLoadFailure, type Secret } from '@sess/core/codecs';
import {
  type DjangoVersion,
  djangoReadsIsoExpiry,
  EXPIRY_KEY,
  type MetaChange,
  parsePythonIsoFormat,
  type RecordMeta,
  type SessionData,
  withSecondsExpiry,
} from '@sess/core/store';
import { djangoMigrationSql } from './django-schema.js';
import { STORE_NAME } from './options.js';
import type { RowFormat } from './row-format.js';
import { at, clearBatchSql, ms } from './sql-parts.js';
import type { TableName } from './table-name.js';

/** What the Django format needs of the options: Django's signing settings and version. */
export interface DjangoFormatSettings {
  secretKey: Secret;
  secretKeyFallbacks: readonly Secret[];
  keySalt: string;
  version: DjangoVersion;
  onInvalidData: ((reason: DjangoLoadFailure) => void) | undefined;
}

const isPlainObject = (value: unknown): value is SessionData =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Django's table has no metadata columns: binding an owner or setting an absolute deadline could not be
 * stored, so they are refused (core refuses `setOwner()` and `absoluteTimeout` before they get here).
 * Unbinding, the lifetime and rotation links have nothing to change and do nothing.
 */
function assertStorable(meta: { owner?: string | null | undefined; deadline?: number | undefined }): void {
  if (typeof meta.owner === 'string') {
    throw new CapabilityMissing(STORE_NAME, 'session owners in Django mode (capabilities.ownerIndex)');
  }
  if (meta.deadline !== undefined) {
    throw new CapabilityMissing(STORE_NAME, 'absolute deadlines in Django mode (Django stores no metadata)');
  }
}

/**
 * The `expire_date` an update writes (ms), or null to keep the row's. As given when the request set the
 * expiry; otherwise refreshed from the lifetime Django keeps inside the data, `_session_expiry`, as Django
 * computes `expire_date` on save: an age in seconds slides from now, a date is a fixed instant (the row
 * keeps its `expire_date`), none (or `0`, at browser close) slides by the default lifetime.
 */
function updatedExpiry(data: SessionData, change: MetaChange): number | null {
  if (change.expiry) return change.expiry.expiresAt;
  const own = data[EXPIRY_KEY];
  if (typeof own === 'string' && parsePythonIsoFormat(own) !== null) return null;
  const lifetime = typeof own === 'number' && own !== 0 ? own : change.defaultLifetime;
  return change.now + lifetime * 1000;
}

/**
 * Django's row format, on Django's own `django_session` table: `session_key`, `session_data` (Django's
 * `signing.dumps` under `SECRET_KEY`, zlib-compressed when shorter, JSON as Python writes it) and
 * `expire_date`. It keeps only what Django keeps: data written whole (no delta; the last writer wins, as
 * between two Django processes), no owner index, no metadata (a loaded record's `createdAt` and
 * `lastSeenAt` are the load time). A row whose signature or encoding is bad reads as absent (Django itself
 * would keep the key with empty data); `onInvalidData` hears about it.
 */
export function djangoRowFormat(table: TableName, settings: DjangoFormatSettings): RowFormat {
  const t = table.sql;
  const signer = createDjangoSigner({
    secret: settings.secretKey,
    fallbackSecrets: settings.secretKeyFallbacks,
    salt: settings.keySalt,
    // Give back every key Django stored, as own data (JSON.parse never sets a prototype): a key dropped on
    // load would be dropped from Django's row by the next save.
    parse: JSON.parse,
  });
  const isoExpiry = djangoReadsIsoExpiry(settings.version);
  /** `session_data` for `data`, signed at `now` with the current key. */
  const encode = (data: SessionData, now: number): string =>
    signer.dumps(isoExpiry ? data : withSecondsExpiry(data, now), now);
  const live = (n: number) => `"session_key" = $1 AND "expire_date" > ${at(n)}`;
  const sinceLoad = (now: number): RecordMeta => ({ createdAt: now, lastSeenAt: now });

  return {
    name: 'django',
    capabilities: { delta: false, ownerIndex: false, metadata: false, sharedKeys: true },
    migration: djangoMigrationSql(table),
    missingTableHint:
      "Django's table is missing: run `manage.py migrate sessions`, or store.migrate() in development",

    load: (id, now) => ({
      text: `SELECT "session_data", ${ms('"expire_date"')} FROM ${t} WHERE ${live(2)}`,
      values: [id, now],
    }),

    record(row, now) {
      const opened = signer.loads(String(row.session_data));
      const reason = !opened.ok ? opened.reason : isPlainObject(opened.value) ? undefined : 'malformed';
      if (reason !== undefined) {
        settings.onInvalidData?.(reason);
        return null;
      }
      const data = (opened as { value: SessionData }).value;
      return { data, expiresAt: Math.floor(Number(row.expire_date)), meta: sinceLoad(now) };
    },

    create(id, record, now) {
      assertStorable(record.meta);
      // A key held by an expired row is free: the expired row is replaced in the same statement.
      const text = `INSERT INTO ${t} AS s ("session_key", "session_data", "expire_date") VALUES ($1, $2, ${at(3)})
ON CONFLICT ("session_key") DO UPDATE SET "session_data" = excluded."session_data", "expire_date" = excluded."expire_date"
WHERE s."expire_date" <= ${at(4)}`;
      return { text, values: [id, encode(record.data, now), record.expiresAt, now] };
    },

    update(id, update, now) {
      assertStorable(update.meta);
      const text = `UPDATE ${t} SET "session_data" = $2, "expire_date" = COALESCE(${at(3)}, "expire_date") WHERE ${live(4)}`;
      return { text, values: [id, encode(update.data, now), updatedExpiry(update.data, update.meta), now] };
    },

    // The data is not read here, so `_session_expiry` cannot be: without an expiry of its own the touch
    // slides by the default lifetime (Django's table keeps no other). The manager never touches a store
    // without metadata (it refuses touchInterval).
    touch(id, change, now) {
      assertStorable(change);
      const expiresAt = change.expiry?.expiresAt ?? change.now + change.defaultLifetime * 1000;
      const text = `UPDATE ${t} SET "expire_date" = ${at(2)} WHERE ${live(3)}`;
      return { text, values: [id, expiresAt, now] };
    },

    destroy: (id, now) => ({
      text: `DELETE FROM ${t} WHERE "session_key" = $1 RETURNING "expire_date" > ${at(2)} AS live`,
      values: [id, now],
    }),
    meta: (_row, now) => sinceLoad(now),

    clearBatch: (now, batchSize) => ({
      text: clearBatchSql(table, '"session_key"', '"expire_date"'),
      values: [now, batchSize],
    }),
  };
}
