import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

// Its own data directory and server, not the shared test server: these tests kill servers.
let dataDir: string;
const logs: string[] = [];
const log = (line: string) => logs.push(line);

before(async () => {
  // Named like test/run.ts's data directories, so that a killed run's leftovers are reaped too.
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `accrue-test-${process.pid}-`));
});
after(async () => {
  if (await postmasterPid()) await (await startEmbeddedPostgres({ dataDir })).stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function postmasterPid(): Promise<number | undefined> {
  const text = await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').catch(() => '');
  return Number(text.split('\n')[0]) || undefined;
}

async function connect(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => {}); // the server is about to be killed under it
  await client.connect();
  return client;
}

async function ids(connectionString: string): Promise<number[]> {
  const client = await connect(connectionString);
  const { rows } = await client.query('SELECT id FROM entries ORDER BY id');
  await client.end();
  return rows.map((row) => row.id);
}

async function timed<T>(t: test.TestContext, what: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  t.diagnostic(`${what}: ${Math.round(performance.now() - started)} ms`);
  return result;
}

test('committed rows survive a SIGKILL of the postmaster; uncommitted ones do not', async (t) => {
  const first = await timed(t, 'initdb and first start', () => startEmbeddedPostgres({ dataDir, log }));
  const client = await connect(first.connectionString);
  await client.query('CREATE TABLE entries (id int PRIMARY KEY)');
  for (let id = 1; id <= 20; id++) await client.query('INSERT INTO entries VALUES ($1)', [id]);
  const open = await connect(first.connectionString);
  await open.query('BEGIN');
  await open.query('INSERT INTO entries VALUES (999)');

  process.kill((await postmasterPid())!, 'SIGKILL');
  const second = await timed(t, 'start right after SIGKILL (crash recovery)', () => startEmbeddedPostgres({ dataDir, log }));
  assert.deepEqual(await ids(second.connectionString), Array.from({ length: 20 }, (_, i) => i + 1));
  await client.end().catch(() => {});
  await open.end().catch(() => {});
  await second.stop();
  assert.equal(await postmasterPid(), undefined, 'stop() stopped the server');
  await timed(t, 'start of an existing, cleanly stopped cluster', () => startEmbeddedPostgres({ dataDir })).then((s) => s.stop());
});

test('a server left by a killed Node process is shared while that process lives, then adopted', async () => {
  // A child process starts the server and commits a row, then is killed: the postmaster lives on.
  const moduleUrl = new URL('./embedded-postgres.ts', import.meta.url).href;
  const script = `
    const { startEmbeddedPostgres } = await import(${JSON.stringify(moduleUrl)});
    const { default: pg } = await import('pg');
    const server = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)} });
    const client = new pg.Client(server.connectionString);
    await client.connect();
    await client.query('INSERT INTO entries VALUES (100)');
    await client.end();
    console.log('ready');
    setInterval(() => {}, 60_000);`;
  const cwd = fileURLToPath(new URL('../..', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  const [firstOutput] = await once(child.stdout, 'data');
  assert.equal(String(firstOutput).trim(), 'ready');
  const pid = await postmasterPid();

  logs.length = 0;
  const shared = await startEmbeddedPostgres({ dataDir, log });
  assert.match(logs.join('\n'), /in use by another live process; sharing it/);
  await shared.stop();
  assert.deepEqual(await ids(shared.connectionString), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 100]);

  child.kill('SIGKILL');
  await once(child, 'exit');
  logs.length = 0;
  const adopted = await startEmbeddedPostgres({ dataDir, log });
  assert.match(logs.join('\n'), new RegExp(`adopting PostgreSQL left running by a process that died \\(pid ${pid}\\)`));
  assert.deepEqual((await ids(adopted.connectionString)).slice(-1), [100]);
  await adopted.stop();
  assert.equal(await postmasterPid(), undefined);
});

test('a stale postmaster.pid naming a live process that is not postgres does not block a start', async () => {
  const pgData = path.join(dataDir, 'pg');
  await fs.writeFile(path.join(pgData, 'postmaster.pid'), `${process.pid}\n${pgData}\n0\n5432\n\n\n0 0\nready   \n`);
  const server = await startEmbeddedPostgres({ dataDir });
  assert.equal((await ids(server.connectionString)).length, 21);
  await server.stop();
});
