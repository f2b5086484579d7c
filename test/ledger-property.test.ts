/**
 * Randomized operations against the module functions, with the ledger's invariants checked
 * after every batch. fast-check generates each run's organization (time zone, rounding) and a
 * sequence of operations: customers in EUR, JPY and KWD; drafts with awkward quantities, prices
 * with up to 4 decimals, 0-2 taxes (compound ones too), discounts, both price modes; issuing,
 * voiding, payments (allocated or not, too much or too little), credit notes by amount and by
 * line, applying credit, and time travel across a year end. Operations may be refused with a
 * DomainError (a 4xx over HTTP), but a refused operation must leave no trace; anything else
 * thrown is a bug. The seed is fixed, so a failure replays exactly.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { updateOrganization } from '../src/modules/access/index.ts';
import { createTaxRate } from '../src/modules/catalog/index.ts';
import { createCustomer } from '../src/modules/customers/index.ts';
import {
  createCreditNote, createDraftInvoice, getInvoice, issueInvoice, listCreditNotes, listInvoices, voidInvoice,
  type CreditNoteLineInput, type Invoice, type InvoiceLineInput, type InvoiceStatus,
} from '../src/modules/invoicing/index.ts';
import { trialBalance } from '../src/modules/ledger/index.ts';
import { applyCustomerCredit, recordPayment, type PaymentMethod } from '../src/modules/payments/index.ts';
import { verifyLedger } from '../src/modules/reports/index.ts';
import { createOrganization } from '../src/modules/setup/index.ts';
import { todayIn } from '../src/shared/clock.ts';
import { inTransaction } from '../src/shared/db.ts';
import { decimal, multiply, rescale, toDecimalString } from '../src/shared/decimal.ts';
import { DomainError } from '../src/shared/errors.ts';
import { formatAmount } from '../src/shared/money.ts';
import { createTestDatabase } from './helpers/test-db.ts';

const SEED = 20261123;
const RUNS = 24;
const OPERATIONS_PER_RUN = 126; // 24 × 126 = 3,024 operations
const BATCH = 25; // invariants are checked after every batch and at the end of a run

const db = await createTestDatabase();
const pool = db.pool;
after(() => db.drop());

// ---------------------------------------------------------------------------------------------
// Operations, as fast-check generates them: indexes into what exists so far, fractions in per mille.

type Currency = 'EUR' | 'JPY' | 'KWD';
type LineSpec = { quantity: string; price: string; discountPercent: string; taxes: number[] };
type Operation =
  | { kind: 'customer'; currency: Currency }
  | { kind: 'draft'; customer: number; priceMode: 'exclusive' | 'inclusive'; discountPercent: string; lines: LineSpec[] }
  | { kind: 'issue'; invoice: number; anyState: boolean }
  | { kind: 'void'; invoice: number; anyState: boolean }
  | { kind: 'payment'; customer: number; method: PaymentMethod; otherCurrency: boolean; permille: number; allocations: Array<{ invoice: number; permille: number }>; extraPermille: number }
  | { kind: 'creditAmount'; invoice: number; anyState: boolean; permille: number }
  | { kind: 'creditLines'; invoice: number; anyState: boolean; lines: Array<{ line: number; part: 'all' | 'half' | 'third' | 'over' }>; goodwill: boolean }
  | { kind: 'applyCredit'; customer: number; targeted: boolean }
  | { kind: 'travel'; hours: number };

const quantity = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom('1', '0.25', '0.3333', '2.5', '3', '12', '0.5', '7.125', '40') },
  { weight: 1, arbitrary: fc.constantFrom('-1', '-0.25') }, // a credit line; alone it makes a negative draft
);
const price = fc
  .record({ units: fc.integer({ min: 0, max: 50_000_000 }), scale: fc.integer({ min: 0, max: 4 }) })
  .map(({ units, scale }) => toDecimalString({ units: BigInt(units), scale }));
const line: fc.Arbitrary<LineSpec> = fc.record({
  quantity,
  price,
  discountPercent: fc.constantFrom('0', '0', '0', '5', '12.5', '33.3333', '100'),
  taxes: fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 0, maxLength: 2 }),
});
const index = fc.nat({ max: 1000 });
/** true about one time in ten: an operation aimed at an invoice in any state, mostly to be refused. */
const rarely = fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('customer' as const), currency: fc.constantFrom<Currency>('EUR', 'JPY', 'KWD') }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('draft' as const), customer: index, priceMode: fc.constantFrom('exclusive' as const, 'inclusive' as const),
      discountPercent: fc.constantFrom('0', '0', '10', '2.5', '33.3333'),
      lines: fc.oneof({ weight: 1, arbitrary: fc.constant<LineSpec[]>([]) }, { weight: 12, arbitrary: fc.array(line, { minLength: 1, maxLength: 4 }) }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('issue' as const), invoice: index, anyState: rarely }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), invoice: index, anyState: rarely }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('payment' as const), customer: index, method: fc.constantFrom<PaymentMethod>('bank_transfer', 'cash', 'card'),
      otherCurrency: rarely,
      permille: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 12, arbitrary: fc.integer({ min: 1, max: 1500 }) }),
      allocations: fc.array(fc.record({ invoice: index, permille: fc.integer({ min: 1, max: 1300 }) }), { minLength: 0, maxLength: 2 }),
      extraPermille: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 500 }) }, { weight: 1, arbitrary: fc.integer({ min: -300, max: -1 }) }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('creditAmount' as const), invoice: index, anyState: rarely, permille: fc.integer({ min: 1, max: 1100 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('creditLines' as const), invoice: index, anyState: rarely,
      lines: fc.array(fc.record({ line: index, part: fc.constantFrom('all' as const, 'half' as const, 'third' as const, 'over' as const) }), { minLength: 0, maxLength: 3 }),
      goodwill: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('applyCredit' as const), customer: index, targeted: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('travel' as const), hours: fc.oneof(fc.integer({ min: 1, max: 23 }), fc.integer({ min: 24, max: 24 * 20 })) }) },
);

