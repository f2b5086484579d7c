/**
 * `npm run bench:billing [-- --subscriptions N] [--time-entries E] [--batch B] [--ceiling-batch C]`
 *
 * The billing run over N active subscriptions (default 20,000, one customer each, so one draft
 * invoice each) that carry E approved unbilled time entries (default 200,000) onto their invoices,
 * against a ceiling of raw batched inserts of the same rows on the same database:
 *
 *   1. setup (not timed): an organization, N customers and N subscriptions written with batched SQL.
 *      A mix: monthly in advance (half of them with 2 items and 19 % / 7 % VAT), monthly in arrears,
 *      yearly in advance with 3 seats; every tenth monthly one is prorated (a stub to its anchor, or
 *      a trial that ended mid-period). Every subscription has exactly one charge due on the run date.
 *      With E > 0, every subscription opts in to carrying unbilled work (include_unbilled_work) and
 *      the customers get E approved billable time entries (E / N each, dated in October, before the
 *      run date) on one or two hourly projects (rounding to 1, 6 or 15 minutes; four in five with
 *      19 % VAT on what they bill), by 3 users, two thirds of the projects with two tasks; a project
 *      rate rule prices every entry, and a task rule on every fourth project's "Design" task gives
 *      some entries another rate. So each draft carries its subscription lines plus one work line
 *      per project, task and rate, and the run links every entry to its line. E = 0 is the bench
 *      without work.
 *   2. dry run: runBilling with dryRun (read-only transactions), for context
 *   3. run: runBilling for the date (THE figure), batches of B customers per transaction
 *   4. rerun: the same date again, which finds everything claimed and bills nothing
 *   5. ceiling: the invoices, lines and billing_run_items the run wrote, copied with fresh ids into
 *      a second organization with INSERT ... SELECT unnest(...), C invoices per transaction, on one
 *      connection, through the same tables, triggers and indexes; and the links of the time entries
 *      to the work lines, as one UPDATE ... FROM unnest(...) of time_entries.invoice_line_id per
 *      transaction, on copies of the entries (written before the timing starts, unlinked)
 *   6. checks: one claim and one invoice per subscription; watermarks moved; totals match the ceiling
 *      copy; every entry linked once, to a line of its own customer's invoice, in the copy too; each
 *      work line's amount is what its entries are worth (the sum of their minutes rounded up to the
 *      project's increment, at the rate the bench set for them, /60, rounded half up once), its
 *      entries' shares (billed_minor, migration 0011) add up to it, and it carries its project's taxes
 *
 * Subscriptions bill the charges; the work comes with them. The contracts module's retainer and
 * fixed-schedule sources run as well (the bench has only hourly projects, so they cost a query
 * each per batch).
 * DATABASE_URL selects a server; otherwise an embedded one in a temporary directory.
 * BENCH_STATEMENTS=run (or dry, rerun, ceiling; several with commas) also prints where that phase's time goes, per statement.
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

type Options = { subscriptions: number; timeEntries: number; batch: number; ceilingBatch: number };
const DATE = '2026-11-01';
const CLOCK = fixedClock(`${DATE}T12:00:00Z`);

function parseArgs(args: string[]): Options {
  const options: Options = { subscriptions: 20_000, timeEntries: 200_000, batch: 500, ceilingBatch: 1000 };
  const names: Record<string, keyof Options> = { '--subscriptions': 'subscriptions', '--time-entries': 'timeEntries', '--batch': 'batch', '--ceiling-batch': 'ceilingBatch' };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split('=', 2) as [string, string | undefined];
    const name = names[flag];
    const value = Number(inline ?? args[++i]);
    if (!name || !Number.isInteger(value) || value < (name === 'timeEntries' ? 0 : 1)) {
      throw new Error(`usage: --subscriptions N --time-entries E --batch B --ceiling-batch C (whole numbers above 0; E may be 0); got ${args.join(' ')}`);
    }
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
  const customerIds = await seed(pool, organizationId, options.subscriptions, options.timeEntries > 0, vat.id, reduced.id);
  if (options.timeEntries > 0) await seedWork(pool, organizationId, customerIds, options.timeEntries, vat.id);
  await pool.query('analyze');

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
  const checks = await check(pool, organizationId, ceiling.organizationId, options, run.result);

  const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const rate = (count: number, seconds: number) => fmt(count / seconds);
  const sorted = [...run.batchMs].sort((a, b) => a - b);
  const ratio = (run.result.invoicesCreated / run.seconds) / (ceiling.invoices / ceiling.seconds);
  const dryLines = dry.result.invoices.reduce((n, invoice) => n + invoice.lineCount, 0);
  const work = options.timeEntries > 0;
  // Batches run one after another on one connection, so the client-side time of the phase's
  // statements is the time the run waited on PostgreSQL; the rest is Node (pricing, planning, totals).
  const inDatabase = (phase: string, seconds: number) => {
    const sql = counter.stats(phase, 1, 1).statements.reduce((sum, st) => sum + st.totalMs, 0) / 1000;
    return `${fmt(sql, 1)} s / ${fmt(Math.max(0, seconds - sql), 1)} s (${fmt((100 * sql) / seconds)} % in the database)`;
  };
  const out = [
    `Accrue bench: billing run over ${fmt(options.subscriptions)} active subscriptions (${fmt(options.subscriptions)} customers) and ${fmt(options.timeEntries)} unbilled time entries on ${DATE}`,
    `${database}; Node ${process.version}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? '?'}); run batches of ${options.batch} customers, ceiling batches of ${options.ceilingBatch} invoices`,
    table([
      ['phase', 'invoices', 'lines', 'entries', 'seconds', 'invoices/s', 'lines/s', 'entries/s', 'queries'],
      ['dry run (read-only)', fmt(dry.result.invoicesCreated), fmt(dryLines), '', fmt(dry.seconds, 2), rate(dry.result.invoicesCreated, dry.seconds), rate(dryLines, dry.seconds), '', fmt(dry.queries)],
      ['billing run (runBilling)', fmt(run.result.invoicesCreated), fmt(checks.lines), fmt(checks.linkedEntries), fmt(run.seconds, 2), rate(run.result.invoicesCreated, run.seconds),
        rate(checks.lines, run.seconds), work ? rate(checks.linkedEntries, run.seconds) : '', fmt(run.queries)],
      ['rerun (all claimed)', fmt(rerun.result.invoicesCreated), '', '', fmt(rerun.seconds, 2), '', '', '', fmt(rerun.queries)],
      [`ceiling (raw unnest writes, ${ceiling.batches} tx)`, fmt(ceiling.invoices), fmt(ceiling.lines), fmt(ceiling.links), fmt(ceiling.seconds, 2), rate(ceiling.invoices, ceiling.seconds),
        rate(ceiling.lines, ceiling.seconds), work ? rate(ceiling.links, ceiling.seconds) : '', fmt(ceiling.queries)],
    ]),
    table([
      ['measure', 'value'],
      ['billing run rate / ceiling rate', `${fmt(ratio, 3)} (the ceiling is ${fmt(1 / ratio, 1)}× faster)`],
      ['lines per invoice (subscription + work)', `${fmt(checks.lines / Math.max(1, run.result.invoicesCreated), 2)} (${fmt(checks.lines - checks.workLines)} + ${fmt(checks.workLines)})`],
      ['queries per batch / per customer of the run', `${fmt(run.queries / run.batchMs.length, 1)} / ${fmt(run.queries / options.subscriptions, 2)}`],
      ['run: waiting on SQL / the rest (Node)', inDatabase('run', run.seconds)],
      ['dry run: waiting on SQL / the rest (Node)', inDatabase('dry', dry.seconds)],
      ['one batch: p50 / max', `${fmt(sorted[Math.floor(sorted.length / 2)] ?? 0, 1)} / ${fmt(sorted.at(-1) ?? 0, 1)} ms`],
      ['each subscription billed once; watermarks moved', checks.ok ? 'yes' : `NO: ${checks.problems.join('; ')}`],
      ['every entry linked once, to its customer\'s invoice; work lines = entries\' worth', checks.workOk ? `yes (work lines EUR ${checks.workAmount}, in the copy too)` : `NO: ${checks.workProblems.join('; ')}`],
      ['whole bench (with setup)', `${fmt((performance.now() - started) / 1000, 1)} s`],
      ['load average (1 min) at start / end', `${loadAtStart.toFixed(2)} / ${os.loadavg()[0]!.toFixed(2)}`],
    ]),
  ];
  for (const phase of (process.env.BENCH_STATEMENTS ?? '').split(',').filter(Boolean)) {
    out.push(`where the time of "${phase}" goes (client-side, per statement): total, calls, per call`);
    for (const st of counter.stats(phase, 1, 1).statements.slice(0, 16)) {
      out.push(`${st.totalMs.toFixed(0).padStart(7)} ms ${String(st.calls).padStart(6)}× ${(st.totalMs / st.calls).toFixed(2).padStart(7)} ms  ${st.sql}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
  if (!checks.ok || !checks.workOk || rerun.result.invoicesCreated !== 0) process.exitCode = 1;
}

/**
 * N customers with one subscription each, in batched inserts; every one is due exactly once on DATE.
 * With `work`, every subscription opts in to carrying its customer's unbilled work. Returns the customer ids.
 */
