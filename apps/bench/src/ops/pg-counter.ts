import pg from 'pg';

/**
 * Counts the statements this process sends to PostgreSQL, at the client: it wraps `pg.Client`'s `query`
 * (what `pool.query` runs on a pooled client, and what a checked-out client runs) until `restore()`. Each
 * statement is one round trip.
 */
export class PgCounter {
  #statements: string[] = [];
  readonly #original: typeof pg.Client.prototype.query;

  constructor() {
    const original = pg.Client.prototype.query;
    this.#original = original;
    const statements = this.#statements;
    pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
      const first = args[0];
      statements.push(typeof first === 'string' ? first : String((first as { text?: unknown })?.text ?? ''));
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
  }

  /** The statements sent since the last call. */
  take(): string[] {
    return this.#statements.splice(0);
  }

  /** Puts the driver back as it was. */
  restore(): void {
    pg.Client.prototype.query = this.#original;
  }
}

/** Whether a statement writes (INSERT, UPDATE or DELETE anywhere in it). */
export const sqlWrites = (text: string): boolean => /\b(INSERT|UPDATE|DELETE)\b/i.test(text);