const scenario = fc.record({
  timeZone: fc.constantFrom('Europe/Berlin', 'Pacific/Kiritimati', 'America/Anchorage', 'UTC'),
  rounding: fc.constantFrom('half_up' as const, 'half_even' as const),
  operations: fc.array(operation, { minLength: OPERATIONS_PER_RUN, maxLength: OPERATIONS_PER_RUN }),
});

// ---------------------------------------------------------------------------------------------
// One run: an organization of its own, the operations applied in order, invariants per batch.

type World = {
  organizationId: string;
  timeZone: string;
  clock: { at: Date; now(): Date };
  customers: Array<{ id: string; currency: Currency }>;
  /** `issuable`: a draft with lines and a total that is not negative. */
  invoices: Array<{ id: string; customerId: string; currency: Currency; state: 'draft' | 'issued' | 'void'; issuable: boolean }>;
  taxRateIds: string[];
  log: string[];
};

/** Where the file's time goes, in ms: the operations themselves, the no-trace footprints, the checks. */
const timing = { footprint: 0, apply: 0, check: 0 };
const totals = { runs: 0, operations: 0, accepted: 0, refused: 0, batches: 0, acceptedBy: new Map<string, number>(), refusedBy: new Map<string, number>(), years: new Set<string>() };

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

async function newWorld(timeZone: string, rounding: 'half_up' | 'half_even'): Promise<World> {
  const { organizationId } = await createOrganization(pool, { legalName: 'Property Firm', baseCurrency: 'EUR', ownerEmail: 'owner@property.example', timeZone });
  await inTransaction(pool, (tx) => updateOrganization(tx, organizationId, { roundingMode: rounding }));
  const rates = [
    { name: 'VAT 19%', percentage: '19', category: 'S' as const },
    { name: 'Reduced 7%', percentage: '7', category: 'S' as const },
    { name: 'Local 2.5% (compound)', percentage: '2.5', category: 'S' as const, compound: true },
    { name: 'Zero rated', percentage: '0', category: 'Z' as const },
    { name: 'Exempt', percentage: '0', category: 'E' as const, exemptionReason: 'Medical services' },
    { name: 'QST 9.975% (compound)', percentage: '9.975', category: 'S' as const, compound: true },
  ];
  const taxRateIds: string[] = [];
  for (const rate of rates) taxRateIds.push((await createTaxRate(pool, organizationId, rate)).id);
  const world: World = {
    organizationId, timeZone, taxRateIds, customers: [], invoices: [], log: [],
    clock: { at: new Date('2026-12-18T09:30:00Z'), now() { return this.at; } }, // three weeks before a year end
  };
  for (const currency of ['EUR', 'JPY', 'KWD'] as const) await apply(world, { kind: 'customer', currency });
  return world;
}

