/**
 * `npm test [-- files, directories or path filters] [-- --node-test-flags]`
 *
 * Starts PostgreSQL once (embedded, in a fresh temp data dir, unless ACCRUE_TEST_DATABASE_URL
 * names a server's maintenance database), migrates a template database, then runs every
 * `*.test.ts` under src/ and test/ with Node's test runner. Test files get the server and the
 * template in ACCRUE_TEST_SERVER_URL and ACCRUE_TEST_TEMPLATE (see helpers/test-db.ts). The
 * runner's summary is the last thing printed: CI reads it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPool } from '../src/shared/db.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/shared/embedded-postgres.ts';
import { migrate } from '../src/shared/migrate.ts';
import { onServer, withDatabase } from './helpers/test-db.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

async function main(args: string[]): Promise<number> {
  const nodeFlags = args.filter((arg) => arg.startsWith('--'));
  const files = await testFiles(args.filter((arg) => !arg.startsWith('--')));
  if (files.length === 0) {
    console.error(`no test files match ${args.join(' ')}`);
    return 1;
  }

  const started = performance.now();
  let serverUrl = process.env.ACCRUE_TEST_DATABASE_URL;
  let server: EmbeddedPostgres | undefined;
  let dataDir: string | undefined;
  if (!serverUrl) {
    await reapAbandonedRuns();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `accrue-test-${process.pid}-`));
    server = await startEmbeddedPostgres({ dataDir });
    serverUrl = withDatabase(server.connectionString, 'postgres');
  }
  const suffix = randomBytes(4).toString('hex');
  const template = `accrue_template_${suffix}`;
  try {
    await onServer(serverUrl, `CREATE DATABASE ${template}`);
    const pool = createPool(withDatabase(serverUrl, template), 1);
    const applied = await migrate(pool).finally(() => pool.end());
    // No connection may stay on a template; this also keeps tests from writing to it by mistake.
    await onServer(serverUrl, `ALTER DATABASE ${template} ALLOW_CONNECTIONS false`);
    const { rows } = await onServer(serverUrl, 'SHOW server_version');
    console.log(
      `# PostgreSQL ${rows[0].server_version} (${server ? 'embedded' : 'ACCRUE_TEST_DATABASE_URL'}), ` +
        `template ${template} with ${applied.length} migrations, ready in ${Math.round(performance.now() - started)} ms; ` +
        `${files.length} test files`,
    );
    return await runTests(files, nodeFlags, { ACCRUE_TEST_SERVER_URL: serverUrl, ACCRUE_TEST_TEMPLATE: template });
  } finally {
    // Silent, so that the test runner's summary stays the last output; failures here don't fail the run.
    await cleanUp(serverUrl, suffix, template).catch(() => {});
    await server?.stop().catch(() => {});
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true }).catch(() => {});
  }
}

/** A run that was killed left its server running and its data directory behind: stop and remove them. */
async function reapAbandonedRuns(): Promise<void> {
  for (const name of await fs.readdir(os.tmpdir())) {
    const pid = Number(/^accrue-test-(\d+)-/.exec(name)?.[1]);
    if (!pid || isAlive(pid)) continue;
    const dir = path.join(os.tmpdir(), name);
    const left = await fs.stat(path.join(dir, 'pg', 'postmaster.pid')).then(() => true, () => false);
    if (left) await (await startEmbeddedPostgres({ dataDir: dir })).stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Every *.test.ts under src/ and test/, or those matching the arguments (paths or substrings). */
async function testFiles(filters: string[]): Promise<string[]> {
  const all = [...(await walk(path.join(root, 'src'))), ...(await walk(path.join(root, 'test')))];
  const relative = all.map((file) => path.relative(root, file)).sort();
  if (filters.length === 0) return relative;
  const absolute = filters.map((filter) => path.resolve(filter));
  return relative.filter((file) => {
    const full = path.join(root, file);
    return filters.some((filter, i) => file.includes(filter) || full === absolute[i] || full.startsWith(absolute[i] + path.sep));
  });
}

async function walk(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else if (entry.name.endsWith('.test.ts')) files.push(full);
  }
  return files;
}

function runTests(files: string[], nodeFlags: string[], env: Record<string, string>): Promise<number> {
  const args = ['--import', 'tsx', '--test', '--test-concurrency=2', ...nodeFlags, ...files];
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  // On Ctrl-C or a TERM, let the tests stop and then clean up, rather than dying first.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** Drops the template and any test database that a test file forgot to drop. */
async function cleanUp(serverUrl: string, suffix: string, template: string): Promise<void> {
  const { rows } = await onServer(serverUrl, `SELECT datname FROM pg_database WHERE datname LIKE 'test\\_${suffix}\\_%'`);
  for (const { datname } of rows) await onServer(serverUrl, `DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  await onServer(serverUrl, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
