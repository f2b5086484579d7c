export { acceptQuote, declineQuote, getPublicQuote, type PublicQuote } from './answer-quote.ts';
export { convertQuote, convertQuoteToProject } from './convert-quote.ts';
export { QUOTE_STATUSES, type Quote, type QuoteLine, type QuoteState, type QuoteStatus } from './quote.ts';
export type { QuoteFilter } from './quote-store.ts';
export { createDraftQuote, getQuote, listQuotes, updateDraftQuote, type QuoteInput } from './quotes.ts';
export { sendQuote } from './send-quote.ts';
