import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool } from '../../shared/db.ts';
import { assert, invalid } from '../../shared/errors.ts';
import type { IsoDate } from '../../shared/calendar.ts';
import type { Tx } from '../../shared/db.ts';
import { newId } from '../../shared/ids.ts';
import { insertDraftInvoice, prepareDocument, type Invoice } from '../invoicing/index.ts';
import type { GroupBy, PlannedLine } from './billing-plan.ts';
import type { LimitWarning } from './limits.ts';
import { customerField } from './references.ts';
import { collectUnbilledWork, workFilter, type CustomerWork } from './unbilled.ts';
import { linkToLines, lockUnbilledWork, type WorkFilter } from './unbilled-store.ts';

export type BillWorkInput = {
  customerId: string; projectIds?: string[]; upTo?: string; groupBy?: GroupBy; taxRateIds?: string[];
  /** Bill even what takes a project past its not-to-exceed amount. */
  allowOverLimit?: boolean;
};

/**
 * A draft invoice from a customer's unbilled work, in one transaction: lock the work, plan its
 * lines, create the draft, and point every entry and expense at the line that bills it. Work
 * counts as billed while that invoice stands; voiding it, or deleting the draft, releases it.
 */
export async function createInvoiceFromUnbilled(pool: Pool, clock: Clock, organizationId: string, input: BillWorkInput): Promise<Invoice> {
  return inTransaction(pool, async (tx) => {
    const customer = await customerField(tx, organizationId, input.customerId);
    const filter = await workFilter(tx, organizationId, { ...input, customerId: customer.id });
    const work = await planCustomerWork(tx, organizationId, filter, input.groupBy ?? 'task', true);
    if (work && work.plan.unpriced.length > 0) {
      throw invalid('customerId', `no hourly rate applies to ${work.plan.unpriced.length} time entries (such as ${work.plan.unpriced[0]}); set a rate first`, 'rate_missing');
    }
    if (!work || work.plan.lines.length === 0) throw invalid('customerId', `${customer.name} has no unbilled work to invoice`, 'nothing_to_bill');
    const capped = work.warnings.find((warning) => warning.code === 'not_to_exceed_exceeded');
    if (capped && !input.allowOverLimit) throw invalid('allowOverLimit', `${capped.message}; send allowOverLimit: true to bill it anyway`, 'not_to_exceed_exceeded');
    const lines = work.plan.lines.map(({ description, quantity, unit, unitPrice, serviceStart, serviceEnd, taxRateIds }) => ({
      description, quantity, unitPrice, serviceStart, serviceEnd, ...(unit ? { unit } : {}), taxRateIds: input.taxRateIds ?? taxRateIds,
    }));
    const invoice = await insertDraftInvoice(tx, clock, organizationId, await prepareDocument(tx, organizationId, { customerId: customer.id, lines }));
    invoice.lines.forEach((line, index) => {
      // The plan and invoicing compute line amounts by the same rule; a difference is a bug.
      assert(line.amountMinor === work.plan.lines[index]!.amountMinor, `line ${index + 1} amount ${line.amountMinor} differs from the plan`);
    });
    await linkWorkToLines(tx, organizationId, work.plan.lines.map((line, index) => ({ ...line, lineId: invoice.lines[index]!.id })));
    return invoice;
  });
}

/**
 * One customer's unbilled work, priced and planned, in the caller's transaction. With `lock`, the
 * entries and expenses stay locked until it ends, so nothing else bills them meanwhile; without
 * (a read-only look, such as a dry run), they are only read.
 */
export async function planCustomerWork(tx: Tx, organizationId: string, filter: WorkFilter, groupBy: GroupBy, lock: boolean): Promise<CustomerWork | null> {
  if (lock) await lockUnbilledWork(tx, organizationId, filter);
  const [work] = await collectUnbilledWork(tx, organizationId, filter, groupBy);
  return work ?? null;
}

/** Points every entry and expense of the planned lines at the invoice line that bills it: from then on it is billed. */
export async function linkWorkToLines(tx: Tx, organizationId: string, lines: Array<PlannedLine & { lineId: string }>): Promise<void> {
  await linkToLines(tx, organizationId, lines);
}

/** A planned line with the id its invoice line will have. */
export type WorkLine = PlannedLine & { lineId: string };

/**
 * The lines that bill these customers' unbilled work up to `upTo` (inclusive), for invoices the
 * caller is about to create in its transaction: insert them with these ids, then call
 * linkWorkToLines. A handful of queries for the whole page of customers, however many there are.
 * Entries without a rate are left for later; each customer's work is in the customer's currency.
 * Work of a project it would take past its not-to-exceed amount is held back (`held`): billing
 * past a cap is a person's decision (from-unbilled with allowOverLimit), not a scheduled run's.
 */
export async function unbilledWorkLinesOf(
  tx: Tx, organizationId: string, input: { customerIds: string[]; upTo: IsoDate; lock: boolean },
): Promise<Map<string, { currency: string; lines: WorkLine[]; held: LimitWarning[] }>> {
  const filter = { customerIds: input.customerIds, projectIds: null, upTo: input.upTo };
  if (input.lock) await lockUnbilledWork(tx, organizationId, filter);
  const work = await collectUnbilledWork(tx, organizationId, filter, 'task');
  return new Map(work.map(({ customerId, currency, plan, time, expenses, warnings }) => {
    const held = warnings.filter((warning) => warning.code === 'not_to_exceed_exceeded');
    const capped = new Set(held.map((warning) => warning.projectId));
    const projectOf = new Map([...time, ...expenses].map((row) => [row.id, row.projectId]));
    // Grouped by task, every line is one project's.
    const lines = plan.lines.filter((line) => !capped.has(projectOf.get([...line.timeEntryIds, ...line.expenseIds][0]!)!));
    return [customerId, { currency, lines: lines.map((line) => ({ ...line, lineId: newId('lin') })), held }];
  }));
}
