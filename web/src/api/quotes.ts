import { useQuery } from '@tanstack/react-query';
import { get, post, query } from './client.ts';
import type { Invoice, InvoiceLine, Page } from './types.ts';
import type { Project } from './work.ts';

// The quotes API's shapes (src/http/routes/quotes.ts). Totals come from the server as decimal strings.

export type QuoteStatus = 'draft' | 'sent' | 'accepted' | 'declined' | 'expired' | 'converted';

export type Quote = {
  id: string;
  customerId: string;
  number: string | null;
  status: QuoteStatus;
  title: string | null;
  currency: string;
  priceMode: Invoice['priceMode'];
  taxBreakdown: Invoice['taxBreakdown'];
  validUntil: string | null;
  subtotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
  sentAt: string | null;
  acceptedByName: string | null;
  acceptedAt: string | null;
  declinedReason: string | null;
  declinedAt: string | null;
  lines: InvoiceLine[];
  /** Set once converted: a quote becomes either a draft invoice or a fixed-price project, never both. */
  convertedInvoiceId: string | null;
  convertedProjectId: string | null;
  createdAt: string;
};

export const QUOTE_STATUS_LABELS: Record<QuoteStatus, string> = {
  draft: 'Draft', sent: 'Sent', accepted: 'Accepted', declined: 'Declined', expired: 'Expired', converted: 'Converted',
};

export function useQuotes() {
  return useQuery({
    queryKey: ['quotes', 'list'],
    queryFn: ({ signal }) => get<Page<Quote>>(`/v1/quotes${query({ limit: 100 })}`, { signal }).then((p) => p.data),
    staleTime: 15_000,
  });
}

export function useQuote(id: string | undefined) {
  return useQuery({
    queryKey: ['quotes', 'one', id],
    queryFn: ({ signal }) => get<Quote>(`/v1/quotes/${encodeURIComponent(id!)}`, { signal }),
    enabled: Boolean(id),
  });
}

/** An accepted quote into a draft invoice with its lines and figures (once). */
export function convertQuoteToInvoice(id: string) {
  return post<Invoice>(`/v1/quotes/${encodeURIComponent(id)}/convert`);
}

/**
 * An accepted quote into a fixed-price project (once): the quote's net total and tax rates, one
 * milestone per line. Refused (409 quote_mixed_tax_rates) when the lines have different tax rates.
 */
export function convertQuoteToProject(id: string) {
  return post<Project>(`/v1/quotes/${encodeURIComponent(id)}/convert-to-project`);
}
