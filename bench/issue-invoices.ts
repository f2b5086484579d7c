/**
 * Issuing invoices through the module functions, against a ceiling of raw batched inserts of the
 * same rows. On a migrated database (any state: everything here lives in organizations of its own):
 *
 *   1. setup: an organization, 100 customers, 2 tax rates (not timed)
 *   2. drafts: N drafts of 5 lines via createDraftInvoice, `workers` at a time (timed, for context)
 *   3. issue: issueInvoice on every draft, `workers` at a time (THE figure; latency of each call)
 *   4. ceiling: the same N invoices (header, 5 lines, the journal entry and its lines) written
 *      again with fresh ids into a second organization with INSERT ... SELECT unnest(...), 1,000
 *      invoices per transaction, on one connection, through the same tables, triggers and indexes
 *   5. verifyLedger on both organizations
 *
 * Every query the pool runs is counted (and timed on the client) per phase, so the report can
 * say how many round trips one issued invoice costs and which statements the time goes to.
 */
import { createTaxRate } from '../src/modules/catalog/index.ts';
import { createCustomer } from '../src/modules/customers/index.ts';
import { createDraftInvoice, issueInvoice, type InvoiceLineInput } from '../src/modules/invoicing/index.ts';
import { verifyLedger } from '../src/modules/reports/index.ts';
import { createOrganization } from '../src/modules/setup/index.ts';
import { groupRows } from '../src/shared/collections.ts';
import { fixedClock } from '../src/shared/clock.ts';
import { transpose, type Pool } from '../src/shared/db.ts';
import { newId } from '../src/shared/ids.ts';

export type IssueBenchmarkOptions = {
  invoices: number;
  workers: number;
  batchSize: number;
  customers?: number;
  /** Called as work gets done, for a progress bar. */
  progress?: (phase: string, done: number, total: number) => void;
};

export type PhaseStats = {
  seconds: number;
  count: number;
  perSecond: number;
  queries: number;
  /** Client-side time per statement (first words of its SQL), lock waits included. */
  statements: Array<{ sql: string; calls: number; totalMs: number }>;
};

export type IssueBenchmarkResult = {
  invoices: number;
  linesPerInvoice: number;
  customers: number;
  workers: number;
  batchSize: number;
  drafts: PhaseStats;
  issue: PhaseStats & { latencyMs: { p50: number; p95: number; p99: number; max: number } };
  ceiling: PhaseStats & { batches: number };
  ratio: number;
  gaplessNumbers: boolean;
  ledgerOk: boolean;
  ceilingLedgerOk: boolean;
  ledgerProblems: string[];
};

const LINES_PER_INVOICE = 5;
const CLOCK = fixedClock('2026-11-23T12:00:00Z');

// ---------------------------------------------------------------------------------------------
// Query accounting: every client of the pool counts and times its queries into the current phase.

type Tally = { queries: number; statements: Map<string, { calls: number; totalMs: number }> };

export class QueryCounter {
  private tallies = new Map<string, Tally>();
  phase = 'setup';

  constructor(pool: Pool) {
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        const tally = this.tally(this.phase);
        tally.queries++;
        const config = args[0];
        const sql = typeof config === 'string' ? config : (config as { text?: string })?.text ?? '?';
        const key = sql.replace(/\s+/g, ' ').trim().slice(0, 72);
        const started = performance.now();
        const result = query(...args);
        const record = () => {
          const entry = tally.statements.get(key) ?? { calls: 0, totalMs: 0 };
          entry.calls++;
          entry.totalMs += performance.now() - started;
          tally.statements.set(key, entry);
        };
        if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(record, record);
        return result;
      };
    });
  }

  tally(phase: string): Tally {
    let tally = this.tallies.get(phase);
    if (!tally) this.tallies.set(phase, (tally = { queries: 0, statements: new Map() }));
    return tally;
  }

  stats(phase: string, seconds: number, count: number): PhaseStats {
    const tally = this.tally(phase);
    return {
      seconds, count, perSecond: count / seconds, queries: tally.queries,
      statements: [...tally.statements].map(([sql, s]) => ({ sql, ...s })).sort((a, b) => b.totalMs - a.totalMs),
    };
  }
}

