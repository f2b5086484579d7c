import { createPool, type Pool } from './db.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';
import { migrate } from './migrate.ts';

export type Database = { pool: Pool; connectionString: string; close(): Promise<void> };
export type OpenDatabaseOptions = { databaseUrl?: string; dataDir?: string; log?: (line: string) => void };

/**
 * The application's database, migrated: the PostgreSQL server at `DATABASE_URL` (or
 * opts.databaseUrl) if set, otherwise the embedded server of the data directory (opts.dataDir,
 * `ACCRUE_DATA_DIR`, or `./.accrue`). close() ends the pool and stops a server it started.
 */
export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<Database> {
  const databaseUrl = opts.databaseUrl || process.env.DATABASE_URL || undefined;
  let server: EmbeddedPostgres | undefined;
  if (!databaseUrl) {
    const dataDir = opts.dataDir || process.env.ACCRUE_DATA_DIR || '.accrue';
    server = await startEmbeddedPostgres({ dataDir, ...(opts.log ? { log: opts.log } : {}) });
  }
  const connectionString = databaseUrl ?? server!.connectionString;
  const pool = createPool(connectionString);
  const close = async () => {
    await pool.end();
    await server?.stop();
  };
  try {
    const applied = await migrate(pool);
    if (applied.length) opts.log?.(`applied migrations: ${applied.join(', ')}`);
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
  return { pool, connectionString, close };
}
