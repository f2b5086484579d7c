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
import { decimal, negate, toDecimalString, type RoundingMode } from '../../shared/decimal.ts';
import { assert, DomainError, invalid } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { getOrganization } from '../access/index.ts';
import { countCustomers, customerBatch, type InvoiceGrouping } from '../customers/index.ts';
import {
  createCreditNoteIn, draftSummary, insertPreparedDrafts, issueInvoice, prepareDraftsFromLines, todayFor, type DraftFromLines, type DraftSummary,
  type PreparedDraft,
} from '../invoicing/index.ts';
import { subscriptionChargeSource } from '../subscriptions/index.ts';
import { CONTRACT_CHARGE_SOURCES } from '../contracts/index.ts';
import { linkWorkToLines, unbilledWorkLinesOf, type LimitWarning, type WorkLine } from '../work/index.ts';
import { addToRun, claimCharges, claimedKeys, detachClaims, finishRun, insertRun, keyOf, lastIssuedInvoiceOf, releaseClaims } from './billing-store.ts';
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

export type SkippedCharge = ChargeKey & { customerId: string; reason: 'customer_archived' | 'currency_mismatch' | 'net_credit' };

export type BillingRunResult = BillingProgress & {
  runId: string | null;
  date: IsoDate;
  dryRun: boolean;
  invoices: BilledInvoice[];
  /** Due charges that cannot be billed as things are; they stay due, and the next run tries again. */
  skipped: SkippedCharge[];
  /** Net credits of contracts that ended with them, credited on the contract's last issued invoice (in a dry run: would be). */
  credits: CreditedCharges[];
  /** Unbilled work a charge would have carried but that takes its project past a not-to-exceed amount: left for a person to bill. */
  heldWork: HeldWork[];
  /** With `issue`: how many of the drafts were issued, and why the others were not. */
  issued: number;
  issueFailures: IssueFailure[];
};

export type IssueFailure = { invoiceId: string; code: string; message: string };

export type HeldWork = LimitWarning & { customerId: string };

export type CreditedCharges = { customerId: string; currency: string; invoiceId: string; creditNoteId: string | null; totalMinor: bigint; charges: ChargeKey[] };

type RunContext = { clock: Clock; organizationId: string; date: IsoDate; dryRun: boolean; runId: string | null; rounding: RoundingMode; sources: readonly ChargeSource[]; batchSize: number };

