import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool } from '../../shared/db.ts';
import { conflict, invalid } from '../../shared/errors.ts';
import { findCustomer } from '../customers/index.ts';
import { takeNextNumber, todayFor } from '../invoicing/index.ts';
import type { Quote } from './quote.ts';
import { hashLinkToken, newLinkToken, publicUrlOf } from './quote-link.ts';
import { findQuote, markSent } from './quote-store.ts';

/**
 * Sending freezes a draft: the next number of the quote series and a fresh link for the
 * customer, in one transaction. The link is returned only here; the database keeps its hash.
 */
export async function sendQuote(pool: Pool, clock: Clock, organizationId: string, id: string): Promise<{ quote: Quote; publicUrl: string }> {
  return inTransaction(pool, async (tx) => {
    const today = await todayFor(tx, organizationId, clock);
    const quote = await findQuote(tx, organizationId, id, today, { lock: true });
    if (quote.state !== 'draft') throw conflict('quote_already_sent', `Quote ${quote.number} is already sent.`);
    if (quote.lines.length === 0) throw invalid('lines', 'a quote needs at least one line before it can be sent', 'quote_has_no_lines');
    if (quote.totalMinor < 0n) throw invalid('total', 'must not be negative', 'negative_total');
    if (quote.validUntil !== null && quote.validUntil < today) {
      throw invalid('validUntil', `is before today (${today}); the customer could not accept it`, 'quote_valid_until_past');
    }
    const customer = await findCustomer(tx, organizationId, quote.customerId);
    if (customer.archivedAt) throw conflict('customer_archived', `Customer ${customer.name} is archived.`);
    const token = newLinkToken();
    // The counter row stays locked until commit, so it is taken last.
    const number = await takeNextNumber(tx, organizationId, 'quote', today);
    await markSent(tx, id, { number, tokenHash: hashLinkToken(token)!, sentAt: clock.now() });
    return { quote: await findQuote(tx, organizationId, id, today), publicUrl: publicUrlOf(token) };
  });
}
