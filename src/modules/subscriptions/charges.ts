/**
 * What a subscription owes on a date, as a pure function of the subscription, its usage and the
 * watermarks of what is billed. Three kinds of charge, each with its own idempotency key:
 *
 * - `subscription` (key: period start): the items of a period. In advance on the period's first
 *   billable day, in arrears on its (possibly cut) end. A stub, a trial ending inside the period,
 *   or an end date inside it prorate the period by days.
 * - `subscription_usage` (key: period start): recorded usage of metered items, at the period's end.
 * - `subscription_change` (key: the change's date): a prorated change inside a period. A change of
 *   items credits the unused part of the old items and charges the new ones for the rest of the
 *   period (in advance on the change's day, or with the next period when it nets to a credit); a
 *   change of cycle billed in advance credits the unused part of the old period (the new cycle
 *   then bills its own periods). In arrears a change of cycle cuts the old period short instead,
 *   and the period bills only its used days.
 *
 * In advance a period is billed whole when it starts: a cycle change or a cancellation made later
 * never changes what that period charged, so billing is the same whenever the run happens.
 */
import type { IsoDate } from '../../shared/calendar.ts';
import { currencyMinorUnits } from '../../shared/currencies.ts';
import { add, decimal, fromMinor, toDecimalString, type RoundingMode } from '../../shared/decimal.ts';
import type { Charge, ChargeLine } from '../billing/index.ts';
import { daysFrom, periodContaining, periodsStartingBetween, shiftDays, type Period } from './periods.ts';
import { changeAdjustment, lineAmount, prorate } from './proration.ts';
import {
  itemsBefore, itemsForPeriod, maxDate, minDate, segmentsOf, type Segment, type Subscription, type SubscriptionChange, type SubscriptionItem,
} from './subscription.ts';

export const CONTRACT_TYPES = { period: 'subscription', usage: 'subscription_usage', change: 'subscription_change' } as const;

export type UsageTotal = { subscriptionItemId: string; date: IsoDate; quantity: string };

type Context = { date: IsoDate; minorUnits: number; rounding: RoundingMode };

export function subscriptionCharges(subscription: Subscription, usage: UsageTotal[], date: IsoDate, rounding: RoundingMode): Charge[] {
  const context = { date, minorUnits: currencyMinorUnits(subscription.currency), rounding };
  const segments = segmentsOf(subscription);
  return [
    ...segments.flatMap((segment) => periodCharges(subscription, segment, context)),
    ...segments.flatMap((segment) => usageCharges(subscription, segment, usage, context)),
    ...subscription.changes.flatMap((change) => changeCharges(subscription, segments, change, context)),
  ];
}

/** Periods of the segment that start after `watermark`, on or before the run date, before the end. */
function periodsToConsider(subscription: Subscription, segment: Segment, watermark: IsoDate | null, date: IsoDate): Period[] {
  const from = watermark === null ? segment.cycle.start : maxDate(segment.cycle.start, shiftDays(watermark, 1));
  const to = minDate(shiftDays(date, 1), segment.until, subscription.endDate);
  return from < to ? periodsStartingBetween(segment.cycle, from, to) : [];
}

function periodCharges(subscription: Subscription, segment: Segment, context: Context): Charge[] {
  const advance = subscription.billingTiming === 'advance';
  const charges: Charge[] = [];
  for (const period of periodsToConsider(subscription, segment, subscription.billedThrough, context.date)) {
    const from = maxDate(period.start, subscription.trialEnd);
    const cut = advance ? minDate(period.end, subscription.endDate) : minDate(period.end, subscription.endDate, segment.until);
    const billingDate = advance ? from : cut;
    const items = itemsForPeriod(subscription, period.start).filter((item) => !item.metered);
    if (from >= cut || billingDate > context.date || items.length === 0) continue;
    const days = daysFrom(from, cut);
    const lines = items.map((item) => days === period.fullDays
      ? { ...lineOf(item, from, cut), quantity: item.quantity, unitPrice: item.unitPrice }
      : amountLine(item, prorate(amountOf(item), days, period.fullDays, context.minorUnits, context.rounding), context, from, cut,
        `${item.description} (${terms(item)}, ${days}/${period.fullDays} days)`));
    charges.push(charge(subscription, CONTRACT_TYPES.period, subscription.id, period.start, cut, lines));
  }
  return charges;
}

function usageCharges(subscription: Subscription, segment: Segment, usage: UsageTotal[], context: Context): Charge[] {
  const metered = new Map<string, SubscriptionItem>();
  for (const item of [subscription.items, ...subscription.changes.map((c) => c.items ?? [])].flat()) if (item.metered) metered.set(item.id, item);
  if (metered.size === 0) return [];
  const charges: Charge[] = [];
  for (const period of periodsToConsider(subscription, segment, subscription.usageBilledThrough, context.date)) {
    const cut = minDate(period.end, subscription.endDate, segment.until);
    if (cut > context.date) break;
    const totals = new Map<string, ReturnType<typeof decimal>>();
    for (const record of usage) {
      if (record.date < period.start || record.date >= cut) continue;
      totals.set(record.subscriptionItemId, add(totals.get(record.subscriptionItemId) ?? decimal('0'), decimal(record.quantity)));
    }
    const lines = [...totals].map(([id, quantity]) => ({
      ...lineOf(metered.get(id)!, period.start, cut), quantity: toDecimalString(quantity), unitPrice: metered.get(id)!.unitPrice,
    }));
    if (lines.length > 0) charges.push(charge(subscription, CONTRACT_TYPES.usage, subscription.id, period.start, cut, lines));
  }
  return charges;
}