function pick<T>(list: T[], n: number): T | undefined {
  return list.length === 0 ? undefined : list[n % list.length];
}

/** Mostly an invoice the operation can work on; sometimes any invoice, to be refused. */
function pickInvoice(world: World, n: number, state: 'draft' | 'issued', anyState: boolean) {
  const candidates = anyState ? world.invoices : world.invoices.filter((invoice) => invoice.state === state && (state !== 'draft' || invoice.issuable));
  return pick(candidates, n) ?? pick(world.invoices, n);
}

function today(world: World): string {
  return todayIn(world.timeZone, world.clock);
}

/** Per mille of an amount, at least one minor unit. */
function share(minor: bigint, permille: number): bigint {
  const part = (minor * BigInt(permille)) / 1000n;
  return part > 0n ? part : 1n;
}

async function apply(world: World, op: Operation): Promise<string> {
  const { organizationId: org, clock } = world;
  switch (op.kind) {
    case 'customer': {
      const customer = await createCustomer(pool, org, { name: `Customer ${world.customers.length + 1}`, currency: op.currency, paymentTermsDays: 14 });
      world.customers.push({ id: customer.id, currency: op.currency });
      return `customer ${customer.id} ${op.currency}`;
    }
    case 'draft': {
      const customer = pick(world.customers, op.customer)!;
      const lines: InvoiceLineInput[] = op.lines.map((spec, i) => ({
        description: `Line ${i + 1}`, quantity: spec.quantity, unitPrice: spec.price, discountPercent: spec.discountPercent,
        taxRateIds: spec.taxes.map((t) => world.taxRateIds[t]!),
      }));
      const invoice = await createDraftInvoice(pool, clock, org, { customerId: customer.id, priceMode: op.priceMode, discountPercent: op.discountPercent, lines });
      world.invoices.push({ id: invoice.id, customerId: customer.id, currency: customer.currency, state: 'draft', issuable: lines.length > 0 && invoice.totalMinor >= 0n });
      return `draft ${invoice.id} ${JSON.stringify({ priceMode: op.priceMode, discountPercent: op.discountPercent, lines })} total ${formatAmount(invoice.totalMinor, invoice.currency)}`;
    }
    case 'issue': {
      const target = pickInvoice(world, op.invoice, 'draft', op.anyState);
      if (!target) return 'issue: no invoice';
      const invoice = await issueInvoice(pool, clock, org, target.id);
      target.state = 'issued';
      return `issue ${target.id} → ${invoice.number} due ${invoice.dueDate}`;
    }
    case 'void': {
      const target = pickInvoice(world, op.invoice, 'issued', op.anyState);
      if (!target) return 'void: no invoice';
      await voidInvoice(pool, clock, org, target.id, 'property test');
      target.state = 'void';
      return `void ${target.id}`;
    }
    case 'payment': return pay(world, op);
    case 'creditAmount': {
      const target = pickInvoice(world, op.invoice, 'issued', op.anyState);
      if (!target) return 'credit: no invoice';
      const invoice = await getInvoice(pool, clock, org, target.id);
      const amount = formatAmount(share(invoice.totalMinor > 0n ? invoice.totalMinor : 1n, op.permille), invoice.currency);
      const note = await createCreditNote(pool, clock, org, { invoiceId: target.id, amount });
      return `credit ${amount} on ${target.id}: ${note.number} applied ${note.appliedMinor} credited ${note.creditedMinor}`;
    }
    case 'creditLines': {
      const target = pickInvoice(world, op.invoice, 'issued', op.anyState);
      if (!target) return 'credit lines: no invoice';
      const invoice = await getInvoice(pool, clock, org, target.id);
      const lines: CreditNoteLineInput[] = op.lines.flatMap(({ line: n, part }) => {
        const line = pick(invoice.lines, n);
        if (!line) return [];
        const q = decimal(line.quantity);
        const quantity = part === 'all' ? undefined
          : part === 'half' ? toDecimalString(rescale(multiply(q, decimal('0.5')), 6, 'down'))
          : part === 'third' ? toDecimalString(rescale(multiply(q, decimal('0.3333')), 4, 'down'))
          : toDecimalString(multiply(q, decimal('2')));
        return [{ invoiceLineId: line.id, ...(quantity === undefined ? {} : { quantity }) }];
      });
      const taxRateIds = invoice.lines[0]?.taxes.map((tax) => tax.id) ?? [];
      if (op.goodwill) lines.push({ description: 'Goodwill', quantity: '1', unitPrice: '1.5', taxRateIds });
      const note = await createCreditNote(pool, clock, org, { invoiceId: target.id, lines });
      return `credit lines ${JSON.stringify(lines)} on ${target.id}: ${note.number} total ${note.totalMinor}`;
    }
    case 'applyCredit': {
      const customer = pick(world.customers, op.customer)!;
      const open = world.invoices.filter((i) => i.customerId === customer.id && i.state === 'issued');
      const invoiceId = op.targeted ? pick(open, op.customer)?.id : undefined;
      const currency = op.customer % 5 === 0 ? (['EUR', 'JPY', 'KWD'] as const).find((c) => c !== customer.currency)! : undefined;
      const result = await applyCustomerCredit(pool, clock, org, customer.id, { ...(invoiceId ? { invoiceId } : {}), ...(currency ? { currency } : {}) });
      return `apply credit ${customer.id}: ${result.appliedMinor} to ${result.invoices.map((i) => i.invoiceNumber).join(',')}`;
    }
    case 'travel': {
      world.clock.at = new Date(world.clock.at.getTime() + op.hours * 3_600_000);
      return `travel +${op.hours}h → ${world.clock.at.toISOString()} (today ${today(world)})`;
    }
  }
}

