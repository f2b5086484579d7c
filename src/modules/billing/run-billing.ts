/**
 * The billing run: for one date, every charge that is due, one draft invoice per customer and
 * currency. It pages through customers (`batchSize` per transaction) and asks every charge source
 * for their due charges; each batch claims its charges (the unique key of billing_run_items),
 * writes the drafts of the charges it won and moves the sources' watermarks, in one transaction.
 * So a period is billed exactly once: two runs at once queue on the contracts' row locks and the
 * later one finds the keys claimed; a run that dies loses only its open batch, which the next
 * run bills. A dry run does the same reading in read-only transactions and writes nothing.
 */
import { parseIsoDate, type IsoDate } from '../../shared/calendar.ts';
import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool, type Tx } from '../../shared/db.ts';
import type { RoundingMode } from '../../shared/decimal.ts';
import { assert, DomainError, invalid } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { getOrganization } from '../access/index.ts';
import { countCustomers, customerBatch } from '../customers/index.ts';
import { createDraftsFromLines, issueInvoice, previewDraftsFromLines, todayFor, type DraftFromLines, type DraftSummary } from '../invoicing/index.ts';
import { subscriptionChargeSource } from '../subscriptions/index.ts';
import { CONTRACT_CHARGE_SOURCES } from '../contracts/index.ts';
import { linkWorkToLines, unbilledWorkLines, type WorkLine } from '../work/index.ts';
import { addToRun, claimCharges, claimedKeys, finishRun, insertRun, keyOf } from './billing-store.ts';
import type { Charge, ChargeSource } from './charge.ts';

/** Every source of charges. Retainers and fixed schedules join here. */
export const CHARGE_SOURCES: readonly ChargeSource[] = [subscriptionChargeSource, ...CONTRACT_CHARGE_SOURCES];

export type BillingRunOptions = {
  /** Default: today in the organization's time zone. */
  date?: string;
  dryRun?: boolean;
  /**
   * Issue each draft the run created, after its batch has committed, one at a time. A draft that
   * cannot be issued (approval_required, say) stays a draft and is reported; the run still succeeds.
   */
  issue?: boolean;
  /** Customers per transaction. */
  batchSize?: number;
  sources?: readonly ChargeSource[];
  /** Called after each batch has committed (or, in a dry run, been computed). */
  onBatch?: (progress: BillingProgress) => void;
};

export type BillingProgress = { customersDone: number; customersTotal: number; chargesBilled: number; invoicesCreated: number };

export type ChargeKey = Pick<Charge, 'contractType' | 'contractId' | 'periodStart' | 'periodEnd'>;

/** A draft the run created (or, in a dry run, would create; then `invoiceId` is null). */
export type BilledInvoice = Omit<DraftSummary, 'id'> & { invoiceId: string | null; charges: ChargeKey[] };

export type SkippedCharge = ChargeKey & { customerId: string; reason: 'customer_archived' | 'currency_mismatch' };

export type BillingRunResult = BillingProgress & {
  runId: string | null;
  date: IsoDate;
  dryRun: boolean;
  invoices: BilledInvoice[];
  /** Due charges that cannot be billed as things are; they stay due, and the next run tries again. */
  skipped: SkippedCharge[];
  /** With `issue`: how many of the drafts were issued, and why the others were not. */
  issued: number;
  issueFailures: IssueFailure[];
};

export type IssueFailure = { invoiceId: string; code: string; message: string };

type RunContext = { organizationId: string; date: IsoDate; dryRun: boolean; runId: string | null; rounding: RoundingMode; sources: readonly ChargeSource[]; batchSize: number };

export async function runBilling(pool: Pool, clock: Clock, organizationId: string, options: BillingRunOptions): Promise<BillingRunResult> {
  const today = await todayFor(pool, organizationId, clock);
  const date = options.date === undefined ? today : parseIsoDate(options.date, 'date');
  // Billing ahead of time would bill periods whose changes may still come.
  if (date > today) throw invalid('date', `must not be after today (${today} in the organization's time zone)`, 'billing_date_in_future');
  const dryRun = options.dryRun ?? false;
  const context: RunContext = {
    organizationId, date, dryRun, runId: dryRun ? null : await insertRun(pool, organizationId, date),
    rounding: (await getOrganization(pool, organizationId)).roundingMode, sources: options.sources ?? CHARGE_SOURCES, batchSize: options.batchSize ?? 500,
  };
  const result: BillingRunResult = {
    runId: context.runId, date, dryRun, invoices: [], skipped: [], issued: 0, issueFailures: [],
    customersDone: 0, customersTotal: await countCustomers(pool, organizationId), chargesBilled: 0, invoicesCreated: 0,
  };
  for (let after: string | null = null; ;) {
    const batch = await inTransaction(pool, (tx) => billBatch(tx, context, after));
    if (batch.lastCustomerId === null) break;
    after = batch.lastCustomerId;
    result.customersDone += batch.customers;
    result.chargesBilled += batch.invoices.reduce((n, invoice) => n + invoice.charges.length, 0);
    result.invoicesCreated += batch.invoices.length;
    result.invoices.push(...batch.invoices);
    result.skipped.push(...batch.skipped);
    options.onBatch?.({ customersDone: result.customersDone, customersTotal: result.customersTotal, chargesBilled: result.chargesBilled, invoicesCreated: result.invoicesCreated });
  }
  if (context.runId) await finishRun(pool, context.runId);
  if (options.issue && !dryRun) {
    for (const invoice of result.invoices) {
      try {
        await issueInvoice(pool, clock, organizationId, invoice.invoiceId!);
        result.issued += 1;
      } catch (error) {
        // What the domain refuses stays a draft, reported; anything else is a bug and fails loudly.
        if (!(error instanceof DomainError)) throw error;
        result.issueFailures.push({ invoiceId: invoice.invoiceId!, code: error.code, message: error.message });
      }
    }
  }
  return result;
}

