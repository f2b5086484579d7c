import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimal, multiply, roundToInteger } from '../../shared/decimal.ts';
import type { Charge } from '../billing/index.ts';
import { subscriptionCharges, type UsageTotal } from './charges.ts';
import type { Subscription, SubscriptionChange, SubscriptionItem } from './subscription.ts';

let ids = 0;
const item = (unitPrice: string, quantity = '1', fields: Partial<SubscriptionItem> = {}): SubscriptionItem =>
  ({ id: `sbi_${++ids}`, itemId: null, description: 'Plan', unitPrice, quantity, metered: false, taxRateIds: [], ...fields });

function subscription(fields: Partial<Subscription> = {}): Subscription {
  return {
    id: 'sub_1', customerId: 'cus_1', currency: 'EUR', billingTiming: 'advance', startDate: '2026-01-01', trialEnd: null, endDate: null,
    cancelAtPeriodEnd: false, canceledAt: null, includeUnbilledWork: false, interval: 'monthly', intervalCount: 1, anchorDay: 1, items: [item('31.00')], changes: [],
    billedThrough: null, usageBilledThrough: null, createdAt: '2026-01-01T00:00:00Z', ...fields,
  };
}

function change(fields: Partial<SubscriptionChange> & Pick<SubscriptionChange, 'effectiveDate'>): SubscriptionChange {
  return { id: `sch_${fields.effectiveDate}`, prorate: true, cycle: null, items: null, adjustmentBilled: false, createdAt: '', ...fields };
}

/** Each charge as "type start..end: amounts" with line amounts in cents, as the invoice will compute them. */
function summary(charges: Charge[]): string[] {
  return charges.map((charge) => {
    const amounts = charge.lines.map((line) => roundToInteger(multiply(multiply(decimal(line.quantity), decimal(line.unitPrice)), decimal('100')), 'half_up'));
    return `${charge.contractType} ${charge.periodStart}..${charge.periodEnd}: ${amounts.join(' ')}`;
  });
}

const run = (sub: Subscription, date: string, usage: UsageTotal[] = []) => summary(subscriptionCharges(sub, usage, date, 'half_up'));

test('advance: each period on its first day, whole; a missed run catches up', () => {
  const sub = subscription({ startDate: '2026-01-31', anchorDay: 31, items: [item('100.00')] });
  assert.deepEqual(run(sub, '2026-01-30'), []);
  assert.deepEqual(run(sub, '2026-01-31'), ['subscription 2026-01-31..2026-02-28: 10000']);
  assert.deepEqual(run(sub, '2026-03-31'), [
    'subscription 2026-01-31..2026-02-28: 10000', 'subscription 2026-02-28..2026-03-31: 10000', 'subscription 2026-03-31..2026-04-30: 10000',
  ]);
});

test('arrears: a period on its end date', () => {
  const sub = subscription({ billingTiming: 'arrears' });
  assert.deepEqual(run(sub, '2026-01-31'), []);
  assert.deepEqual(run(sub, '2026-02-01'), ['subscription 2026-01-01..2026-02-01: 3100']);
});

test('the watermark skips what is billed', () => {
  const sub = subscription({ billedThrough: '2026-02-01' });
  assert.deepEqual(run(sub, '2026-03-01'), ['subscription 2026-03-01..2026-04-01: 3100']);
});

test('a stub to the anchor day is prorated against the whole month', () => {
  const sub = subscription({ startDate: '2026-03-15', anchorDay: 1 });
  assert.deepEqual(run(sub, '2026-03-15'), ['subscription 2026-03-15..2026-04-01: 1700']); // 17/31 × 31.00
});

test('seats: quantity × unit price, the line the invoice rounds once', () => {
  const sub = subscription({ items: [item('9.99', '12'), item('0.333333', '3', { description: 'Add-on' })] });
  assert.deepEqual(run(sub, '2026-01-01'), ['subscription 2026-01-01..2026-02-01: 11988 100']);
});

