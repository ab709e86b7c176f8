import type { MetaChange, RecordMeta, SessionRecord, SessionUpdate } from '@sess/core/store';
import { decodeData, encodeData, encodeKey } from './json-text.js';
import { nativeStatements } from './native-statements.js';
import type { Row, RowFormat } from './row-format.js';
import { migrationSql } from './schema.js';
import type { TableName } from './table-name.js';

const toMs = (value: unknown): number => (value instanceof Date ? value.getTime() : Number(value));
const present = (value: unknown): boolean => value !== null && value !== undefined;

/** The metadata of a row read with the metadata columns. */
function metaOf(row: Row): RecordMeta {
  const meta: RecordMeta = { createdAt: toMs(row.created_at), lastSeenAt: toMs(row.last_seen_at) };
  if (present(row.owner)) meta.owner = String(row.owner);
  if (present(row.deadline)) meta.deadline = toMs(row.deadline);
  if (present(row.lifetime)) meta.lifetime = Number(row.lifetime);
  if (present(row.previous)) meta.previous = String(row.previous);
  if (present(row.next)) meta.next = String(row.next);
  return meta;
}

/**
 * A MetaChange as the jsonb the statements read: exactly the fields core set (an absent field is absent
 * from the JSON, so the row keeps its value; null clears it).
 */
const changeJson = (change: MetaChange): string => JSON.stringify(change);

/**
 * sess's own row format: the data as `jsonb` (delta writes change top-level keys in place) and the metadata
 * in columns (`owner`, `deadline`, `lifetime`, `previous`, `next`), with an owner index. Every write applies
 * its `MetaChange` in the same single statement as its data (see `nativeStatements`).
 */
export function nativeRowFormat(table: TableName): RowFormat {
  const sql = nativeStatements(table);
  return {
    name: 'native',
    capabilities: { delta: true, ownerIndex: true, metadata: true },
    migration: migrationSql(table),
    missingTableHint: "run store.migrate() or apply sql/schema.sql, or pass migrate: 'on-first-use'",

    load: (id, now) => ({ text: sql.load, values: [id, now] }),

    record: (row): SessionRecord => ({
      data: decodeData(String(row.data)),
      expiresAt: toMs(row.expires_at),
      meta: metaOf(row),
    }),

    create(id, record, now) {
      const { meta } = record;
      const values = [
        id,
        encodeData(record.data),
        record.expiresAt,
        meta.createdAt,
        meta.lastSeenAt,
        meta.owner ?? null,
        meta.deadline ?? null,
        meta.lifetime ?? null,
        meta.previous ?? null,
        meta.next ?? null,
        now,
      ];
      return { text: sql.create, values };
    },

    update(id, update: SessionUpdate, now) {
      const head = [id, now, changeJson(update.meta)];
      return update.delta
        ? {
            text: sql.delta,
            values: [...head, update.delta.unset.map(encodeKey), encodeData(update.delta.set)],
          }
        : { text: sql.replace, values: [...head, encodeData(update.data)] };
    },

    touch: (id, change, now) => ({ text: sql.touch, values: [id, now, changeJson(change)] }),

    destroy: (id, now) => ({ text: sql.destroy, values: [id, now] }),
    meta: metaOf,

    clearBatch: (now, batchSize) => ({ text: sql.clearBatch, values: [now, batchSize] }),

    owners: {
      list: (owner, now) => ({ text: sql.listOwned, values: [owner, now] }),
      owned: (row) => ({ id: String(row.key), meta: metaOf(row), expiresAt: toMs(row.expires_at) }),
      destroyAll: (owner, exceptId, now) => ({ text: sql.destroyOwned, values: [owner, exceptId, now] }),
    },
  };
}
