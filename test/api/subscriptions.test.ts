/**
 * The subscription API: creating, reading, changing, cancelling, usage; what each refuses. The
 * clock is set per test (the organization is in Europe/Berlin).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi, type Tenant } from '../helpers/api.ts';
import { createCustomer, createTaxRate, expectStatus } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';

const expectProblem = (response: Parameters<typeof assertProblem>[0], status: number, code: string, field?: string) =>
  assertProblem(response, { status, code, ...(field ? { field } : {}) });

const api = await createTestApi('2026-03-15T10:00:00Z');
const firm = await api.tenant();
const customer = await createCustomer(firm, { name: 'Initech' });
const vat = await createTaxRate(firm, '19');

const at = (day: string) => {
  api.clock.at = new Date(`${day}T10:00:00Z`);
};

async function subscribe(firmOrBody: Tenant | Record<string, unknown>, body?: Record<string, unknown>): Promise<any> {
  const [tenant, fields] = 'request' in firmOrBody ? [firmOrBody as Tenant, body ?? {}] : [firm, firmOrBody];
  return expectStatus(await tenant.request('POST', '/v1/subscriptions', {
    customerId: customer.id, items: [{ description: 'Pro plan', unitPrice: '49.00', quantity: '5', taxRateIds: [vat] }],
    interval: 'monthly', startDate: '2026-03-01', billingTiming: 'advance', ...fields,
  }), 201);
}

test('POST /v1/subscriptions creates a subscription with its current period and items', async () => {
  at('2026-03-15');
  const created = await subscribe({ anchorDay: 1 });
  assert.match(created.id, /^sub_/);
  assert.deepEqual(
    [created.status, created.currency, created.interval, created.intervalCount, created.anchorDay, created.billingTiming, created.currentPeriod],
    ['active', 'EUR', 'monthly', 1, 1, 'advance', { start: '2026-03-01', end: '2026-04-01' }],
  );
  assert.deepEqual(created.items.map((i: any) => [i.description, i.unitPrice, i.quantity, i.metered, i.taxRateIds]), [['Pro plan', '49', '5', false, [vat]]]);
  assert.deepEqual(expectStatus(await firm.request('GET', `/v1/subscriptions/${created.id}`), 200), created);
});

test('the anchor defaults to the start day; the status follows the clock', async () => {
  at('2026-01-20');
  const created = await subscribe({ startDate: '2026-01-31', trialEnd: '2026-02-14' });
  assert.deepEqual([created.anchorDay, created.status, created.currentPeriod], [31, 'scheduled', null]);
  at('2026-02-01');
  const trialing = expectStatus(await firm.request('GET', `/v1/subscriptions/${created.id}`), 200);
  assert.deepEqual([trialing.status, trialing.currentPeriod], ['trialing', { start: '2026-01-31', end: '2026-02-28' }]);
  at('2026-03-01');
  assert.equal(expectStatus(await firm.request('GET', `/v1/subscriptions/${created.id}`), 200).status, 'active');
});

test('an item from the catalog gives its name, price and tax rates', async () => {
  at('2026-03-15');
  const item = expectStatus(await firm.request('POST', '/v1/items', { name: 'Hosting', unitPrice: '12.50', taxRateIds: [vat] }), 201);
  const created = await subscribe({ items: [{ itemId: item.id, quantity: '2' }] });
  assert.deepEqual(created.items.map((i: any) => [i.itemId, i.description, i.unitPrice, i.quantity, i.taxRateIds]), [[item.id, 'Hosting', '12.5', '2', [vat]]]);
});

test('bad input names the field', async () => {
  at('2026-03-15');
  const cases: Array<[Record<string, unknown>, number, string, string]> = [
    [{ interval: 'daily' }, 400, 'invalid_request', 'interval'],
    [{ billingTiming: 'later' }, 400, 'invalid_request', 'billingTiming'],
    [{ startDate: '2026-02-30' }, 400, 'invalid_request', 'startDate'],
    [{ items: [] }, 400, 'invalid_request', 'items'],
    [{ items: [{ description: 'x', unitPrice: '1e3' }] }, 400, 'invalid_request', 'items.0.unitPrice'],
    [{ items: [{ description: 'x', unitPrice: '-5' }] }, 422, 'invalid_input', 'items.0.unitPrice'],
    [{ items: [{ unitPrice: '5' }] }, 422, 'invalid_input', 'items.0.description'],
    [{ items: [{ description: 'x' }] }, 422, 'invalid_input', 'items.0.unitPrice'],
    [{ items: [{ description: 'x', unitPrice: '1', taxRateIds: ['tax_nope'] }] }, 422, 'tax_rate_not_found', 'items.0.taxRateIds.0'],
    [{ items: [{ description: 'x', unitPrice: '1', metered: true, quantity: '3' }] }, 422, 'invalid_input', 'items.0.quantity'],
    [{ trialEnd: '2026-03-01' }, 422, 'invalid_input', 'trialEnd'],
    [{ endDate: '2026-02-01' }, 422, 'invalid_input', 'endDate'],
    [{ interval: 'weekly', anchorDay: 8 }, 422, 'invalid_input', 'anchorDay'],
    [{ customerId: 'cus_nope' }, 422, 'customer_not_found', 'customerId'],
    [{ currency: 'USD' }, 422, 'currency_mismatch', 'currency'],
    [{ intervalCount: 0 }, 400, 'invalid_request', 'intervalCount'],
  ];
  for (const [fields, status, code, field] of cases) {
    const response = await firm.request('POST', '/v1/subscriptions', {
      customerId: customer.id, items: [{ description: 'Plan', unitPrice: '10' }], interval: 'monthly', startDate: '2026-03-01', billingTiming: 'advance', ...fields,
    });
    expectProblem(response, status, code, field);
  }
});

test('GET /v1/subscriptions lists newest first, by customer, with cursors', async () => {
  const other = await createCustomer(firm, { name: 'Umbrella' });
  const first = await subscribe({ customerId: other.id });
  const second = await subscribe({ customerId: other.id });
  const page = expectStatus(await firm.request('GET', `/v1/subscriptions?customerId=${other.id}&limit=1`), 200);
  assert.deepEqual(page.data.map((s: any) => s.id), [second.id]);
  const next = expectStatus(await firm.request('GET', `/v1/subscriptions?customerId=${other.id}&limit=1&cursor=${page.nextCursor}`), 200);
  assert.deepEqual([next.data.map((s: any) => s.id), next.nextCursor], [[first.id], null]);
});

test('changes: prorated today, or from the next period; in date order; deletable until they take effect', async () => {
  at('2026-03-15');
  const created = await subscribe({ anchorDay: 1 });
  const upgraded = expectStatus(await firm.request('POST', `/v1/subscriptions/${created.id}/changes`, {
    items: [{ description: 'Pro plan', unitPrice: '49.00', quantity: '8', taxRateIds: [vat] }], prorate: true,
  }), 200);
  assert.deepEqual(upgraded.changes.map((c: any) => [c.effectiveDate, c.prorate, c.interval]), [['2026-03-15', true, null]]);
  assert.equal(upgraded.items[0].quantity, '8');

  const yearly = expectStatus(await firm.request('POST', `/v1/subscriptions/${created.id}/changes`, { interval: 'yearly', prorate: false }), 200);
  assert.deepEqual(yearly.changes.at(-1), { ...yearly.changes.at(-1), effectiveDate: '2026-04-01', interval: 'yearly', intervalCount: 1, anchorDay: 1, items: null });

  expectProblem(await firm.request('POST', `/v1/subscriptions/${created.id}/changes`, { effectiveDate: '2026-03-20', items: [{ description: 'x', unitPrice: '1' }], prorate: true }), 409, 'change_out_of_order');
  expectProblem(await firm.request('POST', `/v1/subscriptions/${created.id}/changes`, { effectiveDate: '2026-03-01', interval: 'weekly', prorate: true }), 422, 'effective_date_in_past', 'effectiveDate');
  expectProblem(await firm.request('POST', `/v1/subscriptions/${created.id}/changes`, { prorate: true }), 422, 'nothing_to_change', 'items');
  expectProblem(await firm.request('DELETE', `/v1/subscriptions/${created.id}/changes/${upgraded.changes[0].id}`), 409, 'change_in_effect');

  const back = expectStatus(await firm.request('DELETE', `/v1/subscriptions/${created.id}/changes/${yearly.changes.at(-1).id}`), 200);
  assert.equal(back.changes.length, 1);
});

test('cancel at period end, or now; a cancelled subscription takes no changes', async () => {
  at('2026-03-15');
  const created = await subscribe({ anchorDay: 1 });
  const atEnd = expectStatus(await firm.request('POST', `/v1/subscriptions/${created.id}/cancel`, { atPeriodEnd: true }), 200);
  assert.deepEqual([atEnd.endDate, atEnd.cancelAtPeriodEnd, atEnd.status], ['2026-04-01', true, 'active']);
  const now = expectStatus(await firm.request('POST', `/v1/subscriptions/${created.id}/cancel`, { atPeriodEnd: false }), 200);
  assert.deepEqual([now.endDate, now.status], ['2026-03-15', 'canceled']);
  expectProblem(await firm.request('POST', `/v1/subscriptions/${created.id}/cancel`, {}), 409, 'subscription_ended');
  expectProblem(await firm.request('POST', `/v1/subscriptions/${created.id}/changes`, { interval: 'yearly', prorate: false }), 409, 'subscription_ended');
});

test('cancelling before the start ends it on its start: nothing is ever billed', async () => {
  at('2026-03-15');
  const created = await subscribe({ startDate: '2026-04-01' });
  const cancelled = expectStatus(await firm.request('POST', `/v1/subscriptions/${created.id}/cancel`, {}), 200);
  assert.deepEqual([cancelled.endDate, cancelled.status, cancelled.currentPeriod], ['2026-04-01', 'canceled', null]);
});

test('cancelling during the trial at period end ends with the trial', async () => {
  at('2026-03-15');
  const created = await subscribe({ startDate: '2026-03-10', trialEnd: '2026-03-24' });
  const cancelled = expectStatus(await firm.request('POST', `/v1/subscriptions/${created.id}/cancel`, {}), 200);
  assert.equal(cancelled.endDate, '2026-03-24');
});

test('usage: recorded on metered items, refused in the future, for unknown items and for plans without them', async () => {
  at('2026-03-15');
  const created = await subscribe({ items: [{ description: 'Base', unitPrice: '10' }, { description: 'API calls', unitPrice: '0.002', metered: true }] });
  const metered = created.items.find((i: any) => i.metered);
  assert.equal(metered.quantity, '0');
  const usage = expectStatus(await firm.request('POST', `/v1/subscriptions/${created.id}/usage`, { quantity: '1200', date: '2026-03-14' }), 201);
  assert.deepEqual([usage.subscriptionItemId, usage.date, usage.quantity], [metered.id, '2026-03-14', '1200']);
  expectProblem(await firm.request('POST', `/v1/subscriptions/${created.id}/usage`, { quantity: '1', date: '2026-03-16' }), 422, 'usage_date_in_future', 'date');
  expectProblem(await firm.request('POST', `/v1/subscriptions/${created.id}/usage`, { quantity: '1', subscriptionItemId: created.items[0].id }), 422, 'metered_item_not_found', 'subscriptionItemId');
  expectProblem(await firm.request('POST', `/v1/subscriptions/${created.id}/usage`, { quantity: '0' }), 422, 'invalid_input', 'quantity');
  const plain = await subscribe({});
  expectProblem(await firm.request('POST', `/v1/subscriptions/${plain.id}/usage`, { quantity: '1' }), 422, 'metered_item_not_found', 'subscriptionItemId');
});

test("another organization's subscription answers 404", async () => {
  const created = await subscribe({});
  const other = await api.tenant({ name: 'Other Firm' });
  expectProblem(await other.request('GET', `/v1/subscriptions/${created.id}`), 404, 'subscription_not_found');
  expectProblem(await other.request('POST', `/v1/subscriptions/${created.id}/cancel`, {}), 404, 'subscription_not_found');
  expectProblem(await other.request('POST', '/v1/subscriptions', {
    customerId: customer.id, items: [{ description: 'x', unitPrice: '1' }], interval: 'monthly', startDate: '2026-03-01', billingTiming: 'advance',
  }), 422, 'customer_not_found', 'customerId');
});

test('/openapi.json documents the subscription and billing-run routes', async () => {
  const document = (await api.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  for (const [path, method] of [
    ['/v1/subscriptions', 'post'], ['/v1/subscriptions/{id}', 'get'], ['/v1/subscriptions/{id}/changes', 'post'],
    ['/v1/subscriptions/{id}/cancel', 'post'], ['/v1/subscriptions/{id}/usage', 'post'], ['/v1/billing-runs', 'post'],
  ] as const) assert.ok(document.paths[path]?.[method], `${method} ${path}`);
});
