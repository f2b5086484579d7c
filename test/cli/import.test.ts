/**
 * `accrue import time` as a child process on a fresh test database (DATABASE_URL). The tests run
 * in order: an organization with a project, a dry run, the import, a re-import, a rejected file.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../src/http/app.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const db = await createTestDatabase();
const dir = await mkdtemp(path.join(tmpdir(), 'accrue-import-'));
after(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

type Run = { code: number; stdout: string; stderr: string };

/** Runs `accrue ...args` against the test database; never throws, so exit codes can be asserted. */
function accrue(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const inherited = { ...process.env };
  for (const name of ['ACCRUE_ORGANIZATION', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS']) delete inherited[name];
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/accrue.js', ...args], { cwd: root, env: { ...inherited, DATABASE_URL: db.connectionString, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function json(run: Run): any {
  assert.equal(run.code, 0, `exit code 0 expected; stderr: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const HARVEST = 'Date,Client,Project,Project Code,Task,Notes,Hours,Billable?,Invoiced?,First Name,Last Name,Roles,Employee?,Billable Rate,Billable Amount,Cost Rate,Cost Amount,Currency,External Reference URL\n'
  + '2026-03-02,Globex,Website,,,"Build, test",1.5,Yes,No,Ada,Lovelace,,Yes,100,150,0,0,Euro - EUR,\n'
  + '2026-03-03,Globex,Website,,,Deploy,0.25,No,No,Ada,Lovelace,,Yes,0,0,0,0,Euro - EUR,\n';
const state = { owner: '', file: path.join(dir, 'harvest.csv') };

async function countEntries(): Promise<number> {
  return Number((await db.pool.query('select count(*) from time_entries')).rows[0].count);
}

test('setup: an organization with a project named Website', async () => {
  const created = json(await accrue(['init', '--org', 'Acme GmbH', '--currency', 'EUR', '--email', 'owner@acme.test', '--json']));
  state.owner = created.userId;
  const app = await buildApp({ pool: db.pool, clock: systemClock });
  try {
    const headers = { authorization: `Bearer ${created.apiKey}` };
    const customer = (await app.inject({ method: 'POST', url: '/v1/customers', headers, payload: { name: 'Globex', currency: 'EUR' } })).json();
    const project = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: { customerId: customer.id, name: 'Website', billing: { model: 'hourly', rate: '100' } } });
    assert.equal(project.statusCode, 201);
  } finally {
    await app.close();
  }
  await writeFile(state.file, HARVEST);
});

test('--dry-run shows the rows and writes nothing', async () => {
  const run = await accrue(['import', 'time', state.file, '--format', 'harvest', '--dry-run']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /LINE\s+DATE\s+PROJECT/);
  assert.match(run.stdout, /2026-03-02\s+Website/);
  assert.match(run.stdout, /Dry run: 2 of 2 rows would be imported/);
  assert.equal(await countEntries(), 0);
});

test('imports the file as the owner; the same file again is skipped', async () => {
  const result = json(await accrue(['import', 'time', state.file, '--format', 'harvest', '--json']));
  assert.deepEqual([result.imported, result.skipped], [2, 0]);
  const { rows } = await db.pool.query('select user_id, minutes, billable from time_entries order by work_date');
  assert.deepEqual(rows.map((r) => [r.user_id, r.minutes, r.billable]), [[state.owner, 90, true], [state.owner, 15, false]]);

  const again = await accrue(['import', 'time', state.file, '--format', 'harvest']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Imported 0 time entries; skipped 2 imported before\./);
  assert.equal(await countEntries(), 2);
});

test('a file with bad rows: a table of line, column and error, exit code 2, nothing imported', async () => {
  const bad = path.join(dir, 'bad.csv');
  await writeFile(bad, 'date,project,minutes\n2026-03-04,Website,30\n2026-03-04,Intranet,30\n2026-03-04,Website,lots\n');
  const run = await accrue(['import', 'time', bad, '--format', 'csv']);
  assert.equal(run.code, 2, `stdout: ${run.stdout} stderr: ${run.stderr}`);
  assert.match(run.stdout, /LINE\s+COLUMN\s+ERROR/);
  assert.match(run.stdout, /3\s+Project\s+no project named "Intranet"/);
  assert.match(run.stdout, /4\s+minutes\s+must be a whole number of minutes/);
  assert.match(run.stderr, /^accrue: 2 rows refused; nothing was imported\./m);
  assert.equal(await countEntries(), 2);
});

test('a wrong --format, an unknown --user or a missing file is refused with exit code 2', async () => {
  for (const args of [
    ['import', 'time', state.file, '--format', 'excel'],
    ['import', 'time', state.file, '--format', 'harvest', '--user', 'nobody@acme.test'],
    ['import', 'time', path.join(dir, 'missing.csv'), '--format', 'csv'],
  ]) {
    const run = await accrue(args);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, /^accrue: /);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  }
});
