import type {
  MetaChange,
  OwnedRecord,
  RecordMeta,
  SessionRecord,
  SessionUpdate,
  StoreCapabilities,
} from '@sess/core/store';

/** One statement and its parameters. */
export interface Query {
  readonly text: string;
  readonly values: unknown[];
}

/** A row as the driver answers it, by column name. */
export type Row = Record<string, unknown>;

/** The capabilities a {@link RowFormat} decides (the store adds the rest). */
export type FormatCapabilities = Required<Pick<StoreCapabilities, 'delta' | 'ownerIndex' | 'metadata'>> &
  Pick<StoreCapabilities, 'sharedKeys'>;

/** The owner index of a format that keeps owners. */
export interface OwnerQueries {
  /** The live rows bound to `owner`, oldest first. */
  list(owner: string, now: number): Query;
  /** A listed row as the store returns it. */
  owned(row: Row): OwnedRecord;
  /** Deletes every row of `owner` but `exceptId`; answers one row whose `live` counts the live ones. */
  destroyAll(owner: string, exceptId: string | null, now: number): Query;
}

/**
 * How records map to the rows of one table: the columns, the SQL of each operation (one statement each)
 * and the decoding of the rows it answers. The store owns everything around it (the pool, the migration on
 * first use, the clock, errors naming the operation, the `clearExpired()` loop). sess ships the native
 * format (`nativeRowFormat`: jsonb data, metadata columns) and Django's (`djangoRowFormat`: Django's
 * `django_session` table and signed data). `now` is the store clock's, in ms: a row is live while its
 * expiry is after it.
 */
export interface RowFormat {
  /** A short name for messages: `'native'` or `'django'`. */
  readonly name: string;
  readonly capabilities: FormatCapabilities;
  /** The migration: the table's DDL behind an advisory lock, idempotent. */
  readonly migration: string;
  /** Appended to the error of an operation that found no table: what to run. */
  readonly missingTableHint: string;
  /** Selects the live row of `id`. */
  load(id: string, now: number): Query;
  /** The record of a loaded row, or null when the row cannot be read (a Django row failing verification). */
  record(row: Row, now: number): SessionRecord | null;
  /** Inserts the record, or replaces an expired row under `id`; touches one row when it did. */
  create(id: string, record: SessionRecord, now: number): Query;
  /** Updates the live row of `id` (data and {@link MetaChange}) in one statement; touches one row when it did. */
  update(id: string, update: SessionUpdate, now: number): Query;
  /** Applies a {@link MetaChange} to the live row of `id` without rewriting its data. */
  touch(id: string, change: MetaChange, now: number): Query;
  /** Deletes the row of `id`, answering it (`DELETE … RETURNING`) with a boolean `live`. */
  destroy(id: string, now: number): Query;
  /** The metadata of a row `destroy` answered. */
  meta(row: Row, now: number): RecordMeta;
  /** Deletes up to `batchSize` expired rows. */
  clearBatch(now: number, batchSize: number): Query;
  /** Present exactly when `capabilities.ownerIndex` is true. */
  readonly owners?: OwnerQueries;
}
