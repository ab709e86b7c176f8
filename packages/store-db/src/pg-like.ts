/** What a query answers: the rows (as objects keyed by column name) and how many rows the statement touched. */
export interface PgQueryResultLike {
  rows: Record<string, unknown>[];
  /** Rows inserted, updated, deleted or selected; `null` for statements that report none. */
  rowCount: number | null;
}

/**
 * The part of a `pg.Pool` the store uses, typed structurally so `@sess/store-db` never imports `pg` at runtime.
 * A `pg.Pool`, a connected `pg.Client` and a `PoolClient` all satisfy it; the `Pool` is the usual choice.
 */
export interface PgPoolLike {
  /** Runs one statement. Without `values` the text may hold several statements (one implicit transaction). */
  query(text: string, values?: unknown[]): Promise<PgQueryResultLike>;
}
