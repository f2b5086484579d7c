import type { IsoDate } from '../../shared/calendar.ts';
import { transpose, type Queryable, type Tx } from '../../shared/db.ts';
import { notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { decodeCursor, pageOf, type Page } from '../../shared/pagination.ts';
import type { UsageTotal } from './charges.ts';
import type { BillingTiming, CycleTerms, Subscription, SubscriptionChange, SubscriptionItem } from './subscription.ts';

export type NewItem = Omit<SubscriptionItem, 'id'>;

export type NewSubscription = CycleTerms & {
  customerId: string;
  currency: string;
  billingTiming: BillingTiming;
  startDate: IsoDate;
  trialEnd: IsoDate | null;
  endDate: IsoDate | null;
  includeUnbilledWork: boolean;
};

function itemFromRow(row: Record<string, any>): SubscriptionItem {
  return {
    id: row.id, itemId: row.item_id, description: row.description, unitPrice: row.unit_price_text, quantity: row.quantity_text,
    metered: row.metered, taxRateIds: row.tax_rate_ids,
  };
}

function subscriptionFromRow(row: Record<string, any>, items: SubscriptionItem[], changes: SubscriptionChange[]): Subscription {
  return {
    id: row.id, customerId: row.customer_id, currency: row.currency, billingTiming: row.billing_timing,
    interval: row.interval, intervalCount: row.interval_count, anchorDay: row.anchor_day,
    startDate: row.start_date, trialEnd: row.trial_end, endDate: row.end_date,
    cancelAtPeriodEnd: row.cancel_at_period_end, canceledAt: row.canceled_at?.toISOString() ?? null,
    includeUnbilledWork: row.include_unbilled_work,
    billedThrough: row.billed_through, usageBilledThrough: row.usage_billed_through,
    items, changes, createdAt: row.created_at.toISOString(),
  };
}

/** Rows of subscriptions with their items and changes: three queries however many there are. */
async function assemble(db: Queryable, rows: Array<Record<string, any>>): Promise<Subscription[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id as string);
  const [items, changes] = await Promise.all([
    db.query(
      `select *, trim_scale(unit_price)::text as unit_price_text, trim_scale(quantity)::text as quantity_text
       from subscription_items where subscription_id = any($1::text[]) order by position`,
      [ids],
    ),
    db.query(`select * from subscription_changes where subscription_id = any($1::text[]) order by effective_date`, [ids]),
  ]);
  const itemsOf = new Map<string, SubscriptionItem[]>(); // by change id, or by subscription id for the first items
  for (const row of items.rows) {
    const key = row.change_id ?? row.subscription_id;
    itemsOf.set(key, [...(itemsOf.get(key) ?? []), itemFromRow(row)]);
  }
  const changesOf = new Map<string, SubscriptionChange[]>();
  for (const row of changes.rows) {
    const change: SubscriptionChange = {
      id: row.id, effectiveDate: row.effective_date, prorate: row.prorate,
      cycle: row.interval ? { interval: row.interval, intervalCount: row.interval_count, anchorDay: row.anchor_day } : null,
      items: row.replaces_items ? itemsOf.get(row.id) ?? [] : null,
      adjustmentBilled: row.adjustment_billed, createdAt: row.created_at.toISOString(),
    };
    changesOf.set(row.subscription_id, [...(changesOf.get(row.subscription_id) ?? []), change]);
  }
  return rows.map((row) => subscriptionFromRow(row, itemsOf.get(row.id) ?? [], changesOf.get(row.id) ?? []));
}

export async function findSubscription(db: Queryable, organizationId: string, id: string, opts: { lock?: boolean } = {}): Promise<Subscription> {
  const { rows } = await db.query(
    `select * from subscriptions where organization_id = $1 and id = $2${opts.lock ? ' for no key update' : ''}`,
    [organizationId, id],
  );
  if (!rows[0]) throw notFound('subscription', id);
  return (await assemble(db, rows))[0]!;
}

export type SubscriptionFilter = { customerId?: string; cursor?: string; limit: number };

/** Newest first. */
export async function listSubscriptionRows(db: Queryable, organizationId: string, filter: SubscriptionFilter): Promise<Page<Subscription>> {
  const after = decodeCursor(filter.cursor, 1)?.[0] ?? null;
  const { rows } = await db.query(
    `select * from subscriptions where organization_id = $1 and ($2::text is null or customer_id = $2)
       and ($3::text is null or id < $3) order by id desc limit $4`,
    [organizationId, filter.customerId ?? null, after, filter.limit + 1],
  );
  return pageOf(await assemble(db, rows), filter.limit, (subscription) => [subscription.id]);
}

/**
 * Every subscription of these customers, for the billing run. With `lock`, the rows stay locked
 * (in id order, so concurrent runs queue instead of deadlocking) until the run's batch commits:
 * changes, cancellations and usage wait for it, and see its watermarks when they go on. (No key
 * update: rows that only point at a subscription, such as usage, can still be inserted.)
 */
export async function subscriptionsOfCustomers(tx: Tx, organizationId: string, customerIds: string[], lock: boolean): Promise<Subscription[]> {
  const { rows } = await tx.query(
    `select * from subscriptions where organization_id = $1 and customer_id = any($2::text[]) order by id${lock ? ' for no key update' : ''}`,
    [organizationId, customerIds],
  );
  return assemble(tx, rows);
}

