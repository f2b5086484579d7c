import { addDays, parseIsoDate, type IsoDate } from '../../shared/calendar.ts';
import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool, type Queryable, type Tx } from '../../shared/db.ts';
import { parseDecimal, toDecimalString } from '../../shared/decimal.ts';
import { conflict, invalid, notFound } from '../../shared/errors.ts';
import type { Page } from '../../shared/pagination.ts';
import { catalogEntries } from '../catalog/index.ts';
import { findCustomer } from '../customers/index.ts';
import { todayFor } from '../invoicing/index.ts';
import { defaultAnchorDay, INTERVALS, nextBoundary, periodContaining, validateAnchorDay, type Interval } from './periods.ts';
import {
  changeHasAdjustment, currentPeriod, cycleAt, itemsOn, minDate, segmentAt, type BillingTiming, type CycleTerms, type Subscription,
} from './subscription.ts';
import {
  deleteChangeRows, findSubscription, insertChange, insertSubscription, insertUsage, listSubscriptionRows, setEnd,
  type NewItem, type SubscriptionFilter, type UsageRecord,
} from './subscription-store.ts';

export type SubscriptionItemInput = {
  itemId?: string;
  description?: string;
  unitPrice?: string;
  quantity?: string;
  metered?: boolean;
  taxRateIds?: string[];
};

export type SubscriptionInput = {
  customerId: string;
  currency?: string;
  items: SubscriptionItemInput[];
  interval: Interval;
  intervalCount?: number;
  anchorDay?: number;
  startDate: string;
  billingTiming: BillingTiming;
  trialEnd?: string;
  endDate?: string;
  /** Default false. */
  includeUnbilledWork?: boolean;
};

export type ChangeInput = {
  effectiveDate?: string;
  items?: SubscriptionItemInput[];
  interval?: Interval;
  intervalCount?: number;
  anchorDay?: number;
  prorate: boolean;
};

export const MAX_ITEMS = 50;

/** A subscription with "today" in its organization, for its derived status and current period. */
export type SubscriptionView = { subscription: Subscription; today: IsoDate };

export async function createSubscription(pool: Pool, clock: Clock, organizationId: string, input: SubscriptionInput): Promise<SubscriptionView> {
  return inTransaction(pool, async (tx) => {
    const customer = await findCustomer(tx, organizationId, input.customerId).catch(() => {
      throw invalid('customerId', `no customer with id ${input.customerId}`, 'customer_not_found');
    });
    if (customer.archivedAt) throw invalid('customerId', 'this customer is archived', 'customer_archived');
    const currency = input.currency ?? customer.currency;
    if (currency !== customer.currency) throw invalid('currency', `must be the customer's currency (${customer.currency})`, 'currency_mismatch');
    const startDate = parseIsoDate(input.startDate, 'startDate');
    const trialEnd = input.trialEnd === undefined ? null : parseIsoDate(input.trialEnd, 'trialEnd');
    const endDate = input.endDate === undefined ? null : parseIsoDate(input.endDate, 'endDate');
    if (trialEnd !== null && trialEnd <= startDate) throw invalid('trialEnd', 'must be after startDate (it is the first day that is charged)');
    if (endDate !== null && endDate <= startDate) throw invalid('endDate', 'must be after startDate (it is the first day that is not charged)');
    const cycle = cycleTerms(input.interval, input.intervalCount ?? 1, input.anchorDay ?? defaultAnchorDay(input.interval, startDate));
    const items = await validateItems(tx, organizationId, input.items, 'items');
    const id = await insertSubscription(tx, organizationId, { customerId: customer.id, currency, billingTiming: input.billingTiming, startDate, trialEnd, endDate, includeUnbilledWork: input.includeUnbilledWork ?? false, ...cycle }, items);
    return view(tx, clock, organizationId, id);
  });
}

