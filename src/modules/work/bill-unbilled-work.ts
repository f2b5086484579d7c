import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool } from '../../shared/db.ts';
import { assert, invalid } from '../../shared/errors.ts';
import { insertDraftInvoice, prepareDocument, type Invoice } from '../invoicing/index.ts';
import type { GroupBy } from './billing-plan.ts';
import { customerField } from './references.ts';
import { collectUnbilledWork, workFilter } from './unbilled.ts';
import { linkToLines, lockUnbilledWork } from './unbilled-store.ts';

export type BillWorkInput = { customerId: string; projectIds?: string[]; upTo?: string; groupBy?: GroupBy; taxRateIds?: string[] };

/**
 * A draft invoice from a customer's unbilled work, in one transaction: lock the work, plan its
 * lines, create the draft, and point every entry and expense at the line that bills it. Work
 * counts as billed while that invoice stands; voiding it, or deleting the draft, releases it.
 */
export async function createInvoiceFromUnbilled(pool: Pool, clock: Clock, organizationId: string, input: BillWorkInput): Promise<Invoice> {
  return inTransaction(pool, async (tx) => {
    const customer = await customerField(tx, organizationId, input.customerId);
    const filter = await workFilter(tx, organizationId, { ...input, customerId: customer.id });
    await lockUnbilledWork(tx, organizationId, filter);
    const [work] = await collectUnbilledWork(tx, organizationId, filter, input.groupBy ?? 'task');
    if (work && work.plan.unpriced.length > 0) {
      throw invalid('customerId', `no hourly rate applies to ${work.plan.unpriced.length} time entries (such as ${work.plan.unpriced[0]}); set a rate first`, 'rate_missing');
    }
    if (!work || work.plan.lines.length === 0) throw invalid('customerId', `${customer.name} has no unbilled work to invoice`, 'nothing_to_bill');
    const lines = work.plan.lines.map(({ description, quantity, unit, unitPrice, serviceStart, serviceEnd }) => ({
      description, quantity, unitPrice, serviceStart, serviceEnd, ...(unit ? { unit } : {}), ...(input.taxRateIds ? { taxRateIds: input.taxRateIds } : {}),
    }));
    const invoice = await insertDraftInvoice(tx, clock, organizationId, await prepareDocument(tx, organizationId, { customerId: customer.id, lines }));
    invoice.lines.forEach((line, index) => {
      // The plan and invoicing compute line amounts by the same rule; a difference is a bug.
      assert(line.amountMinor === work.plan.lines[index]!.amountMinor, `line ${index + 1} amount ${line.amountMinor} differs from the plan`);
    });
    await linkToLines(tx, organizationId, work.plan.lines.map((line, index) => ({ ...line, lineId: invoice.lines[index]!.id })));
    return invoice;
  });
}