/** Usage per item and day, of the periods not billed yet. */
export async function unbilledUsage(tx: Tx, subscriptionIds: string[]): Promise<Map<string, UsageTotal[]>> {
  const usage = new Map<string, UsageTotal[]>();
  if (subscriptionIds.length === 0) return usage;
  const { rows } = await tx.query(
    `select u.subscription_id, u.subscription_item_id, u.usage_date, trim_scale(sum(u.quantity))::text as quantity
     from usage_records u join subscriptions s on s.id = u.subscription_id
     where u.subscription_id = any($1::text[]) and (s.usage_billed_through is null or u.usage_date > s.usage_billed_through)
     group by 1, 2, 3`,
    [subscriptionIds],
  );
  for (const row of rows) {
    usage.set(row.subscription_id, [...(usage.get(row.subscription_id) ?? []), { subscriptionItemId: row.subscription_item_id, date: row.usage_date, quantity: row.quantity }]);
  }
  return usage;
}

export async function insertSubscription(tx: Tx, organizationId: string, subscription: NewSubscription, items: NewItem[]): Promise<string> {
  const id = newId('sub');
  await tx.query(
    `insert into subscriptions (id, organization_id, customer_id, currency, interval, interval_count, anchor_day, billing_timing,
       start_date, trial_end, end_date, include_unbilled_work)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      id, organizationId, subscription.customerId, subscription.currency, subscription.interval, subscription.intervalCount,
      subscription.anchorDay, subscription.billingTiming, subscription.startDate, subscription.trialEnd, subscription.endDate,
      subscription.includeUnbilledWork,
    ],
  );
  await insertItems(tx, organizationId, id, null, items);
  return id;
}

async function insertItems(tx: Tx, organizationId: string, subscriptionId: string, changeId: string | null, items: NewItem[]): Promise<void> {
  await tx.query(
    `insert into subscription_items (id, organization_id, subscription_id, change_id, position, item_id, description, unit_price,
       quantity, metered, tax_rate_ids)
     select id, $1, $2, $3, position, item_id, description, unit_price, quantity, metered, array(select jsonb_array_elements_text(tax_rate_ids))
     from unnest($4::text[], $5::int[], $6::text[], $7::text[], $8::numeric[], $9::numeric[], $10::boolean[], $11::jsonb[])
       as t(id, position, item_id, description, unit_price, quantity, metered, tax_rate_ids)`,
    [organizationId, subscriptionId, changeId, ...transpose(items.map((item, index) => [
      newId('sbi'), index + 1, item.itemId, item.description, item.unitPrice, item.quantity, item.metered, JSON.stringify(item.taxRateIds),
    ]))],
  );
}

export type NewChange = {
  effectiveDate: IsoDate;
  prorate: boolean;
  cycle: CycleTerms | null;
  items: NewItem[] | null;
  adjustmentBilled: boolean;
};

export async function insertChange(tx: Tx, organizationId: string, subscriptionId: string, change: NewChange): Promise<void> {
  const id = newId('sch');
  await tx.query(
    `insert into subscription_changes (id, organization_id, subscription_id, effective_date, prorate, interval, interval_count,
       anchor_day, replaces_items, adjustment_billed)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      id, organizationId, subscriptionId, change.effectiveDate, change.prorate, change.cycle?.interval ?? null,
      change.cycle?.intervalCount ?? null, change.cycle?.anchorDay ?? null, change.items !== null, change.adjustmentBilled,
    ],
  );
  if (change.items) await insertItems(tx, organizationId, subscriptionId, id, change.items);
}

export async function deleteChangeRows(tx: Tx, subscriptionId: string, changeId: string): Promise<void> {
  await tx.query(`delete from subscription_items where subscription_id = $1 and change_id = $2`, [subscriptionId, changeId]);
  await tx.query(`delete from subscription_changes where subscription_id = $1 and id = $2`, [subscriptionId, changeId]);
}

export async function setEnd(tx: Tx, id: string, fields: { endDate: IsoDate; cancelAtPeriodEnd: boolean; canceledAt: string }): Promise<void> {
  await tx.query(
    `update subscriptions set end_date = $2, cancel_at_period_end = $3, canceled_at = $4, updated_at = now() where id = $1`,
    [id, fields.endDate, fields.cancelAtPeriodEnd, fields.canceledAt],
  );
}

export type UsageRecord = { id: string; subscriptionId: string; subscriptionItemId: string; date: IsoDate; quantity: string; createdAt: string };

export async function insertUsage(tx: Tx, organizationId: string, record: Omit<UsageRecord, 'id' | 'createdAt'>): Promise<UsageRecord> {
  const { rows } = await tx.query(
    `insert into usage_records (id, organization_id, subscription_id, subscription_item_id, usage_date, quantity)
     values ($1, $2, $3, $4, $5, $6) returning id, created_at, trim_scale(quantity)::text as quantity`,
    [newId('use'), organizationId, record.subscriptionId, record.subscriptionItemId, record.date, record.quantity],
  );
  return { ...record, id: rows[0].id, quantity: rows[0].quantity, createdAt: rows[0].created_at.toISOString() };
}

/**
 * Moves the watermarks forward (never back) and marks change adjustments billed, for the charges
 * a run has just claimed: a few statements for the whole batch.
 */
export async function markBilledRows(
  tx: Tx,
  billed: { periods: Map<string, IsoDate>; usage: Map<string, IsoDate>; changeIds: string[] },
): Promise<void> {
  for (const [column, marks] of [['billed_through', billed.periods], ['usage_billed_through', billed.usage]] as const) {
    if (marks.size === 0) continue;
    await tx.query(
      `update subscriptions s set ${column} = greatest(s.${column}, t.day)
       from unnest($1::text[], $2::date[]) as t(id, day) where s.id = t.id`,
      [[...marks.keys()], [...marks.values()]],
    );
  }
  if (billed.changeIds.length > 0) {
    await tx.query(`update subscription_changes set adjustment_billed = true where id = any($1::text[])`, [billed.changeIds]);
  }
}
