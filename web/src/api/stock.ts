import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { get, query } from './client.ts';
import { useItems } from './queries.ts';
import type { CreditNote, Item } from './types.ts';

// Stock of tracked items (src/http/routes/catalog.ts). Quantities are decimal strings: shown with
// Intl (exact for strings) and summed with lib/decimal.ts, never parsed into floats.

export type StockItem = Item & { trackStock: boolean; quantityOnHand: string; lowStockThreshold: string | null };

export type LowStock = { itemId: string; name: string; unit: string; quantityOnHand: string; lowStockThreshold: string | null };

export type StockReason = 'invoice_issued' | 'invoice_voided' | 'credit_note' | 'adjustment';

/** One change to an item's quantity on hand: `quantityChange` is signed (positive adds to stock). */
export type StockMovement = {
  id: string;
  quantityChange: string;
  reason: StockReason;
  /** The invoice (inv_…) or credit note (crn_…) that moved it; null for adjustments. */
  sourceId: string | null;
  note: string | null;
  createdAt: string;
};

/** The API's largest page of movements. */
export const MAX_STOCK_MOVEMENTS = 500;

/** The items list with its stock fields (the shared Item type leaves them out). */
export function useStockItems() {
  const items = useItems();
  return { ...items, data: items.data as StockItem[] | undefined };
}

/** Under ['items'] so that anything that refreshes items refreshes it too. */
export function useLowStock() {
  return useQuery({
    queryKey: ['items', 'low-stock'],
    queryFn: ({ signal }) => get<{ data: LowStock[] }>('/v1/items/low-stock', { signal }).then((r) => r.data),
  });
}

/**
 * An item's latest `limit` movements, newest first. Under ['items'] too, so an adjustment (which
 * refreshes items) refreshes the history; a larger limit keeps the shorter list on screen meanwhile.
 */
export function useStockMovements(itemId: string, limit: number) {
  return useQuery<StockMovement[]>({
    queryKey: ['items', 'stock-movements', itemId, limit],
    queryFn: ({ signal }) => get<{ data: StockMovement[] }>(`/v1/items/${encodeURIComponent(itemId)}/stock-movements${query({ limit })}`, { signal }).then((r) => r.data),
    placeholderData: keepPreviousData,
  });
}

/** A credit note, for naming the one that returned goods (credit notes have no page of their own). */
export function useCreditNote(id: string | null) {
  return useQuery({
    queryKey: ['credit-notes', 'one', id],
    queryFn: ({ signal }) => get<CreditNote>(`/v1/credit-notes/${encodeURIComponent(id!)}`, { signal }),
    enabled: Boolean(id),
    staleTime: 60_000,
  });
}
