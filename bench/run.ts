/**
 * `npm run bench [-- --invoices N] [--workers W] [--pool P] [--batch B]`
 *
 * Issues N invoices (default 10,000) of 5 lines through the module functions, then writes the same
 * rows with raw batched inserts as the ceiling, and prints invoices per second for both, their
 * ratio, the latency of one issue and whether the ledger verifies (see bench/issue-invoices.ts).
 *
 * The database is the PostgreSQL server at DATABASE_URL if set (migrated, then used through
 * organizations of its own; nothing else is touched), otherwise an embedded server in a fresh
 * temporary data directory, removed afterwards. Progress goes to stderr, the summary to stdout.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { createPool } from '../src/shared/db.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/shared/embedded-postgres.ts';
import { migrate } from '../src/shared/migrate.ts';
import { QueryCounter, runIssueBenchmark, type IssueBenchmarkResult, type PhaseStats } from './issue-invoices.ts';

type Options = { invoices: number; workers: number; pool: number; batch: number };

class UsageError extends Error {}

function parseArgs(args: string[]): Options {
  const options: Options = { invoices: 10_000, workers: 8, pool: 10, batch: 1000 };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split('=', 2) as [string, string | undefined];
    const name = flag.replace(/^--/, '') as keyof Options;
    if (!(name in options) || !flag.startsWith('--')) throw new UsageError(`unknown argument ${args[i]}; use --invoices N, --workers W, --pool P, --batch B`);
    const value = Number(inline ?? args[++i]);
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} needs a whole number above 0`);
    options[name] = value;
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  let server: EmbeddedPostgres | undefined;
  let dataDir: string | undefined;
  let connectionString = process.env.DATABASE_URL;
  const cleanUp = async () => {
    await server?.stop().catch(() => {});
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true }).catch(() => {});
  };
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping\n`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);

  try {
    if (!connectionString) {
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'accrue-bench-'));
      server = await startEmbeddedPostgres({ dataDir });
      connectionString = server.connectionString;
    }
    const pool = createPool(connectionString, options.pool);
    const counter = new QueryCounter(pool);
    try {
      await migrate(pool);
      const { rows } = await pool.query(`select current_setting('server_version') as version, current_setting('fsync') as fsync,
        current_setting('synchronous_commit') as synchronous_commit`);
      const database = `PostgreSQL ${rows[0].version} (${server ? 'embedded, temp data dir' : 'DATABASE_URL'}; fsync ${rows[0].fsync}, synchronous_commit ${rows[0].synchronous_commit})`;

      const bar = new cliProgress.SingleBar({
        stream: process.stderr,
        format: '{phase} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}',
        hideCursor: true,
        clearOnComplete: true,
      }, cliProgress.Presets.shades_classic);
      let current = '';
      let phaseStarted = 0;
      const result = await runIssueBenchmark(pool, counter, {
        invoices: options.invoices, workers: options.workers, batchSize: options.batch,
        progress(phase, done, total) {
          if (phase !== current) {
            if (current) bar.stop();
            current = phase;
            phaseStarted = performance.now();
            bar.start(total, 0, { phase: phase.padEnd(7), rate: '0' });
          }
          const seconds = (performance.now() - phaseStarted) / 1000;
          bar.update(done, { rate: seconds > 0 ? Math.round(done / seconds).toString() : '0' });
          if (done === total) {
            bar.stop();
            current = '';
          }
        },
      });
      bar.stop();
      print(result, options, database, (performance.now() - started) / 1000);
      if (!result.ledgerOk || !result.ceilingLedgerOk || !result.gaplessNumbers) process.exitCode = 1;
    } finally {
      await pool.end();
    }
  } finally {
    await cleanUp();
  }
}

const loadAtStart = os.loadavg()[0]!;

function print(result: IssueBenchmarkResult, options: Options, database: string, totalSeconds: number): void {
  const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const out: string[] = [];

  out.push(`Where the issue phase spends its time (client-side, lock waits included; ${options.workers} workers share it):`);
  out.push(statementTable(result.issue, result.invoices));
  out.push('');
  out.push(`Where the ceiling spends its time (one connection; the per-row triggers run inside these statements and at COMMIT):`);
  out.push(statementTable(result.ceiling, result.invoices));
  out.push('');

  out.push(`Accrue bench: issue ${fmt(result.invoices)} invoices × ${result.linesPerInvoice} lines, ${result.customers} customers, 2 tax rates`);
  out.push(`${database}; Node ${process.version}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? '?'}); ` +
    `${options.workers} workers over a pool of ${options.pool}; ceiling in batches of ${fmt(result.batchSize)}`);
  const rows: string[][] = [
    ['phase', 'invoices', 'seconds', 'invoices/s', 'queries/invoice'],
    ['create drafts (createDraftInvoice)', fmt(result.drafts.count), fmt(result.drafts.seconds, 2), fmt(result.drafts.perSecond), fmt(result.drafts.queries / result.drafts.count, 1)],
    ['issue (issueInvoice)', fmt(result.issue.count), fmt(result.issue.seconds, 2), fmt(result.issue.perSecond), fmt(result.issue.queries / result.issue.count, 1)],
    [`ceiling (raw unnest inserts, ${result.ceiling.batches} tx)`, fmt(result.ceiling.count), fmt(result.ceiling.seconds, 2), fmt(result.ceiling.perSecond), fmt(result.ceiling.queries / result.ceiling.count, 3)],
  ];
  out.push(table(rows));
  const l = result.issue.latencyMs;
  out.push(table([
    ['measure', 'value'],
    ['issue rate / ceiling rate', `${fmt(result.ratio, 3)} (the ceiling is ${fmt(1 / result.ratio, 1)}× faster)`],
    ['one issue: p50 / p95 / p99 / max', `${fmt(l.p50, 1)} / ${fmt(l.p95, 1)} / ${fmt(l.p99, 1)} / ${fmt(l.max, 1)} ms`],
    ['numbers gapless (INV-2026-0001..N)', result.gaplessNumbers ? 'yes' : 'NO'],
    ['verifyLedger (module / ceiling org)', `${result.ledgerOk ? 'ok' : 'FAILED'} / ${result.ceilingLedgerOk ? 'ok' : 'FAILED'}`],
    ['whole run', `${fmt(totalSeconds, 1)} s`],
    ['load average (1 min) at start / end', `${loadAtStart.toFixed(2)} / ${os.loadavg()[0]!.toFixed(2)} (other work on the machine skews the figures)`],
  ]));
  if (result.ledgerProblems.length > 0) out.push(`ledger problems: ${result.ledgerProblems.join('; ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

function statementTable(stats: PhaseStats, invoices: number): string {
  const total = stats.statements.reduce((sum, s) => sum + s.totalMs, 0);
  const rows = [['statement', 'per invoice', 'ms per call', 'share']];
  for (const s of stats.statements.slice(0, 12)) {
    rows.push([s.sql.length > 70 ? `${s.sql.slice(0, 69)}…` : s.sql, (s.calls / invoices).toFixed(s.calls < invoices ? 4 : 1), (s.totalMs / s.calls).toFixed(2), `${((100 * s.totalMs) / total).toFixed(1)}%`]);
  }
  return table(rows);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

main().catch((error) => {
  if (error instanceof UsageError) {
    console.error(`bench: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
