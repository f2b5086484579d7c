import type { Pool } from '../../src/shared/db.ts';

/**
 * Columns that record that a credential was used, not what a request did; a refused request
 * may touch them (an API key's or session's last use) without having changed any data.
 */
const USAGE_STAMPS = ['last_used_at', 'last_seen_at'];

/**
 * A fingerprint of every table in the public schema: its row count and an md5 of all its rows
 * (as JSON, less the usage stamps above), so a refused request that inserted, updated or deleted
 * anything shows up as a difference. One round trip; compare two snapshots with deepEqual to see
 * which table changed.
 */
export async function snapshotTables(pool: Pool): Promise<Record<string, string>> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `select quote_ident(tablename) as name from pg_tables where schemaname = 'public' order by tablename`,
  );
  const ignored = `array[${USAGE_STAMPS.map((column) => `'${column}'`).join(', ')}]`;
  const { rows } = await pool.query<{ name: string; fingerprint: string }>(
    tables
      .map(({ name }) =>
        `select '${name}' as name, count(*) || ':' || coalesce(md5(string_agg((to_jsonb(t) - ${ignored})::text, E'\\n' order by (to_jsonb(t) - ${ignored})::text)), '-') as fingerprint from ${name} t`,
      )
      .join(' union all '),
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.fingerprint]));
}
