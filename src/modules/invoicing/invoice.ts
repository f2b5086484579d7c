import type { StockChange, TaxCategory, TaxRate } from '../catalog/index.ts';
import { decimal, multiply } from '../../shared/decimal.ts';

/** A tax rate as it was when the line was written: issued documents never change with the catalog. */
export type TaxSnapshot = Omit<TaxRate, 'archivedAt'>;

/** What invoice and credit-note lines have in common. */
export type DocumentLine = {
  id: string;
  position: number;
  description: string;
  quantity: string;
  unit: string | null;
  unitPrice: string;
  discountPercent: string;
  taxes: TaxSnapshot[];
  amountMinor: bigint;
  discountMinor: bigint;
  netMinor: bigint;
};

export type InvoiceLine = DocumentLine & { itemId: string | null; serviceStart: string | null; serviceEnd: string | null };

export type TaxBreakdownLine = {
  taxRateId: string;
  name: string;
  category: TaxCategory;
  percentage: string;
  exemptionReason: string | null;
  compound: boolean;
  taxableMinor: bigint;
  taxMinor: bigint;
};

export type InvoiceState = 'draft' | 'issued' | 'void';
export type InvoiceStatus = 'draft' | 'open' | 'partially_paid' | 'paid' | 'overdue' | 'void';
export const INVOICE_STATUSES = ['draft', 'open', 'partially_paid', 'paid', 'overdue', 'void'] as const satisfies readonly InvoiceStatus[];
export type PriceMode = 'exclusive' | 'inclusive';

export type Invoice = {
  id: string;
  customerId: string;
  state: InvoiceState;
  status: InvoiceStatus;
  number: string | null;
  currency: string;
  priceMode: PriceMode;
  discountPercent: string;
  issueDate: string | null;
  dueDate: string | null;
  purchaseOrder: string | null;
  reference: string | null;
  notes: string | null;
  terms: string | null;
  lines: InvoiceLine[];
  subtotalMinor: bigint;
  discountTotalMinor: bigint;
  taxTotalMinor: bigint;
  totalMinor: bigint;
  taxBreakdown: TaxBreakdownLine[];
  amountPaidMinor: bigint;
  amountCreditedMinor: bigint;
  amountDueMinor: bigint;
  customerSnapshot: Record<string, unknown> | null;
  voidReason: string | null;
  createdAt: string;
  issuedAt: string | null;
  voidedAt: string | null;
};

/**
 * Status is derived, never stored: from the lifecycle state, what has settled the invoice
 * (payments, credit notes, applied credit) and whether the due date has passed today.
 */
export function deriveStatus(
  invoice: { state: InvoiceState; totalMinor: bigint; dueDate: string | null },
  settledMinor: bigint,
  today: string,
): InvoiceStatus {
  if (invoice.state !== 'issued') return invoice.state;
  if (settledMinor >= invoice.totalMinor) return 'paid';
  if (invoice.dueDate !== null && invoice.dueDate < today) return 'overdue';
  return settledMinor > 0n ? 'partially_paid' : 'open';
}

/** Goods leave stock when an invoice is issued (direction -1) and come back on void or credit (+1). */
export function stockChanges(lines: Array<{ itemId: string | null; quantity: string; position: number }>, direction: 1n | -1n): StockChange[] {
  return lines.flatMap((line) => line.itemId === null ? [] : [{
    itemId: line.itemId,
    quantityChange: multiply(decimal(line.quantity), { units: direction, scale: 0 }),
    field: `lines.${line.position - 1}.quantity`,
  }]);
}
