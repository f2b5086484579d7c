import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool } from './db.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));
const FILE_NAME = /^(\d{4})_[a-z0-9_-]+\.sql$/i;
const LOCK_KEY = 7_261_001; // arbitrary, fixed: serializes migrate() across processes

/**
 * Applies the pending `NNNN_name.sql` files of `dir` in order, each in its own transaction, and
 * records each as a row of schema_migrations (version = file name without `.sql`). Forward-only.
 * A session advisory lock makes concurrent callers wait, then find the work done.
 * Returns the versions applied by this call.
 */
export async function migrate(pool: Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await migrationFiles(dir);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: string }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((row) => row.version));
    const applied: string[] = [];
    for (const file of files) {
      const version = file.slice(0, -'.sql'.length);
      if (done.has(version)) continue;
      const sql = await fs.readFile(path.join(dir, file), 'utf8');
      try {
        await client.query('BEGIN');
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw new Error(`migration ${file} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(version);
    }
    return applied;
  } finally {
    const unlocked = await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).then(() => true, () => false);
    client.release(!unlocked); // a broken connection is discarded, which also drops its lock
  }
}

/** The migration files in order; a missing directory has none. */
async function migrationFiles(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch((error) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const misnamed = names.find((name) => name.endsWith('.sql') && !FILE_NAME.test(name));
  if (misnamed) throw new Error(`migration file ${misnamed} is not named NNNN_name.sql`);
  const files = names.filter((name) => FILE_NAME.test(name)).sort();
  for (let i = 1; i < files.length; i++) {
    if (files[i]!.slice(0, 4) === files[i - 1]!.slice(0, 4)) {
      throw new Error(`two migrations share the number ${files[i]!.slice(0, 4)}: ${files[i - 1]}, ${files[i]}`);
    }
  }
  return files;
}
