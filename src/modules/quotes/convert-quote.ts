import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool } from '../../shared/db.ts';
import { conflict } from '../../shared/errors.ts';
import { findCustomer } from '../customers/index.ts';
import { insertDraftInvoice, todayFor, type Invoice } from '../invoicing/index.ts';
import { findQuote, markConverted } from './quote-store.ts';

/**
 * An accepted quote becomes a draft invoice in one transaction: the same lines, tax snapshots,
 * discount and figures the customer accepted (not recomputed, so a changed catalog or rounding
 * mode cannot move them). The quote keeps the link, which also makes this happen only once.
 */
export async function convertQuote(pool: Pool, clock: Clock, organizationId: string, id: string): Promise<Invoice> {
  return inTransaction(pool, async (tx) => {
    const quote = await findQuote(tx, organizationId, id, await todayFor(tx, organizationId, clock), { lock: true });
    if (quote.status === 'converted') {
      throw conflict('quote_already_converted', `Quote ${quote.number} is already invoiced (${quote.convertedInvoiceId}).`);
    }
    if (quote.status !== 'accepted') throw conflict('quote_not_accepted', `Only an accepted quote can be invoiced; this one is ${quote.status}.`);
    const customer = await findCustomer(tx, organizationId, quote.customerId);
    if (customer.archivedAt) throw conflict('customer_archived', `Customer ${customer.name} is archived.`);
    const { customerId, currency, priceMode, discountPercent, subtotalMinor, discountTotalMinor, taxTotalMinor, totalMinor, taxBreakdown } = quote;
    const invoice = await insertDraftInvoice(tx, clock, organizationId, {
      customerId, currency, priceMode, discountPercent, subtotalMinor, discountTotalMinor, taxTotalMinor, totalMinor, taxBreakdown,
      lines: quote.lines.map(({ id: _lineId, ...line }) => line),
      reference: quote.number, notes: quote.notes, terms: quote.terms, // the quote's number on the invoice: where it came from
    });
    await markConverted(tx, id, invoice.id);
    return invoice;
  });
}
