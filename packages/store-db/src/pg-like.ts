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
  /**
   * Runs one statement: given as text (without `values` the text may hold several statements, one implicit
   * transaction), or as pg's query config, whose `name` makes it a prepared statement of that name on the
   * connection (parsed and planned on first use, then reused). A pool-like object that cannot take a config
   * needs the store option `preparedStatements: false`.
   */
  query(
    textOrConfig: string | { name: string; text: string; values: unknown[] },
    values?: unknown[],
  ): Promise<PgQueryResultLike>;
}
