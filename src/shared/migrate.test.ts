import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/test-db.ts';
import { migrate } from './migrate.ts';

let db: TestDatabase;
const dirs: string[] = [];
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db.drop();
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'accrue-migrations-'));
  dirs.push(dir);
  for (const [name, sql] of Object.entries(files)) await fs.writeFile(path.join(dir, name), sql);
  return dir;
}

test('concurrent migrate calls apply each file once, in order', async () => {
  const dir = await migrationsDir({
    '0002_second.sql': "SELECT pg_sleep(0.05); INSERT INTO migrate_log VALUES ('second');",
    '0001_first.sql': 'CREATE TABLE migrate_log (step text, at timestamptz DEFAULT clock_timestamp());',
    '0010_third.sql': "INSERT INTO migrate_log VALUES ('third');",
    'README.md': 'not a migration',
  });
  const results = await Promise.all(Array.from({ length: 5 }, () => migrate(db.pool, dir)));
  assert.deepEqual(results.flat().sort(), ['0001_first', '0002_second', '0010_third']);
  assert.ok(results.some((applied) => applied.length === 3), 'one caller applied all three');
  const { rows } = await db.pool.query('SELECT step FROM migrate_log ORDER BY at');
  assert.deepEqual(rows.map((row) => row.step), ['second', 'third']);
  assert.deepEqual(await migrate(db.pool, dir), []);
  const versions = ['0001_first', '0002_second', '0010_third'];
  const recorded = await db.pool.query('SELECT version FROM schema_migrations WHERE version = ANY($1) ORDER BY 1', [versions]);
  assert.deepEqual(recorded.rows.map((row) => row.version), versions);
});

test('a failing migration is rolled back and stops the run', async () => {
  const dir = await migrationsDir({
    '0001_good.sql': 'CREATE TABLE good_table (id int);',
    '0002_bad.sql': 'CREATE TABLE half_done (id int); SELECT * FROM no_such_table;',
    '0003_later.sql': 'CREATE TABLE later_table (id int);',
  });
  await assert.rejects(migrate(db.pool, dir), /migration 0002_bad\.sql failed: relation "no_such_table" does not exist/);
  const { rows } = await db.pool.query(
    "SELECT relname FROM pg_class WHERE relname IN ('good_table', 'half_done', 'later_table') ORDER BY 1",
  );
  assert.deepEqual(rows.map((row) => row.relname), ['good_table']);
  // The lock was released: fixing the file lets the next run go on.
  await fs.writeFile(path.join(dir, '0002_bad.sql'), 'CREATE TABLE half_done (id int);');
  assert.deepEqual(await migrate(db.pool, dir), ['0002_bad', '0003_later']);
});

test('a misnamed .sql file or a shared number is refused; a missing directory has no migrations', async () => {
  await assert.rejects(migrate(db.pool, await migrationsDir({ '1_short.sql': '' })), /not named NNNN_name\.sql/);
  const twins = await migrationsDir({ '0001_a.sql': '', '0001_b.sql': '' });
  await assert.rejects(migrate(db.pool, twins), /two migrations share the number 0001/);
  assert.deepEqual(await migrate(db.pool, path.join(os.tmpdir(), 'accrue-no-such-dir')), []);
});
