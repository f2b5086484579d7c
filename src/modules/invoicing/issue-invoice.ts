import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool } from '../../shared/db.ts';
import { conflict, invalid } from '../../shared/errors.ts';
import { moveStock } from '../catalog/index.ts';
import { postJournalEntry, reverseEntriesOf } from '../ledger/index.ts';
import { dueDateFor, findCustomer } from '../customers/index.ts';
import { assertApproved } from './approvals.ts';
import { deriveStatus, stockChanges, type Invoice } from './invoice.ts';
import { findInvoice, markIssued, markVoid } from './invoice-store.ts';
import { takeNextNumber } from './number-series-store.ts';
import { invoicePosting } from './postings.ts';
import { todayFor } from './today.ts';

/**
 * Issuing freezes a draft: the next gapless number of the series, issue and due dates, a
 * snapshot of the customer, and the receivable posted, all in one transaction.
 */
export async function issueInvoice(pool: Pool, clock: Clock, organizationId: string, id: string): Promise<Invoice> {
  return inTransaction(pool, async (tx) => {
    const today = await todayFor(tx, organizationId, clock);
    const invoice = await findInvoice(tx, organizationId, id, today, { lock: true });
    if (invoice.state !== 'draft') throw conflict('invoice_already_issued', `Invoice ${invoice.number} is already ${invoice.state === 'void' ? 'void' : 'issued'}.`);
    if (invoice.lines.length === 0) throw invalid('lines', 'an invoice needs at least one line before it can be issued', 'invoice_has_no_lines');
    if (invoice.totalMinor < 0n) throw invalid('total', 'must not be negative; issue a credit note to give money back', 'negative_total');
    const customer = await findCustomer(tx, organizationId, invoice.customerId);
    if (customer.archivedAt) throw conflict('customer_archived', `Customer ${customer.name} is archived.`);
    await assertApproved(tx, organizationId, invoice);
    const { name, legalName, email, taxId, legalId, address, taxTreatment } = customer;
    const fields = {
      issueDate: today, dueDate: dueDateFor(customer, today), issuedAt: clock.now().toISOString(),
      customerSnapshot: { name, legalName, email, taxId, legalId, address, taxTreatment },
    };
    await moveStock(tx, organizationId, stockChanges(invoice.lines, -1n), { reason: 'invoice_issued', sourceId: id });
    // The counter row stays locked until commit, so as little as possible happens after taking it.
    const number = await takeNextNumber(tx, organizationId, 'invoice', today);
    await markIssued(tx, id, { ...fields, number });
    await postJournalEntry(tx, invoicePosting(organizationId, { ...invoice, number, issueDate: today }));
    const issued = { ...invoice, ...fields, number, state: 'issued' as const };
    return { ...issued, status: deriveStatus(issued, 0n, today) };
  });
}

/** Voiding keeps the number and reverses the posting; only while nothing has settled the invoice. */
export async function voidInvoice(pool: Pool, clock: Clock, organizationId: string, id: string, reason: string | null): Promise<Invoice> {
  return inTransaction(pool, async (tx) => {
    const today = await todayFor(tx, organizationId, clock);
    const invoice = await findInvoice(tx, organizationId, id, today, { lock: true });
    if (invoice.state === 'draft') throw conflict('invoice_not_issued', 'A draft has nothing to void; delete it instead.');
    if (invoice.state === 'void') throw conflict('invoice_already_void', `Invoice ${invoice.number} is already void.`);
    if (invoice.amountPaidMinor + invoice.amountCreditedMinor > 0n) {
      throw conflict('invoice_has_settlements', `Invoice ${invoice.number} has payments or credit notes; issue a credit note instead.`);
    }
    await reverseEntriesOf(tx, organizationId, { type: 'invoice', id }, today, `Void invoice ${invoice.number}`);
    await moveStock(tx, organizationId, stockChanges(invoice.lines, 1n), { reason: 'invoice_voided', sourceId: id });
    await markVoid(tx, id, reason);
    return findInvoice(tx, organizationId, id, today);
  });
}
