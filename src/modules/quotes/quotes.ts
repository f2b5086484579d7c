import { parseIsoDate } from '../../shared/calendar.ts';
import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool, type Queryable, type Tx } from '../../shared/db.ts';
import { conflict } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { Page } from '../../shared/pagination.ts';
import { prepareDocument, todayFor, type DocumentInput } from '../invoicing/index.ts';
import type { Quote } from './quote.ts';
import { findQuote, insertQuote, listQuoteRows, replaceQuote, type QuoteFilter } from './quote-store.ts';

export type QuoteInput = DocumentInput & {
  title?: string | null;
  validUntil?: string | null;
  notes?: string | null;
  terms?: string | null;
};

export async function createDraftQuote(pool: Pool, clock: Clock, organizationId: string, input: QuoteInput): Promise<Quote> {
  return inTransaction(pool, async (tx) => {
    const id = newId('quo');
    const { draft, lines } = await prepareQuote(tx, organizationId, id, input);
    await insertQuote(tx, organizationId, draft, lines);
    return findQuote(tx, organizationId, id, await todayFor(tx, organizationId, clock));
  });
}

/** Replaces a draft's content whole, like an invoice draft; a sent quote is what the customer saw. */
export async function updateDraftQuote(pool: Pool, clock: Clock, organizationId: string, id: string, input: QuoteInput): Promise<Quote> {
  return inTransaction(pool, async (tx) => {
    const today = await todayFor(tx, organizationId, clock);
    const current = await findQuote(tx, organizationId, id, today, { lock: true });
    if (current.state !== 'draft') throw conflict('quote_not_draft', `Quote ${current.number} is sent and cannot be edited; draft a new one instead.`);
    const { draft, lines } = await prepareQuote(tx, organizationId, id, input);
    await replaceQuote(tx, organizationId, draft, lines);
    return findQuote(tx, organizationId, id, today);
  });
}

export async function getQuote(db: Queryable, clock: Clock, organizationId: string, id: string): Promise<Quote> {
  return findQuote(db, organizationId, id, await todayFor(db, organizationId, clock));
}

export async function listQuotes(db: Queryable, clock: Clock, organizationId: string, filter: QuoteFilter): Promise<Page<Quote>> {
  return listQuoteRows(db, organizationId, filter, await todayFor(db, organizationId, clock));
}

/** Lines, taxes and totals exactly as an invoice draft would have them: the same function makes both. */
async function prepareQuote(tx: Tx, organizationId: string, id: string, input: QuoteInput) {
  const { lines, ...document } = await prepareDocument(tx, organizationId, input);
  const validUntil = input.validUntil == null ? null : parseIsoDate(input.validUntil, 'validUntil');
  const draft = { ...document, id, title: input.title ?? null, validUntil, notes: input.notes ?? null, terms: input.terms ?? null };
  return { draft, lines };
}