async function pay(world: World, op: Extract<Operation, { kind: 'payment' }>): Promise<string> {
  const { organizationId: org, clock } = world;
  const customer = pick(world.customers, op.customer)!;
  const currency = op.otherCurrency ? (['EUR', 'JPY', 'KWD'] as const).find((c) => c !== customer.currency)! : customer.currency;
  const theirs = world.invoices.filter((i) => i.customerId === customer.id);
  const allocations: Array<{ invoiceId: string; amount: string }> = [];
  let allocated = 0n;
  for (const { invoice: n, permille } of op.allocations) {
    const open = theirs.filter((i) => i.state === 'issued');
    // Mostly the customer's issued invoices; else a draft or void one, or another customer's: refused.
    const target = (op.permille % 7 === 0 ? undefined : pick(open, n)) ?? pick(theirs, n) ?? pick(world.invoices, n);
    if (!target) continue;
    const invoice = await getInvoice(pool, clock, org, target.id);
    const minor = share(invoice.amountDueMinor > 0n ? invoice.amountDueMinor : 1n, permille);
    allocations.push({ invoiceId: target.id, amount: formatAmount(minor, currency) });
    allocated += minor;
  }
  let amountMinor: bigint;
  if (allocations.length > 0) {
    amountMinor = allocated + (allocated * BigInt(op.extraPermille)) / 1000n;
  } else {
    const page = await listInvoices(pool, clock, org, { customerId: customer.id, limit: 200 });
    const open = page.data.filter((i) => i.state === 'issued' && i.currency === currency).reduce((sum, i) => sum + i.amountDueMinor, 0n);
    amountMinor = op.permille === 0 ? 0n : share(open > 0n ? open : 10_000n, op.permille);
  }
  const amount = formatAmount(amountMinor, currency);
  const payment = await recordPayment(pool, clock, org, {
    customerId: customer.id, amount, currency, date: today(world), method: op.method,
    ...(allocations.length > 0 || op.permille % 2 === 1 ? { allocations } : {}),
  });
  return `payment ${amount} ${currency} from ${customer.id} allocations ${JSON.stringify(allocations)} → unallocated ${payment.unallocatedMinor}`;
}

// ---------------------------------------------------------------------------------------------
// "No trace": everything an operation could write, summed up, before and after a refusal.

