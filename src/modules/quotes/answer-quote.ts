import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool, type Queryable } from '../../shared/db.ts';
import { conflict, DomainError, invalid } from '../../shared/errors.ts';
import { getOrganization } from '../access/index.ts';
import { findCustomer } from '../customers/index.ts';
import { todayFor } from '../invoicing/index.ts';
import type { Quote } from './quote.ts';
import { hashLinkToken } from './quote-link.ts';
import { findQuote, findQuoteByTokenHash, markAccepted, markDeclined } from './quote-store.ts';

// What the customer does through the link: no sign-in, the token is the only credential, so
// every answer says nothing about quotes the token does not open.

export type PublicQuote = Quote & { organizationName: string; customerName: string };

async function quoteOfToken(db: Queryable, clock: Clock, token: string, opts: { lock?: boolean } = {}): Promise<Quote & { organizationId: string }> {
  const hash = hashLinkToken(token);
  const found = hash ? await findQuoteByTokenHash(db, hash) : null;
  if (!found) throw new DomainError('not_found', 'quote_not_found', 'This quote link is not valid; ask the sender for a new one.');
  const today = await todayFor(db, found.organizationId, clock);
  return { ...(await findQuote(db, found.organizationId, found.id, today, opts)), organizationId: found.organizationId };
}

export async function getPublicQuote(db: Queryable, clock: Clock, token: string): Promise<PublicQuote> {
  const { organizationId, ...quote } = await quoteOfToken(db, clock, token);
  const [organization, customer] = await Promise.all([getOrganization(db, organizationId), findCustomer(db, organizationId, quote.customerId)]);
  return { ...quote, organizationName: organization.legalName, customerName: customer.name };
}

/** Only a sent quote, still valid, can be answered, and only once. */
function assertAnswerable(quote: Quote): void {
  if (quote.status === 'accepted' || quote.status === 'converted') {
    throw conflict('quote_already_accepted', `Quote ${quote.number} was already accepted by ${quote.acceptedByName}.`);
  }
  if (quote.status === 'declined') throw conflict('quote_already_declined', `Quote ${quote.number} was already declined.`);
  if (quote.status === 'expired') throw conflict('quote_expired', `Quote ${quote.number} was valid until ${quote.validUntil}; ask for a new one.`);
}

export async function acceptQuote(pool: Pool, clock: Clock, token: string, input: { name: string }): Promise<PublicQuote> {
  const name = input.name.trim();
  if (!name) throw invalid('name', 'must not be empty');
  await inTransaction(pool, async (tx) => {
    const quote = await quoteOfToken(tx, clock, token, { lock: true });
    assertAnswerable(quote);
    await markAccepted(tx, quote.id, name, clock.now());
  });
  return getPublicQuote(pool, clock, token);
}

export async function declineQuote(pool: Pool, clock: Clock, token: string, input: { reason?: string | null }): Promise<PublicQuote> {
  const reason = input.reason?.trim() || null;
  await inTransaction(pool, async (tx) => {
    const quote = await quoteOfToken(tx, clock, token, { lock: true });
    assertAnswerable(quote);
    await markDeclined(tx, quote.id, reason, clock.now());
  });
  return getPublicQuote(pool, clock, token);
}