type Batch = { customers: number; lastCustomerId: string | null; invoices: BilledInvoice[]; skipped: SkippedCharge[] };

async function billBatch(tx: Tx, context: RunContext, after: string | null): Promise<Batch> {
  const { organizationId, date, dryRun } = context;
  if (dryRun) await tx.query('set transaction read only');
  const customers = await customerBatch(tx, organizationId, after, context.batchSize);
  if (customers.length === 0) return { customers: 0, lastCustomerId: null, invoices: [], skipped: [] };
  const page = { customerIds: customers.map((customer) => customer.id), lock: !dryRun };
  const due: Charge[] = [];
  for (const source of context.sources) due.push(...(await source.dueCharges(tx, organizationId, date, page)));

  const { billable, skipped } = sortOut(due, new Map(customers.map((customer) => [customer.id, customer])));
  const groups = groupByCustomerAndCurrency(billable);
  const candidates = [...groups.values()].flat();
  // A dry run leaves out what is billed; a real run claims, and bills only the claims it won.
  let isWon: (charge: Charge) => boolean;
  if (dryRun) {
    const billed = await claimedKeys(tx, candidates);
    isWon = (charge) => !billed.has(keyOf(charge));
  } else {
    const claimed = await claimCharges(tx, organizationId, context.runId!, candidates);
    isWon = (charge) => claimed.has(keyOf(charge));
  }
  const won = candidates.filter(isWon);

  const drafts: DraftFromLines[] = [];
  const chargesOf = new Map<string, ChargeKey[]>();
  const workLines: WorkLine[] = [];
  for (const [invoiceId, charges] of groups) {
    const mine = charges.filter(isWon);
    if (mine.length === 0) continue;
    const { customerId, currency } = mine[0]!;
    // A subscription that opted in brings the customer's unbilled work (up to the run date, in the
    // invoice's currency) onto the same invoice; its entries are linked below, so billed once.
    const work = mine.some((charge) => charge.includeUnbilledWork) ? await unbilledWorkLines(tx, organizationId, { customerId, currency, upTo: date, lock: !dryRun }) : [];
    workLines.push(...work);
    const lines = [
      ...mine.flatMap((charge) => charge.lines),
      ...work.map((line) => ({
        id: line.lineId, itemId: null, description: line.description, quantity: line.quantity, unit: line.unit, unitPrice: line.unitPrice,
        taxRateIds: [], serviceStart: line.serviceStart, serviceEnd: line.serviceEnd,
      })),
    ];
    drafts.push({ id: invoiceId, customerId, currency, lines });
    chargesOf.set(invoiceId, mine.map(({ contractType, contractId, periodStart, periodEnd }) => ({ contractType, contractId, periodStart, periodEnd })));
  }
  const summaries = dryRun
    ? await previewDraftsFromLines(tx, organizationId, context.rounding, drafts)
    : await createDraftsFromLines(tx, organizationId, context.rounding, drafts);
  if (!dryRun) {
    await linkWorkToLines(tx, organizationId, workLines);
    for (const source of context.sources) {
      const billed = won.filter((charge) => source.contractTypes.includes(charge.contractType));
      if (billed.length > 0) await source.markBilled(tx, organizationId, billed);
    }
    await addToRun(tx, context.runId!, { customers: customers.length, charges: won.length, invoices: drafts.length });
  }
  const invoices = summaries.map(({ id, ...summary }) => ({ ...summary, invoiceId: dryRun ? null : id, charges: chargesOf.get(id)! }));
  return { customers: customers.length, lastCustomerId: customers.at(-1)!.id, invoices, skipped };
}

/** Charges a customer can be invoiced for now, and the rest with the reason. */
function sortOut(due: Charge[], customers: Map<string, { currency: string; archived: boolean }>): { billable: Charge[]; skipped: SkippedCharge[] } {
  const billable: Charge[] = [];
  const skipped: SkippedCharge[] = [];
  const seen = new Set<string>();
  for (const charge of due) {
    const customer = customers.get(charge.customerId);
    assert(customer, `charge ${keyOf(charge)} is for a customer of the batch`);
    assert(!seen.has(keyOf(charge)), `charge ${keyOf(charge)} is due once`);
    seen.add(keyOf(charge));
    const reason = customer.archived ? 'customer_archived' : customer.currency !== charge.currency ? 'currency_mismatch' : null;
    if (reason === null) billable.push(charge);
    else skipped.push({ contractType: charge.contractType, contractId: charge.contractId, periodStart: charge.periodStart, periodEnd: charge.periodEnd, customerId: charge.customerId, reason });
  }
  return { billable, skipped };
}

/** One invoice id per customer and currency; its charges in date order. */
function groupByCustomerAndCurrency(charges: Charge[]): Map<string, Array<Charge & { invoiceId: string }>> {
  const idOf = new Map<string, string>();
  const groups = new Map<string, Array<Charge & { invoiceId: string }>>();
  const ordered = [...charges].sort((a, b) => a.periodStart.localeCompare(b.periodStart) || a.contractId.localeCompare(b.contractId) || a.contractType.localeCompare(b.contractType));
  for (const charge of ordered) {
    const key = `${charge.customerId}|${charge.currency}`;
    let invoiceId = idOf.get(key);
    if (!invoiceId) {
      idOf.set(key, (invoiceId = newId('inv')));
      groups.set(invoiceId, []);
    }
    groups.get(invoiceId)!.push({ ...charge, invoiceId });
  }
  return groups;
}