test('a trial ending mid-period: advance bills the rest of the period when the trial ends', () => {
  const sub = subscription({ trialEnd: '2026-01-11' });
  assert.deepEqual(run(sub, '2026-01-10'), []);
  assert.deepEqual(run(sub, '2026-01-11'), ['subscription 2026-01-01..2026-02-01: 2100']); // 21/31 × 31.00
  const line = subscriptionCharges(sub, [], '2026-01-11', 'half_up')[0]!.lines[0]!;
  assert.deepEqual([line.serviceStart, line.serviceEnd, line.quantity, line.unitPrice], ['2026-01-11', '2026-01-31', '1', '21']);
});

test('a trial ending mid-period: arrears bills the same 21 days at the period end', () => {
  const sub = subscription({ billingTiming: 'arrears', trialEnd: '2026-01-11' });
  assert.deepEqual(run(sub, '2026-02-01'), ['subscription 2026-01-01..2026-02-01: 2100']);
});

test('a trial over whole periods bills nothing for them', () => {
  const sub = subscription({ trialEnd: '2026-03-01' });
  assert.deepEqual(run(sub, '2026-03-01'), ['subscription 2026-03-01..2026-04-01: 3100']);
});

test('cancel at period end: nothing after the end', () => {
  const sub = subscription({ endDate: '2026-03-01', cancelAtPeriodEnd: true, canceledAt: '2026-02-10T00:00:00Z' });
  assert.deepEqual(run(sub, '2026-06-01'), ['subscription 2026-01-01..2026-02-01: 3100', 'subscription 2026-02-01..2026-03-01: 3100']);
});

test('an end inside a period prorates it (advance and arrears alike)', () => {
  assert.deepEqual(run(subscription({ endDate: '2026-01-16' }), '2026-01-01'), ['subscription 2026-01-01..2026-01-16: 1500']);
  assert.deepEqual(run(subscription({ endDate: '2026-01-16', billingTiming: 'arrears' }), '2026-01-15'), []);
  assert.deepEqual(run(subscription({ endDate: '2026-01-16', billingTiming: 'arrears' }), '2026-01-16'), ['subscription 2026-01-01..2026-01-16: 1500']);
});

test('leap years: a yearly plan from Feb 29 renews on Feb 28, 365 days later', () => {
  const sub = subscription({ startDate: '2028-02-29', anchorDay: 29, interval: 'yearly', items: [item('365.00')], billedThrough: '2028-02-29' });
  assert.deepEqual(run(sub, '2029-02-27'), []);
  assert.deepEqual(run(sub, '2029-02-28'), ['subscription 2029-02-28..2030-02-28: 36500']);
});

test('upgrade mid-period in advance: credit the unused old, charge the new, on the day of the change', () => {
  const sub = subscription({
    items: [item('10.00', '5')], billedThrough: '2026-01-01',
    changes: [change({ effectiveDate: '2026-01-16', items: [item('10.00', '8')] })],
  });
  // 16 of 31 days left: credit 50.00 × 16/31 = 25.81; the difference 30.00 × 16/31 = 15.48; charge 41.29 (= 80.00 × 16/31)
  assert.deepEqual(run(sub, '2026-01-16'), ['subscription_change 2026-01-16..2026-02-01: -2581 4129']);
  assert.deepEqual(run(sub, '2026-02-01'), ['subscription 2026-02-01..2026-03-01: 8000', 'subscription_change 2026-01-16..2026-02-01: -2581 4129']);
});

test('downgrade mid-period in arrears: the period bills the old items and the adjustment at its end', () => {
  const sub = subscription({
    billingTiming: 'arrears', items: [item('100.00')],
    changes: [change({ effectiveDate: '2026-01-22', items: [item('50.00')] })],
  });
  assert.deepEqual(run(sub, '2026-01-31'), []);
  // 10 of 31 days: credit 32.26, difference −16.13, charge 16.13: the customer pays 100 − 16.13 = 83.87
  assert.deepEqual(run(sub, '2026-02-01'), ['subscription 2026-01-01..2026-02-01: 10000', 'subscription_change 2026-01-22..2026-02-01: -3226 1613']);
  assert.deepEqual(run({ ...sub, billedThrough: '2026-01-01', changes: [{ ...sub.changes[0]!, adjustmentBilled: true }] }, '2026-03-01'), [
    'subscription 2026-02-01..2026-03-01: 5000',
  ]);
});