async function footprint(organizationId: string): Promise<Record<string, string>> {
  const { rows } = await pool.query({
    name: 'property-test-footprint', // prepared once per connection: it runs before every operation
    text: `select
       (select count(*) || '/' || coalesce(sum(total_minor), 0) || '/' || count(*) filter (where state = 'issued') || '/' || count(*) filter (where state = 'void')
          from invoices where organization_id = $1) as invoices,
       (select count(*) from invoice_lines where organization_id = $1)::text as invoice_lines,
       (select count(*) || '/' || coalesce(sum(total_minor), 0) from credit_notes where organization_id = $1) as credit_notes,
       (select count(*) from credit_note_lines where organization_id = $1)::text as credit_note_lines,
       (select count(*) || '/' || coalesce(sum(amount_minor), 0) from payments where organization_id = $1) as payments,
       (select count(*) || '/' || coalesce(sum(amount_minor), 0) from settlements where organization_id = $1) as settlements,
       (select count(*) from journal_entries where organization_id = $1)::text as journal_entries,
       (select count(*) || '/' || coalesce(sum(debit_minor), 0) from journal_lines where organization_id = $1) as journal_lines,
       (select coalesce(sum(c.last_value), 0)::text from number_counters c join number_series s on s.id = c.series_id where s.organization_id = $1) as counters,
       (select count(*) from customers where organization_id = $1)::text as customers`,
    values: [organizationId],
  });
  return rows[0];
}

// ---------------------------------------------------------------------------------------------
// The invariants.

/** The status rule, written out independently of deriveStatus. */
function expectedStatus(state: string, totalMinor: bigint, settledMinor: bigint, dueDate: string | null, day: string): InvoiceStatus {
  if (state === 'draft') return 'draft';
  if (state === 'void') return 'void';
  if (settledMinor >= totalMinor) return 'paid';
  if (dueDate !== null && dueDate < day) return 'overdue';
  return settledMinor > 0n ? 'partially_paid' : 'open';
}