export async function getSubscription(db: Queryable, clock: Clock, organizationId: string, id: string): Promise<SubscriptionView> {
  return { subscription: await findSubscription(db, organizationId, id), today: await todayFor(db, organizationId, clock) };
}

export async function listSubscriptions(db: Queryable, clock: Clock, organizationId: string, filter: SubscriptionFilter): Promise<Page<SubscriptionView>> {
  const page = await listSubscriptionRows(db, organizationId, filter);
  const today = await todayFor(db, organizationId, clock);
  return { data: page.data.map((subscription) => ({ subscription, today })), nextCursor: page.nextCursor };
}

/**
 * Changes items and/or the cycle. With `prorate`, on `effectiveDate` (default today), settled by
 * an adjustment on the next billing run; without, from the first period start on or after it
 * that is not billed yet. Changes are kept in date order, one per day.
 */
export async function changeSubscription(pool: Pool, clock: Clock, organizationId: string, id: string, input: ChangeInput): Promise<SubscriptionView> {
  return inTransaction(pool, async (tx) => {
    const { subscription, today } = await lockOpen(tx, clock, organizationId, id);
    const requested = input.effectiveDate === undefined ? today : parseIsoDate(input.effectiveDate, 'effectiveDate');
    if (requested < today) throw invalid('effectiveDate', `must not be in the past (today is ${today})`, 'effective_date_in_past');
    const on = requested < subscription.startDate ? subscription.startDate : requested;
    const current = cycleAt(subscription, on);
    const interval = input.interval ?? current.interval;
    const intervalCount = input.intervalCount ?? (input.interval && input.interval !== current.interval ? 1 : current.intervalCount);
    const cycleChanged = interval !== current.interval || intervalCount !== current.intervalCount
      || (input.anchorDay !== undefined && input.anchorDay !== current.anchorDay);
    if (!cycleChanged && input.items === undefined) throw invalid('items', 'a change needs new items or a new interval', 'nothing_to_change');

    const effectiveDate = input.prorate ? on : firstUnbilledBoundary(subscription, on);
    assertChangeFits(subscription, effectiveDate, input.prorate, cycleChanged);
    // A new cycle with proration starts on the change; one at a period start keeps its anchor when it can.
    const keepsAnchor = !input.prorate && (interval === 'weekly') === (current.interval === 'weekly');
    const cycle = cycleChanged
      ? cycleTerms(interval, intervalCount, input.anchorDay ?? (keepsAnchor ? current.anchorDay : defaultAnchorDay(interval, effectiveDate)))
      : null;
    const items = input.items === undefined ? null : await validateItems(tx, organizationId, input.items, 'items');
    const change = { effectiveDate, prorate: input.prorate, cycle, items };
    await insertChange(tx, organizationId, id, { ...change, adjustmentBilled: !changeHasAdjustment(change, subscription.billingTiming) });
    return view(tx, clock, organizationId, id);
  });
}

/** The first period start on or after `day` whose period is not billed yet. */
function firstUnbilledBoundary(subscription: Subscription, day: IsoDate): IsoDate {
  const cycle = segmentAt(subscription, day).cycle;
  let boundary = nextBoundary(cycle, day);
  while (subscription.billedThrough !== null && boundary <= subscription.billedThrough) boundary = periodContaining(cycle, boundary).end;
  return boundary;
}

function assertChangeFits(subscription: Subscription, effectiveDate: IsoDate, prorate: boolean, cycleChanged: boolean): void {
  if (subscription.endDate !== null && effectiveDate >= subscription.endDate) {
    throw invalid('effectiveDate', `the change would take effect on ${effectiveDate}, when the subscription has ended (${subscription.endDate})`, 'change_after_end');
  }
  const last = subscription.changes.at(-1);
  if (last && last.effectiveDate >= effectiveDate) {
    throw conflict('change_out_of_order', `A change takes effect on ${last.effectiveDate}; changes are made in date order, so delete that one first or choose a later date.`);
  }
  // A billed period is never billed again: a new cycle cannot start on or before it, and items
  // cannot change before its start (the day it starts is fine: the adjustment covers all of it).
  const billed = subscription.billedThrough;
  if (billed !== null && prorate && (cycleChanged ? effectiveDate <= billed : effectiveDate < billed)) {
    throw conflict('period_already_billed', `The period starting ${billed} is billed; a ${cycleChanged ? 'new cycle' : 'change'} can take effect from ${cycleChanged ? addDays(billed, 1) : billed}.`);
  }
}