// ---------------------------------------------------------------------------------------------

/** A small deterministic generator, so every run bills the same invoices. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const QUANTITIES = ['1', '0.25', '0.5', '2', '7.5', '0.3333', '12', '40'];
const PRICES = ['95.00', '120.50', '1499.99', '12.3456', '0.99', '250', '87.125', '4800.00'];

function linesFor(index: number, vatId: string, reducedId: string, next: () => number): InvoiceLineInput[] {
  return Array.from({ length: LINES_PER_INVOICE }, (_, i) => ({
    description: `Service ${index + 1}.${i + 1}`,
    quantity: QUANTITIES[Math.floor(next() * QUANTITIES.length)]!,
    unitPrice: PRICES[Math.floor(next() * PRICES.length)]!,
    taxRateIds: i < 3 ? [vatId] : i === 3 ? [reducedId] : [],
    ...(i === 2 ? { discountPercent: '10' } : {}),
  }));
}

/** Runs `task(0..count-1)` on `workers` concurrent loops. */
async function parallel(count: number, workers: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(workers, count) }, async () => {
    for (let index = next++; index < count; index = next++) await task(index);
  }));
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function runIssueBenchmark(pool: Pool, counter: QueryCounter, options: IssueBenchmarkOptions): Promise<IssueBenchmarkResult> {
  const { invoices: n, workers, batchSize } = options;
  const customerCount = options.customers ?? 100;
  const progress = options.progress ?? (() => {});

  // 1. Setup.
  counter.phase = 'setup';
  const { organizationId } = await createOrganization(pool, { legalName: 'Bench Consulting GmbH', baseCurrency: 'EUR', ownerEmail: 'owner@bench.example', timeZone: 'Europe/Berlin' });
  const customerIds: string[] = [];
  for (let i = 0; i < customerCount; i++) {
    customerIds.push((await createCustomer(pool, organizationId, { name: `Client ${String(i + 1).padStart(3, '0')}`, currency: 'EUR', paymentTermsDays: 30 })).id);
  }
  const vat = await createTaxRate(pool, organizationId, { name: 'VAT 19%', percentage: '19', category: 'S' });
  const reduced = await createTaxRate(pool, organizationId, { name: 'VAT 7%', percentage: '7', category: 'S' });

  // 2. Drafts.
  counter.phase = 'drafts';
  const next = random(42);
  const inputs = Array.from({ length: n }, (_, i) => linesFor(i, vat.id, reduced.id, next));
  const draftIds: string[] = new Array(n);
  let done = 0;
  let started = performance.now();
  await parallel(n, workers, async (i) => {
    draftIds[i] = (await createDraftInvoice(pool, CLOCK, organizationId, { customerId: customerIds[i % customerCount]!, lines: inputs[i]! })).id;
    progress('drafts', ++done, n);
  });
  const drafts = counter.stats('drafts', (performance.now() - started) / 1000, n);

  // 3. Issue.
  counter.phase = 'issue';
  const latencies: number[] = new Array(n);
  done = 0;
  started = performance.now();
  await parallel(n, workers, async (i) => {
    const callStarted = performance.now();
    await issueInvoice(pool, CLOCK, organizationId, draftIds[i]!);
    latencies[i] = performance.now() - callStarted;
    progress('issue', ++done, n);
  });
  const issueSeconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const issue = {
    ...counter.stats('issue', issueSeconds, n),
    latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 },
  };

  counter.phase = 'checks';
  const { rows: numbering } = await pool.query(
    `select count(distinct number)::int as distinct_numbers, max(substring(number from 10)::int) as highest
     from invoices where organization_id = $1 and state = 'issued'`,
    [organizationId],
  );
  const gaplessNumbers = numbering[0].distinct_numbers === n && numbering[0].highest === n;

  // 4. Ceiling.
  const ceiling = await rawCeiling(pool, counter, organizationId, batchSize, progress);

  // 5. Ledger checks.
  counter.phase = 'checks';
  const [verification, ceilingVerification] = await Promise.all([verifyLedger(pool, organizationId), verifyLedger(pool, ceiling.organizationId)]);
  return {
    invoices: n, linesPerInvoice: LINES_PER_INVOICE, customers: customerCount, workers, batchSize,
    drafts, issue, ceiling: ceiling.stats, ratio: issue.perSecond / ceiling.stats.perSecond, gaplessNumbers,
    ledgerOk: verification.ok, ceilingLedgerOk: ceilingVerification.ok,
    ledgerProblems: [...verification.checks, ...ceilingVerification.checks].flatMap((check) => check.problems).slice(0, 10),
  };
}

