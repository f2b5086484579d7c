import { useQuery } from '@tanstack/react-query';
import { get } from './client.ts';
import { useItems } from './queries.ts';
import type { Item } from './types.ts';

// Stock of tracked items (src/http/routes/catalog.ts). Quantities are decimal strings: shown with
// Intl (exact for strings) and summed with lib/decimal.ts, never parsed into floats.

export type StockItem = Item & { trackStock: boolean; quantityOnHand: string; lowStockThreshold: string | null };

export type LowStock = { itemId: string; name: string; unit: string; quantityOnHand: string; lowStockThreshold: string | null };

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