export async function deleteChange(pool: Pool, clock: Clock, organizationId: string, id: string, changeId: string): Promise<SubscriptionView> {
  return inTransaction(pool, async (tx) => {
    const today = await todayFor(tx, organizationId, clock);
    const subscription = await findSubscription(tx, organizationId, id, { lock: true });
    const change = subscription.changes.find((c) => c.id === changeId);
    if (!change) throw notFound('subscription_change', changeId);
    if (change.effectiveDate <= today) throw conflict('change_in_effect', `The change took effect on ${change.effectiveDate}; make another change instead.`);
    await deleteChangeRows(tx, id, changeId);
    return view(tx, clock, organizationId, id);
  });
}

/**
 * Ends the subscription at the end of the current period, or today. Billing stops there: in
 * arrears the last period bills its days up to the end; in advance what was billed stays billed
 * (refunds are credit notes).
 */
export async function cancelSubscription(pool: Pool, clock: Clock, organizationId: string, id: string, input: { atPeriodEnd: boolean }): Promise<SubscriptionView> {
  return inTransaction(pool, async (tx) => {
    const { subscription, today } = await lockOpen(tx, clock, organizationId, id);
    const running = currentPeriod(subscription, today);
    // Cancelling during a trial at "period end" ends with the trial: nothing is charged.
    const periodEnd = running && subscription.trialEnd !== null && today < subscription.trialEnd ? minDate(running.cutEnd, subscription.trialEnd) : running?.cutEnd;
    const endDate = running === null ? subscription.startDate : input.atPeriodEnd ? periodEnd! : today;
    await setEnd(tx, id, { endDate, cancelAtPeriodEnd: input.atPeriodEnd, canceledAt: clock.now().toISOString() });
    return view(tx, clock, organizationId, id);
  });
}

export type UsageInput = { subscriptionItemId?: string; date?: string; quantity: string };

/** Records usage of a metered item; a period whose usage is billed takes no more. */
export async function recordUsage(pool: Pool, clock: Clock, organizationId: string, id: string, input: UsageInput): Promise<UsageRecord> {
  return inTransaction(pool, async (tx) => {
    const today = await todayFor(tx, organizationId, clock);
    const subscription = await findSubscription(tx, organizationId, id, { lock: true });
    const date = input.date === undefined ? today : parseIsoDate(input.date, 'date');
    if (date > today) throw invalid('date', `must not be after today (${today})`, 'usage_date_in_future');
    if (date < subscription.startDate) throw invalid('date', `must not be before the subscription starts (${subscription.startDate})`);
    if (subscription.endDate !== null && date >= subscription.endDate) throw invalid('date', `must be before the subscription ended (${subscription.endDate})`, 'usage_after_end');
    const metered = itemsOn(subscription, date).filter((item) => item.metered);
    const item = input.subscriptionItemId === undefined && metered.length === 1 ? metered[0] : metered.find((m) => m.id === input.subscriptionItemId);
    if (!item) {
      throw invalid('subscriptionItemId', metered.length === 0 ? `the subscription has no metered item on ${date}` : `must name one of the metered items on ${date}: ${metered.map((m) => m.id).join(', ')}`, 'metered_item_not_found');
    }
    const period = periodContaining(segmentAt(subscription, date).cycle, date);
    if (subscription.usageBilledThrough !== null && period.start <= subscription.usageBilledThrough) {
      throw conflict('usage_period_billed', `The usage of the period starting ${period.start} is billed; record usage of later days only.`);
    }
    const quantity = parseDecimal(input.quantity, 'quantity', { maxScale: 6, maxIntegerDigits: 12, allowNegative: false });
    if (quantity.units === 0n) throw invalid('quantity', 'must be more than zero');
    return insertUsage(tx, organizationId, { subscriptionId: id, subscriptionItemId: item.id, date, quantity: toDecimalString(quantity) });
  });
}

