import type { Posting, PostingLine } from '../ledger/index.ts';
import type { TaxBreakdownLine } from './invoice.ts';

type Totals = { subtotalMinor: bigint; discountTotalMinor: bigint; taxBreakdown: TaxBreakdownLine[] };

/** Revenue, discounts and tax of a document, as credits (an invoice) or debits (a credit note, sign -1). */
function salesLines(totals: Totals, currency: string, sign: 1n | -1n): PostingLine[] {
  return [
    { account: 'revenue', currency, amountMinor: -sign * totals.subtotalMinor },
    { account: 'sales_discounts', currency, amountMinor: sign * totals.discountTotalMinor },
    ...totals.taxBreakdown.map((tax) => ({
      account: 'tax_payable' as const, currency, amountMinor: -sign * tax.taxMinor, memo: `${tax.name} ${tax.percentage}%`,
    })),
  ];
}

export function invoicePosting(
  organizationId: string,
  invoice: Totals & { id: string; number: string; customerId: string; currency: string; totalMinor: bigint; issueDate: string },
): Posting {
  return {
    organizationId, date: invoice.issueDate, description: `Invoice ${invoice.number}`, sourceType: 'invoice', sourceId: invoice.id,
    lines: [
      { account: 'receivable', customerId: invoice.customerId, currency: invoice.currency, amountMinor: invoice.totalMinor },
      ...salesLines(invoice, invoice.currency, 1n),
    ],
  };
}

export function creditNotePosting(
  organizationId: string,
  note: Totals & { id: string; number: string; customerId: string; currency: string; issueDate: string; appliedMinor: bigint; creditedMinor: bigint },
): Posting {
  return {
    organizationId, date: note.issueDate, description: `Credit note ${note.number}`, sourceType: 'credit_note', sourceId: note.id,
    lines: [
      ...salesLines(note, note.currency, -1n),
      { account: 'receivable', customerId: note.customerId, currency: note.currency, amountMinor: -note.appliedMinor },
      { account: 'customer_credit', customerId: note.customerId, currency: note.currency, amountMinor: -note.creditedMinor },
    ],
  };
}