function changeCharges(subscription: Subscription, segments: Segment[], change: SubscriptionChange, context: Context): Charge[] {
  if (!change.prorate || change.adjustmentBilled) return [];
  const advance = subscription.billingTiming === 'advance';
  const index = segments.findLastIndex((segment) => segment.cycle.start <= change.effectiveDate);
  // A cycle change is settled in the segment it ends; a change of items in the one it falls in.
  const segment = change.cycle ? segments[index - 1] : segments[index];
  if (!segment || (change.cycle && !advance)) return [];
  const period = periodContaining(segment.cycle, change.effectiveDate);
  if (change.cycle && period.start === change.effectiveDate) return [];
  const from = maxDate(change.effectiveDate, subscription.trialEnd);
  const cut = advance ? minDate(period.end, subscription.endDate) : minDate(period.end, subscription.endDate, segment.until);
  if (from >= cut || from > context.date) return [];

  const days = daysFrom(from, cut);
  const licensed = (items: SubscriptionItem[] | null) => (items ?? []).filter((item) => !item.metered);
  const [before, after] = withoutUnchanged(licensed(itemsBefore(subscription, change)), change.cycle ? [] : licensed(change.items));
  const describe = (item: SubscriptionItem) => `${item.description} (${terms(item)}, ${days}/${period.fullDays} days from ${from})`;
  const { lines, netMinor } = change.cycle
    ? { lines: before.map((item) => amountLine(item, -prorate(amountOf(item), days, period.fullDays, context.minorUnits, context.rounding), context, from, cut, `Unused ${describe(item)}`)), netMinor: null }
    : adjustmentLines(before, after, days, period.fullDays, context, from, cut, describe);
  // In advance an upgrade is billed on its day; a downgrade's net credit waits for the next
  // period's invoice (on `cut`), so that it reduces a charge instead of making a draft below zero.
  const billingDate = !advance || (netMinor !== null && netMinor < 0n) ? cut : from;
  if (billingDate > context.date || lines.length === 0) return [];
  const adjustment = charge(subscription, CONTRACT_TYPES.change, change.id, change.effectiveDate, cut, lines);
  return [subscription.endDate !== null && cut >= subscription.endDate ? { ...adjustment, final: true } : adjustment];
}

function adjustmentLines(
  before: SubscriptionItem[], after: SubscriptionItem[], days: number, fullDays: number, context: Context, from: IsoDate, cut: IsoDate,
  describe: (item: SubscriptionItem) => string,
): { lines: ChargeLine[]; netMinor: bigint } {
  const { credits, charges, netMinor } = changeAdjustment(before.map(amountOf), after.map(amountOf), days, fullDays, context.minorUnits, context.rounding);
  const lines = [
    ...before.map((item, i) => amountLine(item, -credits[i]!, context, from, cut, `Unused ${describe(item)}`)),
    ...after.map((item, i) => amountLine(item, charges[i]!, context, from, cut, `Remaining ${describe(item)}`)),
  ];
  return { lines, netMinor };
}

/** Items the change keeps as they were would be credited and charged the same: leave them out. */
function withoutUnchanged(before: SubscriptionItem[], after: SubscriptionItem[]): [SubscriptionItem[], SubscriptionItem[]] {
  const key = (item: SubscriptionItem) => JSON.stringify([item.itemId, item.description, item.unitPrice, item.quantity, item.taxRateIds]);
  const remaining = after.map(key);
  const keptBefore = before.filter((item) => {
    const index = remaining.indexOf(key(item));
    if (index < 0) return true;
    remaining[index] = ''; // matched once
    return false;
  });
  const unmatched = new Set<number>(remaining.flatMap((k, i) => (k === '' ? [] : [i])));
  return [keptBefore, after.filter((_, i) => unmatched.has(i))];
}

const amountOf = (item: SubscriptionItem) => lineAmount(decimal(item.quantity), decimal(item.unitPrice));
const terms = (item: SubscriptionItem) => `${item.quantity} × ${item.unitPrice}`;

function lineOf(item: SubscriptionItem, from: IsoDate, cut: IsoDate): Omit<ChargeLine, 'quantity' | 'unitPrice'> {
  return { itemId: item.itemId, description: item.description, taxRateIds: item.taxRateIds, serviceStart: from, serviceEnd: shiftDays(cut, -1) };
}

/**
 * A prorated amount as a line the invoice takes as it is: 1 × the amount (−1 for a credit, since
 * EN 16931 wants unit prices that are not negative), so the invoice's own rounding changes nothing.
 */
function amountLine(item: SubscriptionItem, amountMinor: bigint, context: Context, from: IsoDate, cut: IsoDate, description: string): ChargeLine {
  const magnitude = amountMinor < 0n ? -amountMinor : amountMinor;
  return {
    ...lineOf(item, from, cut), description,
    quantity: amountMinor < 0n ? '-1' : '1', unitPrice: toDecimalString(fromMinor(magnitude, context.minorUnits)),
  };
}

function charge(subscription: Subscription, contractType: string, contractId: string, periodStart: IsoDate, periodEnd: IsoDate, lines: ChargeLine[]): Charge {
  return { contractType, contractId, customerId: subscription.customerId, currency: subscription.currency, periodStart, periodEnd, lines, invoiceGroup: subscription.id };
}