/** The subscription locked for a change, refused when it has ended. */
async function lockOpen(tx: Tx, clock: Clock, organizationId: string, id: string): Promise<SubscriptionView> {
  const today = await todayFor(tx, organizationId, clock);
  const subscription = await findSubscription(tx, organizationId, id, { lock: true });
  if (subscription.endDate !== null && subscription.endDate <= today) {
    throw conflict('subscription_ended', `The subscription ended on ${subscription.endDate}.`);
  }
  return { subscription, today };
}

async function view(tx: Tx, clock: Clock, organizationId: string, id: string): Promise<SubscriptionView> {
  return { subscription: await findSubscription(tx, organizationId, id), today: await todayFor(tx, organizationId, clock) };
}

function cycleTerms(interval: Interval, intervalCount: number, anchorDay: number): CycleTerms {
  if (!INTERVALS.includes(interval)) throw invalid('interval', `must be one of ${INTERVALS.join(', ')}`);
  if (!Number.isInteger(intervalCount) || intervalCount < 1 || intervalCount > 52) throw invalid('intervalCount', 'must be a whole number from 1 to 52');
  validateAnchorDay(interval, anchorDay);
  return { interval, intervalCount, anchorDay };
}

async function validateItems(tx: Tx, organizationId: string, inputs: SubscriptionItemInput[], field: string): Promise<NewItem[]> {
  if (inputs.length === 0 || inputs.length > MAX_ITEMS) throw invalid(field, `must have 1 to ${MAX_ITEMS} items`);
  const catalog = await catalogEntries(tx, organizationId, {
    items: inputs.flatMap((input) => (input.itemId ? [input.itemId] : [])),
    taxRates: inputs.flatMap((input) => input.taxRateIds ?? []),
  });
  return inputs.map((input, index) => {
    const at = `${field}.${index}`;
    const item = input.itemId ? catalog.items.get(input.itemId) : null;
    if (item === undefined) throw invalid(`${at}.itemId`, `no item with id ${input.itemId}`, 'item_not_found');
    const description = (input.description ?? item?.name ?? '').trim();
    if (!description) throw invalid(`${at}.description`, 'is required for an item without itemId');
    const priceText = input.unitPrice ?? item?.unitPrice;
    if (priceText === undefined) throw invalid(`${at}.unitPrice`, 'is required for an item without itemId');
    const unitPrice = parseDecimal(priceText, `${at}.unitPrice`, { maxScale: 6, maxIntegerDigits: 13, allowNegative: false });
    const metered = input.metered ?? false;
    if (metered && input.quantity !== undefined) throw invalid(`${at}.quantity`, 'a metered item bills its recorded usage; leave quantity out');
    const quantity = metered ? '0' : toDecimalString(parseDecimal(input.quantity ?? '1', `${at}.quantity`, { maxScale: 6, maxIntegerDigits: 12, allowNegative: false }));
    const taxRateIds = input.taxRateIds ?? item?.taxRateIds ?? [];
    if (new Set(taxRateIds).size !== taxRateIds.length) throw invalid(`${at}.taxRateIds`, 'lists a tax rate twice');
    taxRateIds.forEach((rateId, i) => {
      if (!catalog.taxRates.has(rateId)) throw invalid(`${at}.taxRateIds.${i}`, `no tax rate with id ${rateId}`, 'tax_rate_not_found');
    });
    return { itemId: item?.id ?? null, description, unitPrice: toDecimalString(unitPrice), quantity, metered, taxRateIds };
  });
}
