/**
 * Drafts from lines a program has prepared (a billing run's charges), many at once and inside the
 * caller's transaction: one catalog lookup for all their tax rates, totals by the same EN 16931
 * rule as every other draft (computeDocumentTotals), and one batched insert (insertDrafts).
 * The caller vouches for customers and currencies (active customer, the customer's currency) and
 * for the lines' decimals; this only resolves tax rates and computes.
 */
import type { IsoDate } from '../../shared/calendar.ts';
import type { RoundingMode } from '../../shared/decimal.ts';
import type { Tx } from '../../shared/db.ts';
import { assert } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { catalogEntries } from '../catalog/index.ts';
import { computeDocumentTotals } from './document-totals.ts';
import type { TaxSnapshot } from './invoice.ts';
import { insertDrafts, type InvoiceHeader, type NewLine } from './invoice-store.ts';

export type PreparedLineInput = {
  itemId: string | null;
  description: string;
  quantity: string;
  unitPrice: string;
  taxRateIds: string[];
  serviceStart: IsoDate | null;
  serviceEnd: IsoDate | null;
  /** Default: none. */
  unit?: string | null;
  /** The caller's id for the line, to refer to it in the same transaction (default: a new one). */
  id?: string;
};

export type DraftFromLines = { id: string; customerId: string; currency: string; lines: PreparedLineInput[]; reference?: string | null; notes?: string | null };

/** What a draft came to, without its lines: enough to report a run or a dry run. */
export type DraftSummary = { id: string; customerId: string; currency: string; lineCount: number; subtotalMinor: bigint; taxTotalMinor: bigint; totalMinor: bigint };

/** A draft computed and ready to insert. */
export type PreparedDraft = { header: InvoiceHeader; lines: NewLine[] };

/** Computes the drafts as they would be saved (one catalog query for all), and saves nothing. */
export async function prepareDraftsFromLines(tx: Tx, organizationId: string, rounding: RoundingMode, drafts: DraftFromLines[]): Promise<PreparedDraft[]> {
  return prepare(tx, organizationId, rounding, drafts);
}

/** Inserts prepared drafts in the caller's transaction (ids are the caller's, so it can refer to them first). */
export async function insertPreparedDrafts(tx: Tx, organizationId: string, prepared: PreparedDraft[]): Promise<DraftSummary[]> {
  if (prepared.length > 0) await insertDrafts(tx, organizationId, prepared);
  return prepared.map(draftSummary);
}

async function prepare(tx: Tx, organizationId: string, rounding: RoundingMode, drafts: DraftFromLines[]): Promise<PreparedDraft[]> {
  const { taxRates } = await catalogEntries(tx, organizationId, { items: [], taxRates: drafts.flatMap((d) => d.lines.flatMap((l) => l.taxRateIds)) });
  return drafts.map((draft) => {
    const lines = draft.lines.map((line) => ({
      id: line.id ?? newId('lin'), itemId: line.itemId, description: line.description, quantity: line.quantity, unit: line.unit ?? null, unitPrice: line.unitPrice,
      discountPercent: '0', serviceStart: line.serviceStart, serviceEnd: line.serviceEnd,
      taxes: line.taxRateIds.map((id): TaxSnapshot => {
        const rate = taxRates.get(id);
        assert(rate, `tax rate ${id} of a prepared line exists`);
        return { id: rate.id, name: rate.name, percentage: rate.percentage, category: rate.category, exemptionReason: rate.exemptionReason, compound: rate.compound };
      }),
    }));
    const totals = computeDocumentTotals({ currency: draft.currency, priceMode: 'exclusive', discountPercent: '0', rounding }, lines);
    const header: InvoiceHeader = {
      id: draft.id, customerId: draft.customerId, currency: draft.currency, priceMode: 'exclusive', discountPercent: '0',
      purchaseOrder: null, reference: draft.reference ?? null, notes: draft.notes ?? null, terms: null,
      subtotalMinor: totals.subtotalMinor, discountTotalMinor: totals.discountTotalMinor, taxTotalMinor: totals.taxTotalMinor,
      totalMinor: totals.totalMinor, taxBreakdown: totals.taxBreakdown,
    };
    return { header, lines: lines.map((line, index) => ({ ...line, position: index + 1, ...totals.lines[index]! })) };
  });
}

export function draftSummary({ header, lines }: PreparedDraft): DraftSummary {
  return {
    id: header.id, customerId: header.customerId, currency: header.currency, lineCount: lines.length,
    subtotalMinor: header.subtotalMinor, taxTotalMinor: header.taxTotalMinor, totalMinor: header.totalMinor,
  };
}
