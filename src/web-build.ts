import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The web app (web/) is built with Vite into web/dist, which the API server serves. `accrue start`
// and `accrue serve` call ensureWebBuild() first, so a fresh clone serves the UI with no extra
// step; the browser tests call it too. It builds only when web/dist is missing or older than the
// sources, and one process at a time (a lock directory), since test files run in parallel.

const root = fileURLToPath(new URL('..', import.meta.url));
export const webDir = path.join(root, 'web');
export const webDistDir = path.join(webDir, 'dist');
const lockDir = path.join(webDir, '.build-lock');
const STALE_LOCK_MS = 120_000;

export type WebBuildOptions = { force?: boolean; log?: (line: string) => void };

/** Builds web/dist if it is missing or stale; returns whether it built. */
export async function ensureWebBuild(options: WebBuildOptions = {}): Promise<boolean> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (!(await exists(path.join(webDir, 'index.html')))) return false; // a package without the web sources
  if (!options.force && !(await isStale())) return false;
  await acquireLock();
  try {
    // Another process may have built it while this one waited for the lock.
    if (!options.force && !(await isStale())) return false;
    log('Building the web app…');
    const { build } = await import('vite');
    await build({ configFile: path.join(webDir, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
    return true;
  } finally {
    await fs.rm(lockDir, { recursive: true, force: true });
  }
}

async function isStale(): Promise<boolean> {
  const built = await mtime(path.join(webDistDir, 'index.html'));
  if (built === null) return true;
  const sources = [
    await newestUnder(path.join(webDir, 'src')),
    await newestUnder(path.join(webDir, 'public')),
    (await mtime(path.join(webDir, 'index.html'))) ?? 0,
    (await mtime(path.join(webDir, 'vite.config.ts'))) ?? 0,
  ];
  return Math.max(...sources) > built;
}

async function newestUnder(dir: string): Promise<number> {
  let newest = 0;
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const time = entry.isDirectory() ? await newestUnder(full) : ((await mtime(full)) ?? 0);
    if (time > newest) newest = time;
  }
  return newest;
}

async function mtime(file: string): Promise<number | null> {
  try {
    return (await fs.stat(file)).mtimeMs;
  } catch {
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  return (await mtime(file)) !== null;
}

async function acquireLock(): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      await fs.mkdir(lockDir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - ((await mtime(lockDir)) ?? Date.now());
      if (age > STALE_LOCK_MS) {
        await fs.rm(lockDir, { recursive: true, force: true }); // left by a killed build
        continue;
      }
      if (Date.now() - started > STALE_LOCK_MS * 2) throw new Error(`Timed out waiting for another web build (${lockDir})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
