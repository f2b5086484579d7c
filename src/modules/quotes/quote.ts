import type { InvoiceLine, PriceMode, TaxBreakdownLine } from '../invoicing/index.ts';

/** What is stored: a quote is drafted, sent, then answered by the customer. */
export type QuoteState = 'draft' | 'sent' | 'accepted' | 'declined';
/** What is shown: the state, or `expired` (sent, past valid_until) or `converted` (has its invoice or project). */
export type QuoteStatus = QuoteState | 'expired' | 'converted';
export const QUOTE_STATUSES = ['draft', 'sent', 'accepted', 'declined', 'expired', 'converted'] as const satisfies readonly QuoteStatus[];

/** Quote lines are invoice lines in another table: the same fields, the same totals rule. */
export type QuoteLine = InvoiceLine;

export type Quote = {
  id: string;
  customerId: string;
  state: QuoteState;
  status: QuoteStatus;
  number: string | null;
  title: string | null;
  currency: string;
  priceMode: PriceMode;
  discountPercent: string;
  validUntil: string | null;
  notes: string | null;
  terms: string | null;
  lines: QuoteLine[];
  subtotalMinor: bigint;
  discountTotalMinor: bigint;
  taxTotalMinor: bigint;
  totalMinor: bigint;
  taxBreakdown: TaxBreakdownLine[];
  sentAt: string | null;
  acceptedByName: string | null;
  acceptedAt: string | null;
  declinedReason: string | null;
  declinedAt: string | null;
  convertedInvoiceId: string | null;
  /** The fixed-price project the quote became, when converted into one instead of an invoice. */
  convertedProjectId: string | null;
  createdAt: string;
};

/**
 * Status is derived: a sent quote expires after its valid_until day (in the organization's
 * "today"), and an accepted one is converted while its invoice exists. `STATUS_SQL` in
 * quote-store.ts is the same rule for filtering lists.
 */
export function deriveQuoteStatus(
  quote: { state: QuoteState; validUntil: string | null; convertedInvoiceId: string | null; convertedProjectId: string | null }, today: string,
): QuoteStatus {
  if (quote.convertedInvoiceId !== null || quote.convertedProjectId !== null) return 'converted';
  if (quote.state === 'sent' && quote.validUntil !== null && quote.validUntil < today) return 'expired';
  return quote.state;
}