async function allInvoices(world: World, filter: { status?: InvoiceStatus } = {}): Promise<Invoice[]> {
  const invoices: Invoice[] = [];
  let cursor: string | undefined;
  do {
    const page = await listInvoices(pool, world.clock, world.organizationId, { ...filter, limit: 200, ...(cursor ? { cursor } : {}) });
    invoices.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return invoices;
}

function assertGapless(numbers: string[], prefix: string, what: string): void {
  const byYear = new Map<string, number[]>();
  for (const number of numbers) {
    const match = new RegExp(`^${prefix}-(\\d{4})-(\\d{4,})$`).exec(number);
    assert.ok(match, `${what} number ${number} has the pattern ${prefix}-YYYY-NNNN`);
    byYear.set(match[1]!, [...(byYear.get(match[1]!) ?? []), Number(match[2])]);
  }
  for (const [year, sequence] of byYear) {
    sequence.sort((a, b) => a - b);
    assert.deepEqual(sequence, sequence.map((_, i) => i + 1), `${what} numbers of ${year} run 1..${sequence.length} without a gap`);
  }
}

async function checkInvariants(world: World): Promise<void> {
  const org = world.organizationId;
  const day = today(world);

  const verification = await verifyLedger(pool, org);
  assert.ok(verification.ok, `verifyLedger: ${JSON.stringify(verification.checks.filter((check) => !check.ok))}`);

  const sums = new Map<string, { debit: bigint; credit: bigint }>();
  for (const row of await trialBalance(pool, org)) {
    const sum = sums.get(row.currency) ?? { debit: 0n, credit: 0n };
    sum.debit += row.debitMinor;
    sum.credit += row.creditMinor;
    sums.set(row.currency, sum);
  }
  for (const [currency, sum] of sums) assert.equal(sum.debit, sum.credit, `trial balance in ${currency}: debits = credits`);

  // Documents as stored: line nets and credit-note totals per invoice.
  const { rows } = await pool.query(
    `select i.id, i.state, i.number, i.issue_date, i.tax_breakdown,
            (select coalesce(sum(net_minor), 0)::text from invoice_lines l where l.invoice_id = i.id) as line_nets,
            (select coalesce(sum(total_minor), 0)::text from credit_notes n where n.invoice_id = i.id) as credited_total,
            (select coalesce(sum(amount_minor), 0)::text from settlements s where s.invoice_id = i.id) as settled
     from invoices i where i.organization_id = $1`,
    [org],
  );
  const stored = new Map(rows.map((row) => [row.id as string, row]));

  const invoices = await allInvoices(world);
  assert.equal(invoices.length, world.invoices.length, 'every draft created is listed');
  const expectedByStatus = new Map<InvoiceStatus, Set<string>>();
  for (const invoice of invoices) {
    const row = stored.get(invoice.id)!;
    const what = `invoice ${invoice.id} (${invoice.number ?? 'draft'})`;
    assert.equal(invoice.totalMinor, invoice.subtotalMinor - invoice.discountTotalMinor + invoice.taxTotalMinor, `${what}: total = subtotal − discount + tax`);
    assert.equal(invoice.subtotalMinor, BigInt(row.line_nets), `${what}: subtotal = Σ line nets`);
    assert.equal(invoice.taxTotalMinor, invoice.taxBreakdown.reduce((sum, tax) => sum + tax.taxMinor, 0n), `${what}: tax total = Σ tax breakdown`);
    const settled = invoice.amountPaidMinor + invoice.amountCreditedMinor;
    assert.equal(settled, BigInt(row.settled), `${what}: paid + credited = Σ settlements`);
    if (invoice.state === 'draft') {
      assert.equal(invoice.amountDueMinor, invoice.totalMinor, `${what}: a draft owes its total`);
      assert.equal(settled, 0n, `${what}: nothing settles a draft`);
    } else {
      assert.ok(invoice.amountDueMinor >= 0n, `${what}: amountDue ${invoice.amountDueMinor} must not be negative`);
      assert.ok(settled <= invoice.totalMinor, `${what}: settled ${settled} must not exceed total ${invoice.totalMinor}`);
      assert.ok(BigInt(row.credited_total) <= invoice.totalMinor, `${what}: credit notes ${row.credited_total} must not exceed total ${invoice.totalMinor}`);
      assert.equal(invoice.amountDueMinor, invoice.state === 'issued' ? invoice.totalMinor - settled : 0n, `${what}: amount due`);
      assert.ok(invoice.totalMinor >= 0n, `${what}: an issued total is not negative`);
      assert.equal(invoice.issueDate?.slice(0, 4), invoice.number?.slice(4, 8), `${what}: numbered in the year it was issued`);
    }
    if (invoice.state === 'void') assert.equal(settled, 0n, `${what}: a void invoice has no settlements`);
    const status = expectedStatus(invoice.state, invoice.totalMinor, settled, invoice.dueDate, day);
    assert.equal(invoice.status, status, `${what}: status on ${day}`);
    expectedByStatus.set(status, (expectedByStatus.get(status) ?? new Set()).add(invoice.id));
  }
  // The list filter derives status in SQL: it must agree with the rule.
  for (const status of ['draft', 'open', 'partially_paid', 'paid', 'overdue', 'void'] as const) {
    const filtered = new Set((await allInvoices(world, { status })).map((invoice) => invoice.id));
    assert.deepEqual(filtered, expectedByStatus.get(status) ?? new Set(), `listInvoices(status=${status}) on ${day}`);
  }

  assertGapless(invoices.filter((i) => i.number !== null).map((i) => i.number!), 'INV', 'invoice');
  for (const invoice of invoices) if (invoice.issueDate) totals.years.add(invoice.issueDate.slice(0, 4));
  const notes = await listCreditNotes(pool, org, {});
  assertGapless(notes.map((note) => note.number), 'CN', 'credit note');
  for (const note of notes) {
    assert.equal(note.appliedMinor + note.creditedMinor, note.totalMinor, `credit note ${note.number}: applied + credited = total`);
    assert.equal(note.totalMinor, note.subtotalMinor - note.discountTotalMinor + note.taxTotalMinor, `credit note ${note.number}: total = subtotal − discount + tax`);
  }

  const { rows: payments } = await pool.query(
    `select p.id, p.amount_minor::text as amount, coalesce(sum(s.amount_minor), 0)::text as allocated
     from payments p left join settlements s on s.payment_id = p.id where p.organization_id = $1 group by p.id`,
    [org],
  );
  for (const payment of payments) assert.ok(BigInt(payment.allocated) <= BigInt(payment.amount), `payment ${payment.id} allocates no more than it received`);
  totals.batches++;
}

// ---------------------------------------------------------------------------------------------

test(`randomized operations keep the ledger, the documents and the numbering consistent (seed ${SEED})`, { timeout: 120_000 }, async (t) => {
  const details = await fc.check(
    fc.asyncProperty(scenario, async ({ timeZone, rounding, operations }) => {
      const world = await newWorld(timeZone, rounding);
      totals.runs++;
      try {
        for (const [i, op] of operations.entries()) {
          let started = performance.now();
          const before = await footprint(world.organizationId);
          timing.footprint += performance.now() - started;
          started = performance.now();
          try {
            world.log.push(`#${i} ${await apply(world, op)}`);
            totals.accepted++;
            count(totals.acceptedBy, op.kind);
          } catch (error) {
            if (!(error instanceof DomainError)) throw Object.assign(new Error(`#${i} ${op.kind} threw a non-domain error (a 500): ${(error as Error).stack}`), { op });
            world.log.push(`#${i} ${op.kind} refused: ${error.code} ${error.message}`);
            totals.refused++;
            count(totals.refusedBy, `${op.kind}:${error.code}`);
            assert.deepEqual(await footprint(world.organizationId), before, `#${i} ${op.kind} was refused (${error.code}) but left a trace`);
          }
          timing.apply += performance.now() - started;
          totals.operations++;
          if ((i + 1) % BATCH === 0 || i === operations.length - 1) {
            started = performance.now();
            await checkInvariants(world);
            timing.check += performance.now() - started;
          }
        }
      } catch (error) {
        const message = `${(error as Error).message}\n-- organization ${world.organizationId} (${timeZone}, ${rounding}), last operations:\n${world.log.slice(-25).join('\n')}`;
        throw Object.assign(new Error(message), { cause: error });
      }
    }),
    // No shrinking: every step is a database transaction, and the failure message names the operations.
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  if (details.failed) {
    // Not fc.assert: its report prints the whole counterexample, over a hundred operations.
    throw new Error(`run ${details.numRuns} of seed ${details.seed} (path ${details.counterexamplePath}) failed: ${(details.errorInstance as Error)?.message ?? details.errorInstance}`, { cause: details.errorInstance });
  }
  const list = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${key} ${n}`).join(', ');
  t.diagnostic(`${totals.runs} runs, ${totals.operations} operations (${totals.accepted} accepted, ${totals.refused} refused), ${totals.batches} invariant checks`);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  t.diagnostic(`time: operations ${seconds(timing.apply)}, footprints ${seconds(timing.footprint)}, invariant checks ${seconds(timing.check)}`);
  t.diagnostic(`accepted: ${list(totals.acceptedBy)}`);
  t.diagnostic(`refused: ${list(totals.refusedBy)}`);
  t.diagnostic(`invoices numbered in ${[...totals.years].sort().join(', ')}`);
  assert.ok(totals.years.size >= 2, 'time travel crossed a year end, so numbering restarted at least once');
  assert.ok(totals.operations >= 3000, `ran ${totals.operations} operations`);
  assert.ok(totals.accepted > totals.operations / 2, 'most operations were valid, so the invariants saw real work');
});

// ---------------------------------------------------------------------------------------------
// The database itself keeps the ledger append-only and balanced.

async function anyPostedEntry(): Promise<{ organizationId: string; entryId: string; accountId: string; customerId: string }> {
  const { organizationId } = await createOrganization(pool, { legalName: 'Ledger Firm', baseCurrency: 'EUR', ownerEmail: 'owner@ledger.example' });
  const clock = { now: () => new Date('2026-03-15T10:00:00Z') };
  const customer = await createCustomer(pool, organizationId, { name: 'Hooli', currency: 'EUR' });
  const draft = await createDraftInvoice(pool, clock, organizationId, { customerId: customer.id, lines: [{ description: 'Work', quantity: '1', unitPrice: '100' }] });
  await issueInvoice(pool, clock, organizationId, draft.id);
  const { rows } = await pool.query(
    `select e.id, l.account_id from journal_entries e join journal_lines l on l.entry_id = e.id where e.organization_id = $1 limit 1`,
    [organizationId],
  );
  return { organizationId, entryId: rows[0].id, accountId: rows[0].account_id, customerId: customer.id };
}

async function ledgerRows(organizationId: string): Promise<string> {
  const { rows } = await pool.query(
    `select (select count(*) from journal_entries where organization_id = $1) || '/' || (select count(*) || '/' || sum(debit_minor) || '/' || sum(credit_minor) from journal_lines where organization_id = $1) as ledger`,
    [organizationId],
  );
  return rows[0].ledger;
}

test('posted journal lines and entries cannot be updated or deleted', async () => {
  const { organizationId, entryId } = await anyPostedEntry();
  const before = await ledgerRows(organizationId);
  const attempts = [
    [`update journal_lines set debit_minor = debit_minor + 1 where entry_id = $1`, [entryId]],
    [`update journal_lines set memo = 'edited' where entry_id = $1`, [entryId]],
    [`update journal_entries set description = 'edited' where id = $1`, [entryId]],
    [`delete from journal_lines where entry_id = $1`, [entryId]],
    [`delete from journal_entries where id = $1`, [entryId]],
  ] as const;
  for (const [sql, params] of attempts) {
    await assert.rejects(pool.query(sql, [...params]), (error: { code?: string; message: string }) => {
      assert.equal(error.code, '42501', `${sql}: ${error.message}`);
      assert.match(error.message, /append-only/);
      return true;
    }, sql);
  }
  assert.equal(await ledgerRows(organizationId), before);
});

test('the ledger cannot be emptied with TRUNCATE either', async () => {
  const { organizationId } = await anyPostedEntry();
  const before = await ledgerRows(organizationId);
  const client = await pool.connect();
  try {
    await client.query('begin');
    // In a transaction that is rolled back whatever happens, so a TRUNCATE that works empties nothing for good.
    const truncated = await client.query('truncate journal_lines, journal_entries cascade').then(() => true, () => false);
    await client.query('rollback');
    assert.equal(truncated, false, 'TRUNCATE journal_lines, journal_entries went through: row triggers do not fire on TRUNCATE, so the ledger needs BEFORE TRUNCATE triggers too');
  } finally {
    await client.query('rollback').catch(() => {});
    client.release();
  }
  assert.equal(await ledgerRows(organizationId), before);
});

test('an unbalanced entry inserted directly is refused at commit, in total and per currency', async () => {
  const { organizationId, accountId, customerId } = await anyPostedEntry();
  const before = await ledgerRows(organizationId);
  const cases = [
    { name: 'debit without credit', lines: [['EUR', 1000, 0]] },
    { name: 'debits above credits', lines: [['EUR', 1000, 0], ['EUR', 0, 999]] },
    { name: 'balanced in sum but not per currency', lines: [['EUR', 1000, 0], ['JPY', 0, 1000]] },
  ] as const;
  for (const [n, { name, lines }] of cases.entries()) {
    const client = await pool.connect();
    const entryId = `jrn_unbalanced_${n}_${Date.now()}`;
    try {
      await client.query('begin');
      await client.query(
        `insert into journal_entries (id, organization_id, entry_date, description, source_type, source_id) values ($1, $2, '2026-03-15', $3, 'test', 'test')`,
        [entryId, organizationId, name],
      );
      for (const [i, [currency, debit, credit]] of lines.entries()) {
        // Each statement is accepted: the balance is checked once the entry is complete, at commit.
        await client.query(
          `insert into journal_lines (entry_id, line_number, organization_id, account_id, customer_id, currency, debit_minor, credit_minor) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [entryId, i + 1, organizationId, accountId, customerId, currency, debit, credit],
        );
      }
      await assert.rejects(client.query('commit'), (error: { code?: string; message: string }) => {
        assert.equal(error.code, '23514', `${name}: ${error.message}`);
        assert.match(error.message, /does not balance/);
        return true;
      }, name);
    } finally {
      await client.query('rollback').catch(() => {});
      client.release();
    }
  }
  assert.equal(await ledgerRows(organizationId), before, 'nothing of the refused entries stayed');
  assert.ok((await verifyLedger(pool, organizationId)).ok);
});