export async function runBilling(pool: Pool, clock: Clock, organizationId: string, options: BillingRunOptions): Promise<BillingRunResult> {
  const today = await todayFor(pool, organizationId, clock);
  const date = options.date === undefined ? today : parseIsoDate(options.date, 'date');
  // Billing ahead of time would bill periods whose changes may still come.
  if (date > today) throw invalid('date', `must not be after today (${today} in the organization's time zone)`, 'billing_date_in_future');
  const dryRun = options.dryRun ?? false;
  const context: RunContext = {
    clock, organizationId, date, dryRun, runId: dryRun ? null : await insertRun(pool, organizationId, date),
    rounding: (await getOrganization(pool, organizationId)).roundingMode, sources: options.sources ?? CHARGE_SOURCES, batchSize: options.batchSize ?? 500,
  };
  const result: BillingRunResult = {
    runId: context.runId, date, dryRun, invoices: [], skipped: [], credits: [], heldWork: [], issued: 0, issueFailures: [],
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
    result.heldWork.push(...batch.heldWork);
    result.credits.push(...batch.credits);
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

type Batch = { customers: number; lastCustomerId: string | null; invoices: BilledInvoice[]; skipped: SkippedCharge[]; credits: CreditedCharges[]; heldWork: HeldWork[] };
type BatchCustomer = { id: string; currency: string; archived: boolean; invoiceGrouping: InvoiceGrouping };

async function billBatch(tx: Tx, context: RunContext, after: string | null): Promise<Batch> {
  const { organizationId, date, dryRun } = context;
  if (dryRun) await tx.query('set transaction read only');
  const customers = await customerBatch(tx, organizationId, after, context.batchSize);
  if (customers.length === 0) return { customers: 0, lastCustomerId: null, invoices: [], skipped: [], credits: [], heldWork: [] };
  const page = { customerIds: customers.map((customer) => customer.id), lock: !dryRun };
  const due: Charge[] = [];
  for (const source of context.sources) due.push(...(await source.dueCharges(tx, organizationId, date, page)));

  const { billable, skipped } = sortOut(due, new Map(customers.map((customer) => [customer.id, customer])));
  const groups = groupCharges(billable, new Map(customers.map((customer) => [customer.id, customer])));
  const candidates = [...groups.values()].flat();
  const isWon = await claim(tx, context, candidates);
  // Charges that opted in carry their customer's unbilled work: fetched once for the page.
  const wonGroups = [...groups].map(([invoiceId, charges]) => [invoiceId, charges.filter(isWon)] as const).filter(([, charges]) => charges.length > 0);
  const workCustomers = [...new Set(wonGroups.flatMap(([, charges]) => charges.filter((c) => c.includeUnbilledWork).map((c) => c.customerId)))];
  const work: Map<string, CustomerWork> = workCustomers.length === 0 ? new Map() : await unbilledWorkLinesOf(tx, organizationId, { customerIds: workCustomers, upTo: date, lock: !dryRun });
  const { drafts, chargesOf, workOf, heldWorkOf } = assembleDrafts(wonGroups, work);
  // No invoice goes below zero. A net credit (a downgrade's credit with no charge left to reduce,
  // say) stays due, unclaimed, and reduces the customer's next invoice instead; when its contracts
  // end with it, nothing will follow, so it is credited on their last issued invoice.
  const prepared = await prepareDraftsFromLines(tx, organizationId, context.rounding, drafts);
  const kept = prepared.filter((draft) => draft.header.totalMinor >= 0n);
  const credits: Array<CreditedCharges & { draftId: string }> = [];
  const held: Charge[] = [];
  for (const draft of prepared.filter((d) => d.header.totalMinor < 0n)) {
    const charges = chargesOf.get(draft.header.id)!;
    // A draft carrying work waits too: its work is billed by linking it to lines, which a credit note has not.
    const credited = workOf.get(draft.header.id)!.length === 0 ? await creditOnLastInvoice(tx, context, draft, charges) : null;
    if (credited) credits.push(credited);
    else held.push(...charges);
  }
  skipped.push(...held.map((charge) => skippedCharge(charge, 'net_credit')));
  const summaries = dryRun ? kept.map(draftSummary) : await insertPreparedDrafts(tx, organizationId, kept);
  const heldWork = kept.flatMap((draft) => heldWorkOf.get(draft.header.id) ?? []);
  if (!dryRun) {
    const creditedCharges = credits.flatMap((credit) => chargesOf.get(credit.draftId)!);
    const billed = [...kept.flatMap((draft) => chargesOf.get(draft.header.id)!), ...creditedCharges];
    if (held.length > 0) await releaseClaims(tx, context.runId!, held);
    if (creditedCharges.length > 0) await detachClaims(tx, context.runId!, creditedCharges);
    await linkWorkToLines(tx, organizationId, kept.flatMap((draft) => workOf.get(draft.header.id)!));
    for (const source of context.sources) {
      const mine = billed.filter((charge) => source.contractTypes.includes(charge.contractType));
      if (mine.length > 0) await source.markBilled(tx, organizationId, mine);
    }
    await addToRun(tx, context.runId!, { customers: customers.length, charges: billed.length, invoices: kept.length });
  }
  const invoices = summaries.map(({ id, ...summary }) => ({
    ...summary, invoiceId: dryRun ? null : id,
    charges: chargesOf.get(id)!.map(({ contractType, contractId, periodStart, periodEnd }) => ({ contractType, contractId, periodStart, periodEnd })),
  }));
  return { customers: customers.length, lastCustomerId: customers.at(-1)!.id, invoices, skipped, credits: credits.map(({ draftId: _, ...credit }) => credit), heldWork };
}

/**
 * Credits a net credit on the last issued invoice of its contracts, when they all end with it:
 * a credit note (in the run's transaction) whose lines are the draft's, turned around. Null, and
 * the credit waits, when a contract goes on, no issued invoice is there, or that invoice cannot
 * take the credit (taxes it does not have, less left to credit).
 */
async function creditOnLastInvoice(
  tx: Tx, context: RunContext, draft: PreparedDraft, charges: Array<Charge & { invoiceId: string }>,
): Promise<(CreditedCharges & { draftId: string }) | null> {
  if (!charges.every((charge) => charge.final)) return null;
  const { customerId, currency } = draft.header;
  const invoiceId = await lastIssuedInvoiceOf(tx, context.organizationId, { customerId, currency, contractIds: charges.map((c) => c.invoiceGroup ?? c.contractId) });
  if (invoiceId === null) return null;
  const keys = charges.map(({ contractType, contractId, periodStart, periodEnd }) => ({ contractType, contractId, periodStart, periodEnd }));
  const credit = { draftId: draft.header.id, customerId, currency, invoiceId, totalMinor: -draft.header.totalMinor, charges: keys };
  if (context.dryRun) return { ...credit, creditNoteId: null };
  await tx.query('savepoint net_credit');
  try {
    const note = await createCreditNoteIn(tx, context.clock, context.organizationId, {
      invoiceId, reason: 'Net credit of the billing run: the contract ended with it',
      lines: draft.lines.map((line) => ({
        description: line.description, quantity: toDecimalString(negate(decimal(line.quantity))), unitPrice: line.unitPrice,
        taxRateIds: line.taxes.map((tax) => tax.id),
      })),
    });
    await tx.query('release savepoint net_credit');
    return { ...credit, creditNoteId: note.id };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    await tx.query('rollback to savepoint net_credit');
    return null;
  }
}

/** A dry run leaves out what is billed; a real run claims, and bills only the claims it won. */
async function claim(tx: Tx, context: RunContext, candidates: Array<Charge & { invoiceId: string }>): Promise<(charge: Charge) => boolean> {
  if (context.dryRun) {
    const billed = await claimedKeys(tx, candidates);
    return (charge) => !billed.has(keyOf(charge));
  }
  const claimed = await claimCharges(tx, context.organizationId, context.runId!, candidates);
  return (charge) => claimed.has(keyOf(charge));
}

type CustomerWork = { currency: string; lines: WorkLine[]; held: LimitWarning[] };

/**
 * One draft per group of won charges. A charge that opted in brings its customer's unbilled work
 * (up to the run date, in the customer's currency) onto its invoice, the first such invoice of
 * the customer; the work is linked to its lines after they are written, so it is billed once.
 */
function assembleDrafts(groups: ReadonlyArray<readonly [string, Array<Charge & { invoiceId: string }>]>, work: Map<string, CustomerWork>) {
  const drafts: DraftFromLines[] = [];
  const chargesOf = new Map<string, Array<Charge & { invoiceId: string }>>();
  const workOf = new Map<string, WorkLine[]>();
  const heldWorkOf = new Map<string, HeldWork[]>();
  const unclaimedWork = new Map(work);
  for (const [invoiceId, charges] of groups) {
    const { customerId, currency } = charges[0]!;
    const customerWork = charges.some((charge) => charge.includeUnbilledWork) ? unclaimedWork.get(customerId) : undefined;
    const taken = customerWork?.currency === currency ? customerWork : null;
    if (taken) {
      unclaimedWork.delete(customerId);
      heldWorkOf.set(invoiceId, taken.held.map((warning) => ({ ...warning, customerId })));
    }
    const workLines = taken?.lines ?? [];
    const lines = [
      ...charges.flatMap((charge) => charge.lines),
      ...workLines.map((line) => ({
        id: line.lineId, itemId: null, description: line.description, quantity: line.quantity, unit: line.unit, unitPrice: line.unitPrice,
        taxRateIds: line.taxRateIds, serviceStart: line.serviceStart, serviceEnd: line.serviceEnd,
      })),
    ];
    drafts.push({ id: invoiceId, customerId, currency, lines });
    chargesOf.set(invoiceId, charges);
    workOf.set(invoiceId, workLines);
  }
  return { drafts, chargesOf, workOf, heldWorkOf };
}

function skippedCharge(charge: Charge, reason: SkippedCharge['reason']): SkippedCharge {
  const { contractType, contractId, periodStart, periodEnd, customerId } = charge;
  return { contractType, contractId, periodStart, periodEnd, customerId, reason };
}

/** Charges a customer can be invoiced for now, and the rest with the reason. */
function sortOut(due: Charge[], customers: Map<string, BatchCustomer>): { billable: Charge[]; skipped: SkippedCharge[] } {
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
    else skipped.push(skippedCharge(charge, reason));
  }
  return { billable, skipped };
}

/** One invoice id per customer and currency (and contract, for customers who want that); its charges in date order. */
function groupCharges(charges: Charge[], customers: Map<string, BatchCustomer>): Map<string, Array<Charge & { invoiceId: string }>> {
  const idOf = new Map<string, string>();
  const groups = new Map<string, Array<Charge & { invoiceId: string }>>();
  const ordered = [...charges].sort((a, b) => a.periodStart.localeCompare(b.periodStart) || a.contractId.localeCompare(b.contractId) || a.contractType.localeCompare(b.contractType));
  for (const charge of ordered) {
    const own = charge.separateInvoice ? `|${keyOf(charge)}` : '';
    const perContract = customers.get(charge.customerId)!.invoiceGrouping === 'per_contract';
    const key = `${charge.customerId}|${charge.currency}${perContract ? `|${charge.invoiceGroup ?? `${charge.contractType}|${charge.contractId}`}` : ''}${own}`;
    let invoiceId = idOf.get(key);
    if (!invoiceId) {
      idOf.set(key, (invoiceId = newId('inv')));
      groups.set(invoiceId, []);
    }
    groups.get(invoiceId)!.push({ ...charge, invoiceId });
  }
  return groups;
}
