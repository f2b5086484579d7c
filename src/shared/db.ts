import pg from 'pg';

// Dates are calendar dates, never JavaScript Dates shifted by a time zone; bigint and numeric
// stay strings so that no amount ever passes through a float.
pg.types.setTypeParser(pg.types.builtins.DATE, (text) => text);
pg.types.setTypeParser(pg.types.builtins.INT8, (text) => text);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (text) => text);

/** A transaction: every store function takes it first, so one use case is one transaction. */
export type Tx = pg.PoolClient;
export type Pool = pg.Pool;

export function createPool(connectionString: string, max = 10): Pool {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock

/**
 * Runs `fn` in one transaction. Serialization failures and deadlocks are retried a few times
 * with jitter, so callers may use row locks and SERIALIZABLE without handling them.
 */
export async function inTransaction<T>(pool: Pool, fn: (tx: Tx) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      const code = (error as { code?: string }).code;
      if (attempt < attempts && code && RETRYABLE.has(code)) {
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10 * attempt));
        continue;
      }
      throw error;
    } finally {
      client.release();
    }
  }
}

/** Anything that runs a query: the pool for reads, a transaction for writes. */
export type Queryable = Pool | Tx;

/** Turns rows into columns for `unnest`: many rows inserted in one round trip. */
export function transpose(rows: unknown[][]): unknown[][] {
  const width = rows[0]?.length ?? 0;
  return Array.from({ length: width }, (_, column) => rows.map((row) => row[column]));
}

/** `$name` placeholders, so long queries stay readable; each name becomes one positional parameter. */
export function named(sql: string, params: Record<string, unknown>): { text: string; values: unknown[] } {
  const names = Object.keys(params);
  const text = sql.replace(/\$([a-z]+)/g, (_, name: string) => {
    const index = names.indexOf(name);
    if (index < 0) throw new Error(`no parameter ${name}`);
    return `$${index + 1}`;
  });
  return { text, values: names.map((name) => params[name]) };
}

/** A `contains` pattern for ILIKE: the user's % and _ are literal characters, not wildcards. */
export function containsPattern(text: string | undefined): string | null {
  const trimmed = text?.trim();
  return trimmed ? `%${trimmed.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
}