async function seed(pool: Pool, organizationId: string, n: number, work: boolean, vatId: string, reducedId: string): Promise<string[]> {
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
    ), work]);
    items.push([newId('sbi'), organizationId, subscriptionId, 1, kind === 3 ? 'Annual licence' : 'Pro plan', kind === 3 ? '1188.00' : '49.00', kind === 3 ? '3' : String(1 + (i % 7)), [vatId]]);
    if (kind === 1) items.push([newId('sbi'), organizationId, subscriptionId, 2, 'Training hours', '12.3456', '2.5', [reducedId]]);
  }
  for (let start = 0; start < n; start += 5000) {
    await pool.query(
      `insert into customers (id, organization_id, name, currency) select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
      transpose(customers.slice(start, start + 5000)),
    );
    await pool.query(
      `insert into subscriptions (id, organization_id, customer_id, currency, interval, interval_count, anchor_day, billing_timing, start_date, trial_end, billed_through,
         include_unbilled_work)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::date[], $10::date[], $11::date[], $12::boolean[])`,
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
  return customers.map((row) => row[0] as string);
}

/** Project rates, by project number; a "Design" task of every fourth project has a rule of its own. */
const PROJECT_RATES = ['80', '95.50', '120', '150.25'];
const DESIGN_RATE = '135';
/** Rounding increments of the projects, by project number. */
const ROUNDING_MINUTES = [1, 6, 15];

/**
 * `total` approved billable time entries spread evenly over the customers (E / N each, the first
 * E mod N one more), on one project (even customers) or two (odd ones), all hourly, four in five
 * taxed at 19 % (projects.tax_rate_ids, migration 0011); dated in October 2026, 5 to 480 minutes,
 * by 3 users; with and without tasks. Batched SQL, not timed.
 */
async function seedWork(pool: Pool, organizationId: string, customerIds: string[], total: number, vatId: string): Promise<void> {
  const users = [1, 2, 3].map((k) => [newId('usr'), organizationId, `member${k}@bench.example`, `Member ${k}`, 'member']);
  await pool.query(
    `insert into users (id, organization_id, email, name, role) select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
    transpose(users),
  );
  const projects: unknown[][] = [];
  const tasks: unknown[][] = [];
  const rules: unknown[][] = [];
  const entries: unknown[][] = [];
  const n = customerIds.length;
  customerIds.forEach((customerId, i) => {
    const count = Math.floor(total / n) + (i < total % n ? 1 : 0);
    if (count === 0) return;
    const mine: Array<{ id: string; tasks: string[] }> = [];
    for (let j = 0; j < (i % 2 === 0 ? 1 : 2); j++) {
      const number = projects.length;
      const id = newId('prj');
      projects.push([id, organizationId, customerId, j === 0 ? 'Consulting' : 'Support', ROUNDING_MINUTES[number % ROUNDING_MINUTES.length], number % 5 === 4 ? null : vatId]);
      rules.push([newId('rat'), organizationId, id, null, PROJECT_RATES[number % PROJECT_RATES.length]]);
      const taskIds: string[] = [];
      if (number % 3 !== 2) {
        for (const name of ['Design', 'Development']) {
          const taskId = newId('tsk');
          tasks.push([taskId, organizationId, id, name]);
          taskIds.push(taskId);
          if (name === 'Design' && number % 4 === 0) rules.push([newId('rat'), organizationId, null, taskId, DESIGN_RATE]);
        }
      }
      mine.push({ id, tasks: taskIds });
    }
    for (let e = 0; e < count; e++) {
      const project = mine[e % mine.length]!;
      const task = project.tasks[(i + e) % (project.tasks.length + 1)] ?? null; // some entries without a task
      const day = 1 + ((i * 7 + e * 3) % 31);
      entries.push([newId('tim'), organizationId, users[(i + e) % users.length]![0], project.id, task, `2026-10-${String(day).padStart(2, '0')}`, 5 + ((i * 37 + e * 53) % 476)]);
    }
  });
  const chunks = async (rows: unknown[][], sql: string) => {
    for (let start = 0; start < rows.length; start += 10_000) await pool.query(sql, transpose(rows.slice(start, start + 10_000)));
  };
  await chunks(projects, `insert into projects (id, organization_id, customer_id, name, billing_model, billing, rounding_minutes, requires_approval, tax_rate_ids)
    select id, org, customer, name, 'hourly', '{"model": "hourly"}', rounding, true, case when tax is null then '{}' else array[tax] end
    from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[]) as t(id, org, customer, name, rounding, tax)`);
  await chunks(tasks, `insert into tasks (id, organization_id, project_id, name) select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])`);
  await chunks(rules, `insert into rate_rules (id, organization_id, project_id, task_id, rate, currency)
    select id, org, project, task, rate, 'EUR' from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[]) as t(id, org, project, task, rate)`);
  await chunks(entries, `insert into time_entries (id, organization_id, user_id, project_id, task_id, work_date, minutes, billable, approval_state)
    select id, org, usr, project, task, work_date, minutes, true, 'approved'
    from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::int[]) as t(id, org, usr, project, task, work_date, minutes)`);
}

