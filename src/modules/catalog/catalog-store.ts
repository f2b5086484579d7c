import { containsPattern, type Queryable, type Tx } from '../../shared/db.ts';
import { invalid, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { TaxRate, TaxRateInput } from './tax-rate.ts';

function taxRateFromRow(row: Record<string, any>): TaxRate {
  return {
    id: row.id, name: row.name, percentage: row.percentage_text, category: row.category,
    exemptionReason: row.exemption_reason, compound: row.compound, archivedAt: row.archived_at?.toISOString() ?? null,
  };
}

// numeric keeps its declared scale ("19.0000"); trim_scale gives the canonical "19".
const TAX_RATE_COLUMNS = `*, trim_scale(percentage)::text as percentage_text`;

export async function insertTaxRate(tx: Tx, organizationId: string, input: TaxRateInput, percentage: string): Promise<TaxRate> {
  const { rows } = await tx.query(
    `insert into tax_rates (id, organization_id, name, percentage, category, exemption_reason, compound)
     values ($1, $2, $3, $4, $5, $6, $7) returning ${TAX_RATE_COLUMNS}`,
    [newId('tax'), organizationId, input.name.trim(), percentage, input.category, input.exemptionReason ?? null, input.compound ?? false],
  );
  return taxRateFromRow(rows[0]);
}

export async function listTaxRateRows(db: Queryable, organizationId: string, includeArchived = false): Promise<TaxRate[]> {
  const { rows } = await db.query(
    `select ${TAX_RATE_COLUMNS} from tax_rates where organization_id = $1 and ($2 or archived_at is null) order by created_at, id`,
    [organizationId, includeArchived],
  );
  return rows.map(taxRateFromRow);
}

/** Finds every rate by id, keeping the caller's order; an unknown or foreign id names its field. */
export async function findTaxRates(db: Queryable, organizationId: string, ids: string[], field: string): Promise<TaxRate[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query(
    `select ${TAX_RATE_COLUMNS} from tax_rates where organization_id = $1 and id = any($2::text[])`,
    [organizationId, ids],
  );
  const byId = new Map(rows.map((row) => [row.id as string, taxRateFromRow(row)]));
  return ids.map((id, index) => {
    const rate = byId.get(id);
    if (!rate) throw invalid(`${field}.${index}`, `no tax rate with id ${id}`, 'tax_rate_not_found');
    return rate;
  });
}

export async function archiveTaxRateRow(tx: Tx, organizationId: string, id: string): Promise<TaxRate> {
  const { rows } = await tx.query(
    `update tax_rates set archived_at = coalesce(archived_at, now()) where organization_id = $1 and id = $2 returning ${TAX_RATE_COLUMNS}`,
    [organizationId, id],
  );
  if (!rows[0]) throw notFound('tax_rate', id);
  return taxRateFromRow(rows[0]);
}

export type Item = {
  id: string;
  name: string;
  description: string | null;
  unit: string;
  unitPrice: string;
  taxRateIds: string[];
  trackStock: boolean;
  quantityOnHand: string;
  lowStockThreshold: string | null;
  archivedAt: string | null;
};
export type ItemInput = {
  name: string;
  description?: string | null;
  unit?: string;
  unitPrice?: string;
  taxRateIds?: string[];
  trackStock?: boolean;
  lowStockThreshold?: string | null;
};

function itemFromRow(row: Record<string, any>): Item {
  return {
    id: row.id, name: row.name, description: row.description, unit: row.unit, unitPrice: row.unit_price_text,
    taxRateIds: row.tax_rate_ids, trackStock: row.track_stock, quantityOnHand: row.quantity_on_hand_text,
    lowStockThreshold: row.low_stock_threshold_text, archivedAt: row.archived_at?.toISOString() ?? null,
  };
}

const ITEM_COLUMNS = `*, trim_scale(unit_price)::text as unit_price_text, trim_scale(quantity_on_hand)::text as quantity_on_hand_text,
  trim_scale(low_stock_threshold)::text as low_stock_threshold_text`;

export async function insertItem(tx: Tx, organizationId: string, input: ItemInput): Promise<Item> {
  const { rows } = await tx.query(
    `insert into items (id, organization_id, name, description, unit, unit_price, tax_rate_ids, track_stock, low_stock_threshold)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${ITEM_COLUMNS}`,
    [
      newId('itm'), organizationId, input.name.trim(), input.description ?? null, input.unit ?? 'piece', input.unitPrice ?? '0',
      input.taxRateIds ?? [], input.trackStock ?? false, input.lowStockThreshold ?? null,
    ],
  );
  return itemFromRow(rows[0]);
}

export async function updateItemRow(tx: Tx, organizationId: string, id: string, input: Partial<ItemInput>): Promise<Item> {
  const { rows } = await tx.query(
    `update items set name = coalesce($3, name), description = case when $4 then $5 else description end,
       unit = coalesce($6, unit), unit_price = coalesce($7::numeric, unit_price), tax_rate_ids = coalesce($8, tax_rate_ids),
       track_stock = coalesce($9, track_stock),
       low_stock_threshold = case when $10 then $11::numeric else low_stock_threshold end
     where organization_id = $1 and id = $2 returning ${ITEM_COLUMNS}`,
    [
      organizationId, id, input.name?.trim() ?? null, 'description' in input, input.description ?? null, input.unit ?? null,
      input.unitPrice ?? null, input.taxRateIds ?? null, input.trackStock ?? null, 'lowStockThreshold' in input, input.lowStockThreshold ?? null,
    ],
  );
  if (!rows[0]) throw notFound('item', id);
  return itemFromRow(rows[0]);
}

export async function listItemRows(db: Queryable, organizationId: string, search?: string): Promise<Item[]> {
  const { rows } = await db.query(
    `select ${ITEM_COLUMNS} from items where organization_id = $1 and archived_at is null
       and ($2::text is null or name ilike $2) order by lower(name), id`,
    [organizationId, containsPattern(search)],
  );
  return rows.map(itemFromRow);
}

export async function findItem(db: Queryable, organizationId: string, id: string, field = 'itemId'): Promise<Item> {
  const { rows } = await db.query(`select ${ITEM_COLUMNS} from items where organization_id = $1 and id = $2`, [organizationId, id]);
  if (!rows[0]) throw invalid(field, `no item with id ${id}`, 'item_not_found');
  return itemFromRow(rows[0]);
}

/** Every rate and item a document names, in two queries however many lines it has; unknown ids are absent. */
export async function catalogEntries(
  db: Queryable,
  organizationId: string,
  ids: { items: string[]; taxRates: string[] },
): Promise<{ items: Map<string, Item>; taxRates: Map<string, TaxRate> }> {
  const items = ids.items.length === 0 ? [] : (await db.query(
    `select ${ITEM_COLUMNS} from items where organization_id = $1 and id = any($2::text[])`, [organizationId, ids.items],
  )).rows.map(itemFromRow);
  const taxRateIds = [...new Set([...ids.taxRates, ...items.flatMap((item) => item.taxRateIds)])];
  const taxRates = taxRateIds.length === 0 ? [] : (await db.query(
    `select ${TAX_RATE_COLUMNS} from tax_rates where organization_id = $1 and id = any($2::text[])`, [organizationId, taxRateIds],
  )).rows.map(taxRateFromRow);
  return { items: new Map(items.map((item) => [item.id, item])), taxRates: new Map(taxRates.map((rate) => [rate.id, rate])) };
}
