import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool, type Tx } from '../../shared/db.ts';
import { conflict } from '../../shared/errors.ts';
import { formatAmount } from '../../shared/money.ts';
import { MAX_ENTRY_DESCRIPTION, MAX_SCHEDULE_ENTRIES, setScheduleIn } from '../contracts/index.ts';
import { findCustomer } from '../customers/index.ts';
import { insertDraftInvoice, todayFor, type Invoice } from '../invoicing/index.ts';
import { createProjectIn, type Project } from '../work/index.ts';
import type { Quote } from './quote.ts';
import { findQuote, markConverted } from './quote-store.ts';

/** A quote line's description as a milestone's (which is shorter). */
const clip = (text: string) => (text.length <= MAX_ENTRY_DESCRIPTION ? text : `${text.slice(0, MAX_ENTRY_DESCRIPTION - 1)}…`);

/** The accepted quote, locked, that has not been converted yet (into anything). */
async function convertible(tx: Tx, clock: Clock, organizationId: string, id: string): Promise<Quote> {
  const quote = await findQuote(tx, organizationId, id, await todayFor(tx, organizationId, clock), { lock: true });
  if (quote.status === 'converted') {
    const into = quote.convertedInvoiceId ? `invoiced (${quote.convertedInvoiceId})` : `a project (${quote.convertedProjectId})`;
    throw conflict('quote_already_converted', `Quote ${quote.number} is already ${into}.`);
  }
  if (quote.status !== 'accepted') throw conflict('quote_not_accepted', `Only an accepted quote can be converted; this one is ${quote.status}.`);
  const customer = await findCustomer(tx, organizationId, quote.customerId);
  if (customer.archivedAt) throw conflict('customer_archived', `Customer ${customer.name} is archived.`);
  if (customer.currency !== quote.currency) {
    throw conflict('currency_mismatch', `Quote ${quote.number} is in ${quote.currency} but ${customer.name} is now billed in ${customer.currency}; quote again in ${customer.currency}.`);
  }
  return quote;
}

/**
 * An accepted quote becomes a draft invoice in one transaction: the same lines, tax snapshots,
 * discount and figures the customer accepted (not recomputed, so a changed catalog or rounding
 * mode cannot move them). The quote keeps the link, which also makes this happen only once.
 */
export async function convertQuote(pool: Pool, clock: Clock, organizationId: string, id: string): Promise<Invoice> {
  return inTransaction(pool, async (tx) => {
    const quote = await convertible(tx, clock, organizationId, id);
    const { customerId, currency, priceMode, discountPercent, subtotalMinor, discountTotalMinor, taxTotalMinor, totalMinor, taxBreakdown } = quote;
    const invoice = await insertDraftInvoice(tx, clock, organizationId, {
      customerId, currency, priceMode, discountPercent, subtotalMinor, discountTotalMinor, taxTotalMinor, totalMinor, taxBreakdown,
      lines: quote.lines.map(({ id: _lineId, ...line }) => line),
      reference: quote.number, notes: quote.notes, terms: quote.terms, // the quote's number on the invoice: where it came from
    });
    await markConverted(tx, id, { invoiceId: invoice.id });
    return invoice;
  });
}

/**
 * An accepted quote (a statement of work) becomes a fixed-price project in one transaction: its
 * amount is the quote's total before tax, its tax rates the quote's, and its schedule one milestone
 * per line (a single one when a document discount or tax-inclusive prices make line amounts differ
 * from the accepted net, or when there are more lines than a schedule takes). Billing then follows the schedule. The lines must share one set of tax
 * rates, since a project has one; otherwise convert into an invoice.
 */
export async function convertQuoteToProject(pool: Pool, clock: Clock, organizationId: string, id: string): Promise<Project> {
  return inTransaction(pool, async (tx) => {
    const quote = await convertible(tx, clock, organizationId, id);
    const taxSets = new Set(quote.lines.map((line) => line.taxes.map((tax) => tax.id).join(' ')));
    if (taxSets.size > 1) throw conflict('quote_mixed_tax_rates', `Quote ${quote.number} has lines with different tax rates; a project has one set. Convert it into an invoice instead.`);
    const netMinor = quote.totalMinor - quote.taxTotalMinor;
    if (netMinor <= 0n) throw conflict('quote_without_amount', `Quote ${quote.number} comes to nothing before tax; there is nothing to schedule.`);
    const name = `${quote.title ?? 'Quote'} (${quote.number})`;
    const project = await createProjectIn(tx, clock, organizationId, {
      customerId: quote.customerId, name: name.slice(0, 200), billing: { model: 'fixed', amount: formatAmount(netMinor, quote.currency) },
      taxRateIds: quote.lines[0]?.taxes.map((tax) => tax.id) ?? [],
    });
    const byLine = quote.priceMode === 'exclusive' && quote.discountTotalMinor === 0n && quote.lines.every((line) => line.netMinor > 0n)
      && quote.lines.length <= MAX_SCHEDULE_ENTRIES;
    const entries = byLine
      ? quote.lines.map((line) => ({ description: clip(line.description), amount: formatAmount(line.netMinor, quote.currency), milestone: true }))
      : [{ description: `Work as quoted in ${quote.number}`, amount: formatAmount(netMinor, quote.currency), milestone: true }];
    await setScheduleIn(tx, organizationId, project.id, { entries });
    await markConverted(tx, id, { projectId: project.id });
    return project;
  });
}
