/**
 * A subscription as data, and the pure rules of its schedule: which cycle and which items are in
 * effect when. Dates are ISO strings; every "end" is exclusive (the first day not covered).
 */
import type { IsoDate } from '../../shared/calendar.ts';
import { periodContaining, type Cycle, type Interval, type Period } from './periods.ts';

export type BillingTiming = 'advance' | 'arrears';
export const SUBSCRIPTION_STATUSES = ['scheduled', 'trialing', 'active', 'canceled', 'ended'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export type SubscriptionItem = {
  id: string;
  itemId: string | null;
  description: string;
  unitPrice: string;
  /** Seats or units per period; metered items bill their recorded usage instead. */
  quantity: string;
  metered: boolean;
  taxRateIds: string[];
};

export type CycleTerms = { interval: Interval; intervalCount: number; anchorDay: number };

/**
 * A change takes effect on `effectiveDate`. `cycle` (when set) starts a new cycle there; `items`
 * (when set) replaces the item list. With `prorate`, a change inside a period is settled for
 * that period by an adjustment (credit the unused old, charge the new); without, it waits for
 * the next period start and `effectiveDate` is that start.
 */
export type SubscriptionChange = {
  id: string;
  effectiveDate: IsoDate;
  prorate: boolean;
  cycle: CycleTerms | null;
  items: SubscriptionItem[] | null;
  adjustmentBilled: boolean;
  createdAt: string;
};

export type Subscription = CycleTerms & {
  id: string;
  customerId: string;
  currency: string;
  billingTiming: BillingTiming;
  startDate: IsoDate;
  trialEnd: IsoDate | null;
  endDate: IsoDate | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: string | null;
  /** The billing run adds the customer's unbilled work to the invoice that carries this subscription's charges. */
  includeUnbilledWork: boolean;
  /** The items the subscription started with; changes carry their own. */
  items: SubscriptionItem[];
  /** In effective-date order (one change per date). */
  changes: SubscriptionChange[];
  /** The billing run's watermarks: the latest period start billed, for periods and for usage. */
  billedThrough: IsoDate | null;
  usageBilledThrough: IsoDate | null;
  createdAt: string;
};

/** A stretch of one cycle: [cycle.start, until). A change of interval or anchor starts a new one. */
export type Segment = { cycle: Cycle; until: IsoDate | null };

export function segmentsOf(subscription: Subscription): Segment[] {
  const segments: Segment[] = [{ cycle: { start: subscription.startDate, ...cycleTerms(subscription) }, until: null }];
  for (const change of subscription.changes) {
    if (!change.cycle) continue;
    segments[segments.length - 1]!.until = change.effectiveDate;
    segments.push({ cycle: { start: change.effectiveDate, ...change.cycle }, until: null });
  }
  return segments;
}

function cycleTerms(terms: CycleTerms): CycleTerms {
  return { interval: terms.interval, intervalCount: terms.intervalCount, anchorDay: terms.anchorDay };
}

/** The segment in effect on `day` (on or after the start). */
export function segmentAt(subscription: Subscription, day: IsoDate): Segment {
  const segments = segmentsOf(subscription);
  return segments.findLast((segment) => segment.cycle.start <= day) ?? segments[0]!;
}

/** The cycle terms in effect on `day`. */
export function cycleAt(subscription: Subscription, day: IsoDate): CycleTerms {
  return cycleTerms(segmentAt(subscription, day).cycle);
}

/**
 * The items a whole period starting on `periodStart` bills. A prorated change of items only
 * counts from the periods after its date: the period it falls in is settled by its adjustment.
 */
export function itemsForPeriod(subscription: Subscription, periodStart: IsoDate): SubscriptionItem[] {
  let items = subscription.items;
  for (const change of subscription.changes) {
    const counts = change.effectiveDate < periodStart || (change.effectiveDate === periodStart && !isItemAdjustment(change));
    if (counts && change.items) items = change.items;
  }
  return items;
}

/** The items in effect on `day`, whatever settles them: what usage on that day is recorded against. */
export function itemsOn(subscription: Subscription, day: IsoDate): SubscriptionItem[] {
  let items = subscription.items;
  for (const change of subscription.changes) if (change.effectiveDate <= day && change.items) items = change.items;
  return items;
}

/** The items just before `change` took effect. */
export function itemsBefore(subscription: Subscription, change: SubscriptionChange): SubscriptionItem[] {
  let items = subscription.items;
  for (const earlier of subscription.changes) {
    if (earlier.id === change.id) break;
    if (earlier.items) items = earlier.items;
  }
  return items;
}

/** A prorated change of items inside one cycle: settled by credit-and-charge lines. */
export function isItemAdjustment(change: SubscriptionChange): boolean {
  return change.prorate && change.cycle === null && change.items !== null;
}

/** Whether billing owes something for this change besides the periods: see charges.ts. */
export function changeHasAdjustment(change: { prorate: boolean; cycle: CycleTerms | null; items: unknown[] | null }, timing: BillingTiming): boolean {
  return change.prorate && (change.cycle === null ? change.items !== null : timing === 'advance');
}

/** The period running on `day`, cut short by a cycle change or the end; null outside the subscription. */
export function currentPeriod(subscription: Subscription, day: IsoDate): (Period & { cutEnd: IsoDate }) | null {
  if (day < subscription.startDate || (subscription.endDate !== null && day >= subscription.endDate)) return null;
  const segment = segmentAt(subscription, day);
  const period = periodContaining(segment.cycle, day);
  return { ...period, cutEnd: minDate(period.end, segment.until, subscription.endDate) };
}

export function deriveStatus(subscription: Subscription, today: IsoDate): SubscriptionStatus {
  const ended = subscription.endDate !== null && (subscription.endDate <= today || subscription.endDate <= subscription.startDate);
  if (ended) return subscription.canceledAt ? 'canceled' : 'ended';
  if (today < subscription.startDate) return 'scheduled';
  if (subscription.trialEnd !== null && today < subscription.trialEnd) return 'trialing';
  return 'active';
}

export function minDate(first: IsoDate, ...rest: Array<IsoDate | null>): IsoDate {
  return rest.reduce<IsoDate>((min, day) => (day !== null && day < min ? day : min), first);
}

export function maxDate(first: IsoDate, ...rest: Array<IsoDate | null>): IsoDate {
  return rest.reduce<IsoDate>((max, day) => (day !== null && day > max ? day : max), first);
}