/**
 * The rows the run wrote, copied with fresh ids into a second organization: only the writes are
 * timed. The time entries are copied first (unlinked, not timed); the timed part links them to the
 * copied lines with the same UPDATE ... FROM unnest the run uses.
 */
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
  const entryIds = await copyWork(pool, sourceOrganizationId, organizationId, customerIds);
  const runId = newId('brn');
  await pool.query(`insert into billing_runs (id, organization_id, run_date) values ($1, $2, $3)`, [runId, organizationId, DATE]);
  const { rows: invoices } = await pool.query(
    `select id, customer_id, subtotal_minor, tax_total_minor, total_minor, tax_breakdown::text from invoices where organization_id = $1 order by id`,
    [sourceOrganizationId],
  );
  const { rows: lines } = await pool.query(
    `select id, invoice_id, position, item_id, description, quantity::text, unit, unit_price::text, taxes::text, service_start, service_end, amount_minor, net_minor
     from invoice_lines where organization_id = $1`,
    [sourceOrganizationId],
  );
  const { rows: claims } = await pool.query(
    `select invoice_id, contract_type, contract_id, period_start, period_end, customer_id from billing_run_items where organization_id = $1`,
    [sourceOrganizationId],
  );
  // What the run wrote on each entry besides the link: billed_minor too, where the schema has it.
  const { rows: columns } = await pool.query(`select 1 from information_schema.columns where table_name = 'time_entries' and column_name = 'billed_minor'`);
  const billedMinor = columns.length > 0;
  const { rows: links } = await pool.query(
    `select id, invoice_line_id, ${billedMinor ? 'billed_minor' : 'null::bigint as billed_minor'} from time_entries where organization_id = $1 and invoice_line_id is not null`,
    [sourceOrganizationId],
  );
  const linesOf = groupBy(lines, (line) => line.invoice_id);
  const claimsOf = groupBy(claims, (claim) => claim.invoice_id);
  const entriesOf = groupBy(links, (entry) => entry.invoice_line_id);
  const batches: Array<{ invoices: unknown[][]; lines: unknown[][]; claims: unknown[][]; links: unknown[][] }> = [];
  for (let start = 0; start < invoices.length; start += batchSize) {
    const batch = { invoices: [] as unknown[][], lines: [] as unknown[][], claims: [] as unknown[][], links: [] as unknown[][] };
    for (const invoice of invoices.slice(start, start + batchSize)) {
      const id = newId('inv');
      const customerId = customerIds.get(invoice.customer_id)!;
      batch.invoices.push([id, organizationId, customerId, 'EUR', invoice.subtotal_minor, invoice.tax_total_minor, invoice.total_minor, invoice.tax_breakdown]);
      for (const line of linesOf.get(invoice.id) ?? []) {
        const lineId = newId('lin');
        batch.lines.push([lineId, organizationId, id, line.position, line.item_id, line.description, line.quantity, line.unit, line.unit_price, line.taxes, line.service_start,
          line.service_end, line.amount_minor, line.net_minor]);
        for (const entry of entriesOf.get(line.id) ?? []) batch.links.push([entryIds.get(entry.id)!, lineId, entry.billed_minor]);
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
        `insert into invoice_lines (id, organization_id, invoice_id, position, item_id, description, quantity, unit, unit_price, taxes, service_start, service_end,
           amount_minor, discount_minor, net_minor)
         select id, org, inv, pos, item, description, quantity, unit, price, taxes, service_start, service_end, amount, 0, net
         from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::numeric[], $8::text[], $9::numeric[], $10::jsonb[], $11::date[], $12::date[],
           $13::bigint[], $14::bigint[]) as t(id, org, inv, pos, item, description, quantity, unit, price, taxes, service_start, service_end, amount, net)`,
        transpose(batch.lines),
      );
      await client.query(
        `insert into billing_run_items (organization_id, billing_run_id, contract_type, contract_id, period_start, period_end, customer_id, invoice_id)
         select $1, $2, * from unnest($3::text[], $4::text[], $5::date[], $6::date[], $7::text[], $8::text[])
         on conflict (contract_type, contract_id, period_start) do nothing`,
        [organizationId, runId, ...transpose(batch.claims)],
      );
      if (batch.links.length > 0) {
        // The statement the work module links with (unbilled-store.ts linkToLines).
        const [ids, lineIds, billed] = transpose(batch.links);
        await client.query(
          billedMinor
            ? `update time_entries w set invoice_line_id = v.line_id, billed_minor = v.billed, updated_at = now()
               from unnest($2::text[], $3::text[], $4::bigint[]) as v(id, line_id, billed) where w.organization_id = $1 and w.id = v.id`
            : `update time_entries w set invoice_line_id = v.line_id, updated_at = now()
               from unnest($2::text[], $3::text[]) as v(id, line_id) where w.organization_id = $1 and w.id = v.id`,
          billedMinor ? [organizationId, ids, lineIds, billed] : [organizationId, ids, lineIds],
        );
      }
      await client.query('commit');
    }
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  return {
    organizationId, invoices: invoices.length, lines: lines.length, links: links.length, batches: batches.length,
    seconds: (performance.now() - started) / 1000, queries: counter.tally('ceiling').queries,
  };
}

