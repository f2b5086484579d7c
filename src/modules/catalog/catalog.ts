import { inTransaction, type Pool, type Queryable } from '../../shared/db.ts';
import { conflict, invalid, notFound } from '../../shared/errors.ts';
import { parseDecimal, toDecimalString } from '../../shared/decimal.ts';
import {
  archiveTaxRateRow, findItem, findTaxRates, insertItem, insertTaxRate, listItemRows, listTaxRateRows, updateItemRow,
  type Item, type ItemInput,
} from './catalog-store.ts';
import { assertAdjustment, lowStockItems, moveStock, stockMovementRows, type StockLevel, type StockMovement } from './stock.ts';
import { validateTaxRate, type TaxRate, type TaxRateInput } from './tax-rate.ts';

export async function createTaxRate(pool: Pool, organizationId: string, input: TaxRateInput): Promise<TaxRate> {
  const { percentage } = validateTaxRate(input);
  return inTransaction(pool, (tx) => insertTaxRate(tx, organizationId, input, toDecimalString(percentage)));
}

export function listTaxRates(db: Queryable, organizationId: string, includeArchived = false): Promise<TaxRate[]> {
  return listTaxRateRows(db, organizationId, includeArchived);
}

export function archiveTaxRate(pool: Pool, organizationId: string, id: string): Promise<TaxRate> {
  return inTransaction(pool, (tx) => archiveTaxRateRow(tx, organizationId, id));
}

async function validateItem(db: Queryable, organizationId: string, input: Partial<ItemInput>): Promise<Partial<ItemInput>> {
  if (input.name !== undefined && !input.name.trim()) throw invalid('name', 'must not be empty');
  const unitPrice = input.unitPrice === undefined ? undefined : toDecimalString(parseDecimal(input.unitPrice, 'unitPrice', { maxScale: 6 }));
  if (input.lowStockThreshold != null) {
    input = { ...input, lowStockThreshold: toDecimalString(parseDecimal(input.lowStockThreshold, 'lowStockThreshold', { maxScale: 6, maxIntegerDigits: 12, allowNegative: false })) };
  }
  if (input.taxRateIds) await findTaxRates(db, organizationId, input.taxRateIds, 'taxRateIds');
  return { ...input, ...(unitPrice === undefined ? {} : { unitPrice }) };
}

export async function createItem(pool: Pool, organizationId: string, input: ItemInput): Promise<Item> {
  const valid = await validateItem(pool, organizationId, input);
  return inTransaction(pool, (tx) => insertItem(tx, organizationId, { ...input, ...valid }));
}

export async function updateItem(pool: Pool, organizationId: string, id: string, input: Partial<ItemInput>): Promise<Item> {
  const valid = await validateItem(pool, organizationId, input);
  return inTransaction(pool, (tx) => updateItemRow(tx, organizationId, id, valid));
}

export function listItems(db: Queryable, organizationId: string, search?: string): Promise<Item[]> {
  return listItemRows(db, organizationId, search);
}

/** A manual stock correction (a delivery, a count, a loss); recorded as a movement like any other. */
export async function adjustStock(pool: Pool, organizationId: string, itemId: string, input: { quantity: string; note?: string | null }): Promise<Item> {
  const quantity = parseDecimal(input.quantity, 'quantity', { maxScale: 6, maxIntegerDigits: 12 });
  assertAdjustment(quantity, 'quantity');
  return inTransaction(pool, async (tx) => {
    const item = await findItem(tx, organizationId, itemId, 'itemId').catch(() => { throw notFound('item', itemId); });
    if (!item.trackStock) throw conflict('stock_not_tracked', `${item.name} does not track stock; set trackStock first.`);
    await moveStock(tx, organizationId, [{ itemId, quantityChange: quantity, field: 'quantity' }], { reason: 'adjustment', sourceId: null, note: input.note ?? null });
    return findItem(tx, organizationId, itemId);
  });
}

export function listLowStock(db: Queryable, organizationId: string): Promise<StockLevel[]> {
  return lowStockItems(db, organizationId);
}

export async function listStockMovements(db: Queryable, organizationId: string, itemId: string, limit: number): Promise<StockMovement[]> {
  await findItem(db, organizationId, itemId).catch(() => { throw notFound('item', itemId); });
  return stockMovementRows(db, organizationId, itemId, limit);
}
