import type { Queryable, Tx } from '../../shared/db.ts';
import { transpose } from '../../shared/db.ts';
import { add, compare, decimal, isZero, negate, toDecimalString, ZERO, type Decimal } from '../../shared/decimal.ts';
import { conflict, invalid } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';

export type StockReason = 'invoice_issued' | 'invoice_voided' | 'credit_note' | 'adjustment';

/** A change to the stock of one item: negative when goods leave (an issued invoice). */
export type StockChange = { itemId: string; quantityChange: Decimal; field?: string };

/**
 * Applies stock changes inside the caller's transaction. Items that do not track stock are
 * ignored; tracked items are locked in id order and may not go below zero unless the
 * organization allows it. Every change is recorded as a movement.
 */
export async function moveStock(
  tx: Tx,
  organizationId: string,
  changes: StockChange[],
  movement: { reason: StockReason; sourceId: string | null; note?: string | null },
): Promise<void> {
  const byItem = new Map<string, { change: Decimal; field?: string }>();
  for (const change of changes) {
    const current = byItem.get(change.itemId);
    byItem.set(change.itemId, { change: add(current?.change ?? ZERO, change.quantityChange), field: current?.field ?? change.field });
  }
  if (byItem.size === 0) return;
  const { rows } = await tx.query(
    `select i.id, i.name, i.quantity_on_hand::text as on_hand, o.allow_negative_stock
     from items i join organizations o on o.id = i.organization_id
     where i.organization_id = $1 and i.id = any($2::text[]) and i.track_stock order by i.id for update of i`,
    [organizationId, [...byItem.keys()]],
  );
  const moves: Array<[string, string]> = [];
  for (const row of rows) {
    const { change, field } = byItem.get(row.id)!;
    if (isZero(change)) continue;
    const after = add(decimal(row.on_hand), change);
    if (compare(after, ZERO) < 0 && !row.allow_negative_stock) {
      throw conflict('insufficient_stock', `Only ${toDecimalString(decimal(row.on_hand))} of ${row.name} in stock, ${toDecimalString(negate(change))} needed.`, field);
    }
    moves.push([row.id, toDecimalString(change)]);
  }
  if (moves.length === 0) return;
  await tx.query(
    `update items i set quantity_on_hand = i.quantity_on_hand + m.change
     from unnest($1::text[], $2::numeric[]) as m(id, change) where i.id = m.id`,
    transpose(moves),
  );
  await tx.query(
    `insert into stock_movements (id, organization_id, item_id, quantity_change, reason, source_id, note)
     select id, $1, item_id, change, $5, $6, $7 from unnest($2::text[], $3::text[], $4::numeric[]) as m(id, item_id, change)`,
    [organizationId, moves.map(() => newId('stm')), ...transpose(moves), movement.reason, movement.sourceId, movement.note ?? null],
  );
}

export type StockLevel = { itemId: string; name: string; unit: string; quantityOnHand: string; lowStockThreshold: string | null };

/** Tracked items at or below their threshold (or below zero), lowest first. */
export async function lowStockItems(db: Queryable, organizationId: string): Promise<StockLevel[]> {
  const { rows } = await db.query(
    `select id, name, unit, trim_scale(quantity_on_hand)::text as on_hand, trim_scale(low_stock_threshold)::text as threshold
     from items where organization_id = $1 and track_stock and archived_at is null
       and quantity_on_hand <= coalesce(low_stock_threshold, 0)
     order by quantity_on_hand, lower(name)`,
    [organizationId],
  );
  return rows.map((row) => ({ itemId: row.id, name: row.name, unit: row.unit, quantityOnHand: row.on_hand, lowStockThreshold: row.threshold }));
}

export type StockMovement = { id: string; quantityChange: string; reason: StockReason; sourceId: string | null; note: string | null; createdAt: string };

/** An item's stock movements, newest first (at most `limit`): where its quantity on hand came from. */
export async function stockMovementRows(db: Queryable, organizationId: string, itemId: string, limit: number): Promise<StockMovement[]> {
  const { rows } = await db.query(
    `select id, trim_scale(quantity_change)::text as change, reason, source_id, note, created_at from stock_movements
     where organization_id = $1 and item_id = $2 order by created_at desc, id desc limit $3`,
    [organizationId, itemId, limit],
  );
  return rows.map((row) => ({
    id: row.id, quantityChange: row.change, reason: row.reason, sourceId: row.source_id, note: row.note, createdAt: row.created_at.toISOString(),
  }));
}

export function assertAdjustment(quantity: Decimal, field: string): void {
  if (isZero(quantity)) throw invalid(field, 'must not be zero');
}