// ---------------------------------------------------------------------------------------------
// The ceiling: the same rows, batched. Read back what the module wrote, give it fresh ids in a
// second organization, then time only the writes.

type Prepared = {
  invoices: unknown[][];
  lines: unknown[][];
  issued: unknown[][];
  entries: unknown[][];
  journalLines: unknown[][];
};

async function rawCeiling(
  pool: Pool,
  counter: QueryCounter,
  sourceOrganizationId: string,
  batchSize: number,
  progress: (phase: string, done: number, total: number) => void,
): Promise<{ organizationId: string; stats: PhaseStats & { batches: number } }> {
  counter.phase = 'ceiling-setup';
  const { organizationId } = await createOrganization(pool, { legalName: 'Bench Ceiling GmbH', baseCurrency: 'EUR', ownerEmail: 'owner@ceiling.example', timeZone: 'Europe/Berlin' });
  const customerIds = new Map<string, string>();
  const { rows: customers } = await pool.query(`select id, name from customers where organization_id = $1 order by id`, [sourceOrganizationId]);
  for (const customer of customers) customerIds.set(customer.id, newId('cus'));
  await pool.query(
    `insert into customers (id, organization_id, name, currency) select id, $1, name, 'EUR' from unnest($2::text[], $3::text[]) as t(id, name)`,
    [organizationId, customers.map((c) => customerIds.get(c.id)), customers.map((c) => c.name)],
  );
  const { rows: accounts } = await pool.query(
    `select source.id as source_id, target.id as target_id from accounts source join accounts target using (system_key)
     where source.organization_id = $1 and target.organization_id = $2`,
    [sourceOrganizationId, organizationId],
  );
  const accountIds = new Map(accounts.map((row) => [row.source_id as string, row.target_id as string]));

  const { rows: invoices } = await pool.query(
    `select id, customer_id, currency, price_mode, discount_percent::text, number, issue_date, due_date, subtotal_minor, discount_total_minor,
            tax_total_minor, total_minor, tax_breakdown::text, customer_snapshot::text
     from invoices where organization_id = $1 and state = 'issued' order by number`,
    [sourceOrganizationId],
  );
  const { rows: lines } = await pool.query(
    `select invoice_id, position, description, quantity::text, unit, unit_price::text, discount_percent::text, taxes::text, amount_minor, discount_minor, net_minor
     from invoice_lines where organization_id = $1 order by invoice_id, position`,
    [sourceOrganizationId],
  );
  const { rows: journal } = await pool.query(
    `select e.id as entry_id, e.source_id, e.entry_date, e.description, l.line_number, l.account_id, l.customer_id, l.currency,
            l.debit_minor, l.credit_minor, l.memo
     from journal_entries e join journal_lines l on l.entry_id = e.id
     where e.organization_id = $1 and e.source_type = 'invoice' order by e.id, l.line_number`,
    [sourceOrganizationId],
  );
  const linesByInvoice = groupRows(lines, (line) => line.invoice_id as string);
  const journalByInvoice = groupRows(journal, (line) => line.source_id as string);

  const batches: Prepared[] = [];
  for (let start = 0; start < invoices.length; start += batchSize) {
    const batch: Prepared = { invoices: [], lines: [], issued: [], entries: [], journalLines: [] };
    for (const invoice of invoices.slice(start, start + batchSize)) {
      const id = newId('inv');
      const customerId = customerIds.get(invoice.customer_id)!;
      batch.invoices.push([
        id, organizationId, customerId, invoice.currency, invoice.price_mode, invoice.discount_percent, invoice.subtotal_minor,
        invoice.discount_total_minor, invoice.tax_total_minor, invoice.total_minor, invoice.tax_breakdown,
      ]);
      for (const line of linesByInvoice.get(invoice.id) ?? []) {
        batch.lines.push([
          newId('lin'), organizationId, id, line.position, line.description, line.quantity, line.unit, line.unit_price,
          line.discount_percent, line.taxes, line.amount_minor, line.discount_minor, line.net_minor,
        ]);
      }
      batch.issued.push([id, invoice.number, invoice.issue_date, invoice.due_date, invoice.customer_snapshot]);
      const entryId = newId('jrn');
      const entryLines = journalByInvoice.get(invoice.id) ?? [];
      batch.entries.push([entryId, organizationId, entryLines[0].entry_date, entryLines[0].description, 'invoice', id]);
      for (const line of entryLines) {
        batch.journalLines.push([
          entryId, line.line_number, organizationId, accountIds.get(line.account_id), line.customer_id ? customerIds.get(line.customer_id) : null,
          line.currency, line.debit_minor, line.credit_minor, line.memo,
        ]);
      }
    }
    batches.push(batch);
  }

  // Timed from here: five statements and a commit per batch.
  counter.phase = 'ceiling';
  const client = await pool.connect();
  let done = 0;
  const started = performance.now();
  try {
    for (const batch of batches) {
      await client.query('begin');
      // As drafts first: an issued invoice's lines are frozen by a trigger, so lines go in before it is issued.
      await client.query(
        `insert into invoices (id, organization_id, customer_id, currency, price_mode, discount_percent, subtotal_minor,
           discount_total_minor, tax_total_minor, total_minor, tax_breakdown)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::bigint[], $8::bigint[],
           $9::bigint[], $10::bigint[], $11::jsonb[])`,
        transpose(batch.invoices),
      );
      await client.query(
        `insert into invoice_lines (id, organization_id, invoice_id, position, description, quantity, unit, unit_price, discount_percent,
           taxes, amount_minor, discount_minor, net_minor)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::numeric[], $7::text[], $8::numeric[],
           $9::numeric[], $10::jsonb[], $11::bigint[], $12::bigint[], $13::bigint[])`,
        transpose(batch.lines),
      );
      await client.query(
        `update invoices i set state = 'issued', number = t.number, issue_date = t.issue_date, due_date = t.due_date,
           customer_snapshot = t.snapshot, issued_at = now(), updated_at = now()
         from unnest($1::text[], $2::text[], $3::date[], $4::date[], $5::jsonb[]) as t(id, number, issue_date, due_date, snapshot)
         where i.id = t.id`,
        transpose(batch.issued),
      );
      await client.query(
        `insert into journal_entries (id, organization_id, entry_date, description, source_type, source_id)
         select * from unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::text[])`,
        transpose(batch.entries),
      );
      await client.query(
        `insert into journal_lines (entry_id, line_number, organization_id, account_id, customer_id, currency, debit_minor, credit_minor, memo)
         select * from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::text[])`,
        transpose(batch.journalLines),
      );
      await client.query('commit');
      done += batch.invoices.length;
      progress('ceiling', done, invoices.length);
    }
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  const seconds = (performance.now() - started) / 1000;
  return { organizationId, stats: { ...counter.stats('ceiling', seconds, invoices.length), batches: batches.length } };
}