/** Copies the source organization's work (users with entries, projects, tasks, time entries) unlinked, with fresh ids; returns the entry ids' map. */
async function copyWork(pool: Pool, sourceOrganizationId: string, organizationId: string, customerIds: Map<string, string>): Promise<Map<string, string>> {
  const entryIds = new Map<string, string>();
  const { rows: entries } = await pool.query(
    `select id, user_id, project_id, task_id, work_date::text, minutes, billable, approval_state from time_entries where organization_id = $1`,
    [sourceOrganizationId],
  );
  if (entries.length === 0) return entryIds;
  const userIds = new Map<string, string>();
  const projectIds = new Map<string, string>();
  const taskIds = new Map<string, string>();
  const { rows: users } = await pool.query(
    `select id, email, name, role from users where organization_id = $1 and id in (select user_id from time_entries where organization_id = $1)`,
    [sourceOrganizationId],
  );
  const { rows: projects } = await pool.query(
    `select id, customer_id, name, billing_model, billing::text, rounding_minutes, requires_approval from projects where organization_id = $1`,
    [sourceOrganizationId],
  );
  const { rows: tasks } = await pool.query(`select id, project_id, name from tasks where organization_id = $1`, [sourceOrganizationId]);
  const chunks = async (rows: unknown[][], sql: string) => {
    for (let start = 0; start < rows.length; start += 10_000) await pool.query(sql, [organizationId, ...transpose(rows.slice(start, start + 10_000))]);
  };
  await chunks(users.map((u) => [userIds.set(u.id, newId('usr')).get(u.id), u.email, u.name, u.role]),
    `insert into users (id, organization_id, email, name, role) select id, $1, email, name, role from unnest($2::text[], $3::text[], $4::text[], $5::text[]) as t(id, email, name, role)`);
  await chunks(projects.map((p) => [projectIds.set(p.id, newId('prj')).get(p.id), customerIds.get(p.customer_id), p.name, p.billing_model, p.billing, p.rounding_minutes, p.requires_approval]),
    `insert into projects (id, organization_id, customer_id, name, billing_model, billing, rounding_minutes, requires_approval)
     select id, $1, customer, name, model, billing, rounding, approval from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::int[], $8::boolean[])
       as t(id, customer, name, model, billing, rounding, approval)`);
  await chunks(tasks.map((t) => [taskIds.set(t.id, newId('tsk')).get(t.id), projectIds.get(t.project_id), t.name]),
    `insert into tasks (id, organization_id, project_id, name) select id, $1, project, name from unnest($2::text[], $3::text[], $4::text[]) as t(id, project, name)`);
  await chunks(entries.map((e) => [entryIds.set(e.id, newId('tim')).get(e.id), userIds.get(e.user_id), projectIds.get(e.project_id), e.task_id === null ? null : taskIds.get(e.task_id),
    e.work_date, e.minutes, e.billable, e.approval_state]),
    `insert into time_entries (id, organization_id, user_id, project_id, task_id, work_date, minutes, billable, approval_state)
     select id, $1, usr, project, task, work_date, minutes, billable, approval from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::int[], $8::boolean[], $9::text[])
       as t(id, usr, project, task, work_date, minutes, billable, approval)`);
  await pool.query(`analyze time_entries`);
  return entryIds;
}

