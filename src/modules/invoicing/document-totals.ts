import { decimal } from '../../shared/decimal.ts';
import type { RoundingMode } from '../../shared/decimal.ts';
import { computeInvoiceTotals, type InvoiceTotals } from './invoice-totals.ts';
import type { PriceMode, TaxBreakdownLine, TaxSnapshot } from './invoice.ts';

export type PricedLine = { quantity: string; unitPrice: string; discountPercent: string; taxes: TaxSnapshot[] };

export type DocumentTotals = Omit<InvoiceTotals, 'taxBreakdown'> & { taxBreakdown: TaxBreakdownLine[] };

/** Totals of an invoice or credit note from its stored lines: one rule for both, in invoice-totals. */
export function computeDocumentTotals(
  document: { currency: string; priceMode: PriceMode; discountPercent: string; rounding: RoundingMode; prepaidMinor?: bigint },
  lines: PricedLine[],
): DocumentTotals {
  const snapshots = new Map(lines.flatMap((line) => line.taxes.map((tax) => [tax.id, tax] as const)));
  const totals = computeInvoiceTotals({
    currency: document.currency,
    priceMode: document.priceMode,
    discountPercent: decimal(document.discountPercent),
    rounding: document.rounding,
    prepaidMinor: document.prepaidMinor ?? 0n,
    lines: lines.map((line) => ({
      quantity: decimal(line.quantity),
      unitPrice: decimal(line.unitPrice),
      discountPercent: decimal(line.discountPercent),
      taxes: line.taxes.map((tax) => ({ ...tax, percentage: decimal(tax.percentage) })),
    })),
  });
  return {
    ...totals,
    taxBreakdown: totals.taxBreakdown.map((entry) => {
      const snapshot = snapshots.get(entry.taxId)!;
      return {
        taxRateId: entry.taxId, name: snapshot.name, category: snapshot.category, percentage: snapshot.percentage,
        exemptionReason: snapshot.exemptionReason, compound: snapshot.compound,
        taxableMinor: entry.taxableMinor, taxMinor: entry.taxMinor,
      };
    }),
  };
}
