/**
 * `npm run bench:billing [-- --subscriptions N] [--batch B] [--ceiling-batch C]`
 *
 * The billing run over N active subscriptions (default 20,000, one customer each, so one draft
 * invoice each), against a ceiling of raw batched inserts of the same rows on the same database:
 *
 *   1. setup (not timed): an organization, N customers and N subscriptions written with batched SQL.
 *      A mix: monthly in advance (half of them with 2 items and 19 % / 7 % VAT), monthly in arrears,
 *      yearly in advance with 3 seats; every tenth monthly one is prorated (a stub to its anchor, or
 *      a trial that ended mid-period). Every subscription has exactly one charge due on the run date.
 *   2. dry run: runBilling with dryRun (read-only transactions), for context
 *   3. run: runBilling for the date (THE figure), batches of B customers per transaction
 *   4. rerun: the same date again, which finds everything claimed and bills nothing
 *   5. ceiling: the invoices, lines and billing_run_items the run wrote, copied with fresh ids into
 *      a second organization with INSERT ... SELECT unnest(...), C invoices per transaction, on one
 *      connection, through the same tables, triggers and indexes
 *   6. checks: one claim and one invoice per subscription; watermarks moved; totals match the ceiling copy
 *
 * Only subscriptions are billed. The contracts module's retainer and fixed-schedule sources run as
 * well (the bench has no projects, so they cost a query each per batch); time entries are billed
 * through the work module's own "unbilled → invoice" flow, not by the run, so there are none to skip.
 * DATABASE_URL selects a server; otherwise an embedded one in a temporary directory.
 * BENCH_STATEMENTS=run (or dry, rerun, ceiling) also prints where that phase's time goes, per statement.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { runBilling, type BillingRunResult } from '../src/modules/billing/index.ts';
import { createTaxRate } from '../src/modules/catalog/index.ts';
import { createOrganization } from '../src/modules/setup/index.ts';
import { fixedClock } from '../src/shared/clock.ts';
import { createPool, transpose, type Pool } from '../src/shared/db.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/shared/embedded-postgres.ts';
import { newId } from '../src/shared/ids.ts';
import { migrate } from '../src/shared/migrate.ts';
import { QueryCounter } from './issue-invoices.ts';

type Options = { subscriptions: number; batch: number; ceilingBatch: number };
const DATE = '2026-11-01';
const CLOCK = fixedClock(`${DATE}T12:00:00Z`);

function parseArgs(args: string[]): Options {
  const options: Options = { subscriptions: 20_000, batch: 500, ceilingBatch: 1000 };
  const names: Record<string, keyof Options> = { '--subscriptions': 'subscriptions', '--batch': 'batch', '--ceiling-batch': 'ceilingBatch' };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split('=', 2) as [string, string | undefined];
    const name = names[flag];
    const value = Number(inline ?? args[++i]);
    if (!name || !Number.isInteger(value) || value < 1) throw new Error(`usage: --subscriptions N --batch B --ceiling-batch C (whole numbers above 0); got ${args.join(' ')}`);
    options[name] = value;
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  let server: EmbeddedPostgres | undefined;
  let dataDir: string | undefined;
  let connectionString = process.env.DATABASE_URL;
  try {
    if (!connectionString) {
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'accrue-bench-'));
      server = await startEmbeddedPostgres({ dataDir });
      connectionString = server.connectionString;
    }
    const pool = createPool(connectionString, 4);
    const counter = new QueryCounter(pool);
    try {
      await migrate(pool);
      const { rows } = await pool.query(`select current_setting('server_version') as version, current_setting('fsync') as fsync`);
      const database = `PostgreSQL ${rows[0].version} (${server ? 'embedded, temp data dir' : 'DATABASE_URL'}; fsync ${rows[0].fsync})`;
      await bench(pool, counter, options, database);
    } finally {
      await pool.end();
    }
  } finally {
    await server?.stop().catch(() => {});
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true }).catch(() => {});
  }
}

async function bench(pool: Pool, counter: QueryCounter, options: Options, database: string): Promise<void> {
  const loadAtStart = os.loadavg()[0]!;
  const started = performance.now();
  counter.phase = 'setup';
  const { organizationId } = await createOrganization(pool, { legalName: 'Bench Subscriptions GmbH', baseCurrency: 'EUR', ownerEmail: 'o@bench.example', timeZone: 'Europe/Berlin' });
  const vat = await createTaxRate(pool, organizationId, { name: 'VAT 19 %', percentage: '19', category: 'S' });
  const reduced = await createTaxRate(pool, organizationId, { name: 'VAT 7 %', percentage: '7', category: 'S' });
  await seed(pool, organizationId, options.subscriptions, vat.id, reduced.id);

  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: '{phase} [{bar}] {value}/{total} customers | {invoices} invoices', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  const timed = async (phase: string, dryRun: boolean) => {
    counter.phase = phase;
    const batchMs: number[] = [];
    let last = performance.now();
    const t0 = performance.now();
    bar.start(options.subscriptions, 0, { phase: phase.padEnd(6), invoices: 0 });
    const result = await runBilling(pool, CLOCK, organizationId, {
      date: DATE, dryRun, batchSize: options.batch,
      onBatch(progress) {
        batchMs.push(performance.now() - last);
        last = performance.now();
        bar.update(progress.customersDone, { invoices: progress.invoicesCreated });
      },
    });
    bar.stop();
    return { result, seconds: (performance.now() - t0) / 1000, batchMs, queries: counter.tally(phase).queries };
  };
  const dry = await timed('dry', true);
  const run = await timed('run', false);
  const rerun = await timed('rerun', false);
  const ceiling = await rawCeiling(pool, counter, organizationId, options.ceilingBatch);
  const checks = await check(pool, organizationId, ceiling.organizationId, options.subscriptions, run.result);

  const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const rate = (invoices: number, seconds: number) => fmt(invoices / seconds);
  const sorted = [...run.batchMs].sort((a, b) => a - b);
  const ratio = (run.result.invoicesCreated / run.seconds) / (ceiling.invoices / ceiling.seconds);
  const out = [
    `Accrue bench: billing run over ${fmt(options.subscriptions)} active subscriptions (${fmt(options.subscriptions)} customers) on ${DATE}`,
    `${database}; Node ${process.version}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? '?'}); run batches of ${options.batch} customers, ceiling batches of ${options.ceilingBatch} invoices`,
    table([
      ['phase', 'invoices', 'lines', 'seconds', 'invoices/s', 'queries'],
      ['dry run (read-only)', fmt(dry.result.invoicesCreated), '', fmt(dry.seconds, 2), rate(dry.result.invoicesCreated, dry.seconds), fmt(dry.queries)],
      ['billing run (runBilling)', fmt(run.result.invoicesCreated), fmt(checks.lines), fmt(run.seconds, 2), rate(run.result.invoicesCreated, run.seconds), fmt(run.queries)],
      ['rerun (all claimed)', fmt(rerun.result.invoicesCreated), '', fmt(rerun.seconds, 2), '', fmt(rerun.queries)],
      [`ceiling (raw unnest inserts, ${ceiling.batches} tx)`, fmt(ceiling.invoices), fmt(checks.lines), fmt(ceiling.seconds, 2), rate(ceiling.invoices, ceiling.seconds), fmt(ceiling.queries)],
    ]),
    table([
      ['measure', 'value'],
      ['billing run rate / ceiling rate', `${fmt(ratio, 3)} (the ceiling is ${fmt(1 / ratio, 1)}× faster)`],
      ['queries per batch of the run', fmt(run.queries / run.batchMs.length, 1)],
      ['one batch: p50 / max', `${fmt(sorted[Math.floor(sorted.length / 2)] ?? 0, 1)} / ${fmt(sorted.at(-1) ?? 0, 1)} ms`],
      ['each subscription billed once; watermarks moved', checks.ok ? 'yes' : `NO: ${checks.problems.join('; ')}`],
      ['whole bench (with setup)', `${fmt((performance.now() - started) / 1000, 1)} s`],
      ['load average (1 min) at start / end', `${loadAtStart.toFixed(2)} / ${os.loadavg()[0]!.toFixed(2)}`],
    ]),
  ];
  const phase = process.env.BENCH_STATEMENTS;
  if (phase) for (const st of counter.stats(phase, 1, 1).statements.slice(0, 12)) out.push(`${st.totalMs.toFixed(0).padStart(7)} ms ${String(st.calls).padStart(4)}× ${st.sql}`);
  process.stdout.write(`${out.join('\n')}\n`);
  if (!checks.ok || rerun.result.invoicesCreated !== 0) process.exitCode = 1;
}

/** N customers with one subscription each, in batched inserts; every one is due exactly once on DATE. */
async function seed(pool: Pool, organizationId: string, n: number, vatId: string, reducedId: string): Promise<void> {
  const customers: unknown[][] = [];
  const subscriptions: unknown[][] = [];
  const items: unknown[][] = [];
  for (let i = 0; i < n; i++) {
    const customerId = newId('cus');
    const subscriptionId = newId('sub');
    customers.push([customerId, organizationId, `Customer ${i + 1}`, 'EUR']);
    const kind = i % 4; // 0, 1: monthly in advance; 2: monthly in arrears; 3: yearly in advance
    const prorated = i % 10 === 9 && kind !== 3;
    subscriptions.push([subscriptionId, organizationId, customerId, 'EUR', ...(
      kind === 3 ? ['yearly', 1, 1, 'advance', '2025-11-01', null, '2025-11-01'] // renews on Nov 1
        : kind === 2 ? ['monthly', 1, 1, 'arrears', '2026-10-01', prorated ? '2026-10-11' : null, null] // October billed on Nov 1 (21/31 after a trial)
          : prorated ? ['monthly', 1, 15, 'advance', '2026-11-01', null, null] // starts Nov 1, anchored on the 15th: a 14/31 stub
            : ['monthly', 1, 1, 'advance', '2026-10-01', null, '2026-10-01'] // November, whole
    )]);
    items.push([newId('sbi'), organizationId, subscriptionId, 1, kind === 3 ? 'Annual licence' : 'Pro plan', kind === 3 ? '1188.00' : '49.00', kind === 3 ? '3' : String(1 + (i % 7)), [vatId]]);
    if (kind === 1) items.push([newId('sbi'), organizationId, subscriptionId, 2, 'Training hours', '12.3456', '2.5', [reducedId]]);
  }
  for (let start = 0; start < n; start += 5000) {
    await pool.query(
      `insert into customers (id, organization_id, name, currency) select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
      transpose(customers.slice(start, start + 5000)),
    );
    await pool.query(
      `insert into subscriptions (id, organization_id, customer_id, currency, interval, interval_count, anchor_day, billing_timing, start_date, trial_end, billed_through)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::date[], $10::date[], $11::date[])`,
      transpose(subscriptions.slice(start, start + 5000)),
    );
  }
  for (let start = 0; start < items.length; start += 5000) {
    const chunk = items.slice(start, start + 5000);
    await pool.query(
      `insert into subscription_items (id, organization_id, subscription_id, position, description, unit_price, quantity, tax_rate_ids)
       select id, org, sub, position, description, price, quantity, array[tax] from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::numeric[], $7::numeric[], $8::text[])
         as t(id, org, sub, position, description, price, quantity, tax)`,
      transpose(chunk.map((row) => [...row.slice(0, 7), (row[7] as string[])[0]])),
    );
  }
  await pool.query('analyze');
}

/** The rows the run wrote, copied with fresh ids into a second organization: only the writes are timed. */
async function rawCeiling(pool: Pool, counter: QueryCounter, sourceOrganizationId: string, batchSize: number) {
  counter.phase = 'ceiling-setup';
  const { organizationId } = await createOrganization(pool, { legalName: 'Bench Ceiling GmbH', baseCurrency: 'EUR', ownerEmail: 'o@ceiling.example', timeZone: 'Europe/Berlin' });
  const customerIds = new Map<string, string>();
  const { rows: customers } = await pool.query(`select id from customers where organization_id = $1`, [sourceOrganizationId]);
  for (const customer of customers) customerIds.set(customer.id, newId('cus'));
  await pool.query(
    `insert into customers (id, organization_id, name, currency) select id, $1, 'Copy', 'EUR' from unnest($2::text[]) as t(id)`,
    [organizationId, [...customerIds.values()]],
  );
  const runId = newId('brn');
  await pool.query(`insert into billing_runs (id, organization_id, run_date) values ($1, $2, $3)`, [runId, organizationId, DATE]);
  const { rows: invoices } = await pool.query(
    `select id, customer_id, subtotal_minor, tax_total_minor, total_minor, tax_breakdown::text from invoices where organization_id = $1 order by id`,
    [sourceOrganizationId],
  );
  const { rows: lines } = await pool.query(
    `select invoice_id, position, item_id, description, quantity::text, unit_price::text, taxes::text, service_start, service_end, amount_minor, net_minor
     from invoice_lines where organization_id = $1`,
    [sourceOrganizationId],
  );
  const { rows: claims } = await pool.query(
    `select invoice_id, contract_type, contract_id, period_start, period_end, customer_id from billing_run_items where organization_id = $1`,
    [sourceOrganizationId],
  );
  const linesOf = groupBy(lines, (line) => line.invoice_id);
  const claimsOf = groupBy(claims, (claim) => claim.invoice_id);
  const batches: Array<{ invoices: unknown[][]; lines: unknown[][]; claims: unknown[][] }> = [];
  for (let start = 0; start < invoices.length; start += batchSize) {
    const batch = { invoices: [] as unknown[][], lines: [] as unknown[][], claims: [] as unknown[][] };
    for (const invoice of invoices.slice(start, start + batchSize)) {
      const id = newId('inv');
      const customerId = customerIds.get(invoice.customer_id)!;
      batch.invoices.push([id, organizationId, customerId, 'EUR', invoice.subtotal_minor, invoice.tax_total_minor, invoice.total_minor, invoice.tax_breakdown]);
      for (const line of linesOf.get(invoice.id) ?? []) {
        batch.lines.push([newId('lin'), organizationId, id, line.position, line.item_id, line.description, line.quantity, line.unit_price, line.taxes, line.service_start, line.service_end, line.amount_minor, line.net_minor]);
      }
      for (const claim of claimsOf.get(invoice.id) ?? []) {
        batch.claims.push([claim.contract_type, `copy_${claim.contract_id}`, claim.period_start, claim.period_end, customerId, id]);
      }
    }
    batches.push(batch);
  }

  counter.phase = 'ceiling';
  const client = await pool.connect();
  const started = performance.now();
  try {
    for (const batch of batches) {
      await client.query('begin');
      await client.query(
        `insert into invoices (id, organization_id, customer_id, currency, subtotal_minor, tax_total_minor, total_minor, tax_breakdown)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::jsonb[])`,
        transpose(batch.invoices),
      );
      await client.query(
        `insert into invoice_lines (id, organization_id, invoice_id, position, item_id, description, quantity, unit_price, taxes, service_start, service_end,
           amount_minor, discount_minor, net_minor)
         select id, org, inv, pos, item, description, quantity, price, taxes, service_start, service_end, amount, 0, net
         from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::numeric[], $8::numeric[], $9::jsonb[], $10::date[], $11::date[],
           $12::bigint[], $13::bigint[]) as t(id, org, inv, pos, item, description, quantity, price, taxes, service_start, service_end, amount, net)`,
        transpose(batch.lines),
      );
      await client.query(
        `insert into billing_run_items (organization_id, billing_run_id, contract_type, contract_id, period_start, period_end, customer_id, invoice_id)
         select $1, $2, * from unnest($3::text[], $4::text[], $5::date[], $6::date[], $7::text[], $8::text[])
         on conflict (contract_type, contract_id, period_start) do nothing`,
        [organizationId, runId, ...transpose(batch.claims)],
      );
      await client.query('commit');
    }
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  return { organizationId, invoices: invoices.length, batches: batches.length, seconds: (performance.now() - started) / 1000, queries: counter.tally('ceiling').queries };
}

async function check(pool: Pool, organizationId: string, ceilingOrganizationId: string, n: number, result: BillingRunResult) {
  const { rows } = await pool.query(
    `select (select count(*) from billing_run_items where organization_id = $1)::int as claims,
            (select count(distinct contract_id) from billing_run_items where organization_id = $1)::int as contracts,
            (select count(*) from invoices where organization_id = $1)::int as invoices,
            (select count(*) from invoice_lines where organization_id = $1)::int as lines,
            (select count(*) from subscriptions where organization_id = $1 and billed_through >= '2026-10-01')::int as watermarks,
            (select sum(total_minor) from invoices where organization_id = $1)::text as total,
            (select sum(total_minor) from invoices where organization_id = $2)::text as ceiling_total`,
    [organizationId, ceilingOrganizationId],
  );
  const r = rows[0];
  const problems = [
    r.claims !== n && `${r.claims} claims`, r.contracts !== n && `${r.contracts} contracts`, r.invoices !== n && `${r.invoices} invoices`,
    result.invoicesCreated !== n && `run reported ${result.invoicesCreated}`, r.watermarks !== n && `${r.watermarks} watermarks`,
    r.total !== r.ceiling_total && `totals ${r.total} vs ${r.ceiling_total}`,
  ].filter((p): p is string => typeof p === 'string');
  return { ok: problems.length === 0, problems, lines: r.lines as number };
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