test('downgrade mid-period in advance: the net credit waits for the next period, on its invoice', async () => {
  const sub = subscription({ items: [item('100.00')], billedThrough: '2026-01-01', changes: [change({ effectiveDate: '2026-01-22', items: [item('50.00')] })] });
  assert.deepEqual(run(sub, '2026-01-22'), []);
  assert.deepEqual(run(sub, '2026-02-01'), ['subscription 2026-02-01..2026-03-01: 5000', 'subscription_change 2026-01-22..2026-02-01: -3226 1613']);
});

test('a change that keeps some items as they were credits and charges only the others', () => {
  const support = item('20.00', '1', { description: 'Support' });
  const sub = subscription({ items: [item('10.00', '5'), support], billedThrough: '2026-01-01', changes: [change({ effectiveDate: '2026-01-16', items: [item('10.00', '6'), { ...support, id: 'sbi_new' }] })] });
  assert.deepEqual(run(sub, '2026-01-16'), ['subscription_change 2026-01-16..2026-02-01: -2581 3097']);
});

test('a change without proration waits for the next period and adjusts nothing', () => {
  const sub = subscription({ items: [item('10.00', '5')], billedThrough: '2026-01-01', changes: [change({ effectiveDate: '2026-02-01', prorate: false, items: [item('10.00', '8')] })] });
  assert.deepEqual(run(sub, '2026-02-01'), ['subscription 2026-02-01..2026-03-01: 8000']);
});

test('monthly → yearly in advance: credit the unused part of the month, then bill the year from the change', () => {
  const sub = subscription({
    billedThrough: '2026-01-01',
    changes: [change({ effectiveDate: '2026-01-16', cycle: { interval: 'yearly', intervalCount: 1, anchorDay: 16 }, items: [item('365.00')] })],
  });
  // 16 of 31 days of 31.00 unused: 16.00 back; the year from Jan 16 is billed whole
  assert.deepEqual(run(sub, '2026-01-16'), ['subscription 2026-01-16..2027-01-16: 36500', 'subscription_change 2026-01-16..2026-02-01: -1600']);
});

test('monthly → yearly in arrears: the month is cut at the change and bills its used days; the year bills at its end', () => {
  const sub = subscription({
    billingTiming: 'arrears',
    changes: [change({ effectiveDate: '2026-01-16', cycle: { interval: 'yearly', intervalCount: 1, anchorDay: 16 }, items: [item('365.00')] })],
  });
  assert.deepEqual(run(sub, '2026-01-16'), ['subscription 2026-01-01..2026-01-16: 1500']);
  assert.deepEqual(run({ ...sub, billedThrough: '2026-01-01' }, '2027-01-16'), ['subscription 2026-01-16..2027-01-16: 36500']);
});

test('a change of items during the trial prorates only from the trial end', () => {
  const sub = subscription({ trialEnd: '2026-01-11', items: [item('31.00')], changes: [change({ effectiveDate: '2026-01-06', items: [item('62.00')] })] });
  // The period bills 21 days of the old price; the adjustment swaps them for 21 days of the new one.
  assert.deepEqual(run(sub, '2026-01-11'), ['subscription 2026-01-01..2026-02-01: 2100', 'subscription_change 2026-01-06..2026-02-01: -2100 4200']);
});

test('usage of metered items is billed at the end of each period, also when the plan is in advance', () => {
  const api = item('0.002', '0', { metered: true, description: 'API calls' });
  const sub = subscription({ items: [item('31.00'), api], billedThrough: '2026-02-01' });
  const usage = [
    { subscriptionItemId: api.id, date: '2026-01-05', quantity: '1000' },
    { subscriptionItemId: api.id, date: '2026-01-31', quantity: '1500' },
    { subscriptionItemId: api.id, date: '2026-02-01', quantity: '7' },
  ];
  assert.deepEqual(run(sub, '2026-01-31', usage), []);
  assert.deepEqual(run(sub, '2026-02-01', usage), ['subscription_usage 2026-01-01..2026-02-01: 500']);
  assert.equal(subscriptionCharges(sub, usage, '2026-02-01', 'half_up')[0]!.lines[0]!.quantity, '2500');
});
