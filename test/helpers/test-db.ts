import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool, type Pool } from '../../src/shared/db.ts';

export type TestDatabase = { pool: Pool; connectionString: string; drop(): Promise<void> };

/**
 * A fresh database for one test file, copied from the migrated template that test/run.ts made
 * (CREATE DATABASE ... TEMPLATE takes milliseconds). drop() ends the pool and drops it.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.ACCRUE_TEST_SERVER_URL;
  const template = process.env.ACCRUE_TEST_TEMPLATE;
  if (!serverUrl || !template) {
    throw new Error('ACCRUE_TEST_SERVER_URL and ACCRUE_TEST_TEMPLATE are unset: run the tests with `npm test`');
  }
  // test_<the template's suffix>_<random>, so that test/run.ts can drop the ones a test forgot.
  const name = `test_${template.replace(/^accrue_template_/, '')}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const connectionString = withDatabase(serverUrl, name);
  const pool = createPool(connectionString);
  let dropped = false;
  return {
    pool,
    connectionString,
    async drop() {
      if (dropped) return;
      dropped = true;
      await pool.end();
      await onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Runs one statement on its own connection (CREATE/DROP DATABASE cannot run in a transaction). */
export async function onServer(connectionString: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The same server, another database: replaces the path of a postgres:// URL. */
export function withDatabase(connectionString: string, database: string): string {
  const match = /^(postgres(?:ql)?:\/\/[^/?]*)(?:\/[^?]*)?(\?.*)?$/.exec(connectionString);
  if (!match) throw new Error(`not a postgres:// URL: ${connectionString.replace(/:[^:@/]*@/, ':***@')}`);
  return `${match[1]}/${encodeURIComponent(database)}${match[2] ?? ''}`;
}