async function check(pool: Pool, organizationId: string, ceilingOrganizationId: string, options: Options, result: BillingRunResult) {
  const n = options.subscriptions;
  const { rows: columns } = await pool.query(`select 1 from information_schema.columns where table_name = 'time_entries' and column_name = 'billed_minor'`);
  const billedMinor = columns.length > 0 ? 'te.billed_minor' : 'null::bigint';
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

  // The work: each entry at the rate the bench gave it (its task's rule, else its project's) and its
  // minutes rounded up to the project's increment. What the entries are worth is computed here from
  // the entries alone, grouped by customer, project, task and rate as one invoice line each, rounded
  // half up once per group; the links only say which line each entry went to.
  const { rows: work } = await pool.query(
    `with e as (
       select te.id, te.invoice_line_id, te.project_id, te.task_id, p.customer_id, cardinality(p.tax_rate_ids) as taxes, ${billedMinor} as billed_minor,
              ((te.minutes + p.rounding_minutes - 1) / p.rounding_minutes) * p.rounding_minutes as minutes, coalesce(tr.rate, pr.rate) as rate
       from time_entries te join projects p on p.id = te.project_id
       left join rate_rules pr on pr.project_id = te.project_id and pr.task_id is null and pr.user_id is null and pr.currency = 'EUR'
       left join rate_rules tr on tr.task_id = te.task_id and tr.currency = 'EUR'
       where te.organization_id = $1
     ), lines as (
       select l.id, l.amount_minor, l.unit_price, count(*) as entries, count(distinct e.rate) as rates, min(e.rate) as rate, sum(e.minutes) as minutes,
              bool_and(i.customer_id = e.customer_id and i.organization_id = $1) as own, bool_and(jsonb_array_length(l.taxes) = e.taxes) as taxed,
              sum(e.billed_minor) as billed_minor
       from e join invoice_lines l on l.id = e.invoice_line_id join invoices i on i.id = l.invoice_id
       group by l.id
     ), groups as (
       select round(sum(minutes) * rate * 100 / 60) as worth from e group by customer_id, project_id, task_id, rate
     )
     select (select count(*) from e)::int as entries,
            (select count(*) from e where rate is null)::int as unpriced,
            (select count(*) from e where invoice_line_id is null)::int as unlinked,
            (select count(*) from lines)::int as work_lines,
            (select coalesce(sum(entries), 0) from lines)::int as linked,
            (select count(*) from lines where not own)::int as foreign_lines,
            (select count(*) from lines where rates <> 1 or unit_price <> rate)::int as mixed_rates,
            (select count(*) from lines where amount_minor <> round(minutes * rate * 100 / 60))::int as wrong_amounts,
            (select count(*) from lines where not taxed)::int as wrong_taxes,
            (select count(*) from lines where billed_minor is distinct from amount_minor)::int as wrong_shares,
            (select coalesce(sum(amount_minor), 0) from lines)::text as work_amount,
            (select coalesce(sum(worth), 0) from groups)::text as worth,
            (select count(*) from time_entries where organization_id = $2)::int as ceiling_entries,
            (select count(*) from time_entries te join invoice_lines l on l.id = te.invoice_line_id join invoices i on i.id = l.invoice_id
               join projects p on p.id = te.project_id where te.organization_id = $2 and i.organization_id = $2 and i.customer_id = p.customer_id)::int as ceiling_linked`,
    [organizationId, ceilingOrganizationId],
  );
  const w = work[0];
  const e = options.timeEntries;
  const workProblems = [
    w.entries !== e && `${w.entries} entries`, w.unpriced > 0 && `${w.unpriced} entries without a rate`, w.unlinked > 0 && `${w.unlinked} entries unlinked`,
    w.linked !== e && `${w.linked} entries linked`, w.foreign_lines > 0 && `${w.foreign_lines} lines bill another customer's entries`,
    w.mixed_rates > 0 && `${w.mixed_rates} lines with entries of several rates or another unit price`,
    w.wrong_amounts > 0 && `${w.wrong_amounts} lines not worth their entries`, w.wrong_taxes > 0 && `${w.wrong_taxes} lines without their project's taxes`,
    billedMinor !== 'null::bigint' && w.wrong_shares > 0 && `${w.wrong_shares} lines whose entries' billed_minor do not add up to the line`, w.work_amount !== w.worth && `work lines ${w.work_amount} vs entries' worth ${w.worth}`,
    w.ceiling_entries !== e && `${w.ceiling_entries} entries copied`, w.ceiling_linked !== e && `${w.ceiling_linked} copies linked`,
  ].filter((p): p is string => typeof p === 'string');
  const amount = BigInt(w.work_amount);
  return {
    ok: problems.length === 0, problems, lines: r.lines as number, workLines: w.work_lines as number, linkedEntries: w.linked as number,
    workOk: workProblems.length === 0, workProblems, workAmount: `${(amount / 100n).toLocaleString('en-US')}.${String(amount % 100n).padStart(2, '0')}`,
  };
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
