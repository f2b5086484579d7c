/**
 * The billing run through the API (POST /v1/billing-runs) with a clock that travels: what each
 * kind of subscription bills on which day, and that nothing is ever billed twice. Each test has
 * its own organization, so runs and counts do not mix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi, type Tenant } from '../helpers/api.ts';
import { assertLedgerVerifies, createCustomer, createTaxRate, expectStatus, getInvoice, issueInvoice } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';

const api = await createTestApi('2026-03-01T10:00:00Z');

const at = (day: string) => {
  api.clock.at = new Date(`${day}T10:00:00Z`);
};

type Firm = { tenant: Tenant; customerId: string; vat: string };

async function firm(): Promise<Firm> {
  const tenant = await api.tenant({ timeZone: 'Europe/Berlin' });
  const customer = await createCustomer(tenant, { name: 'Initech' });
  return { tenant, customerId: customer.id, vat: await createTaxRate(tenant, '19') };
}

async function subscribe(f: Firm, fields: Record<string, unknown> = {}): Promise<any> {
  return expectStatus(await f.tenant.request('POST', '/v1/subscriptions', {
    customerId: f.customerId, items: [{ description: 'Pro plan', unitPrice: '49.00', quantity: '5', taxRateIds: [f.vat] }],
    interval: 'monthly', startDate: '2026-03-01', billingTiming: 'advance', ...fields,
  }), 201);
}

async function bill(f: Firm, day: string, fields: Record<string, unknown> = {}): Promise<any> {
  at(day);
  return expectStatus(await f.tenant.request('POST', '/v1/billing-runs', { date: day, ...fields }), 200);
}

/** The lines of the run's invoices as "description: net" in order. */
async function linesOf(f: Firm, run: any): Promise<string[][]> {
  const invoices = await Promise.all(run.invoices.map((i: any) => getInvoice(f.tenant, i.invoiceId)));
  return invoices.map((invoice) => invoice.lines.map((line: any) => `${line.description} ${line.serviceStart}..${line.serviceEnd}: ${line.net}`));
}

test('advance bills the period on its first day; arrears on the day after it ends', async () => {
  const f = await firm();
  await subscribe(f, { billingTiming: 'advance' });
  const arrears = await createCustomer(f.tenant, { name: 'Arrears Ltd' });
  await subscribe(f, { customerId: arrears.id, billingTiming: 'arrears', items: [{ description: 'Support', unitPrice: '100.00', taxRateIds: [f.vat] }] });

  const march = await bill(f, '2026-03-01');
  assert.deepEqual([march.invoicesCreated, march.chargesBilled], [1, 1]);
  assert.deepEqual(march.invoices.map((i: any) => [i.customerId, i.subtotal, i.taxTotal, i.total]), [[f.customerId, '245.00', '46.55', '291.55']]);
  assert.deepEqual(await linesOf(f, march), [['Pro plan 2026-03-01..2026-03-31: 245.00']]);
  const draft = await getInvoice(f.tenant, march.invoices[0].invoiceId);
  assert.deepEqual([draft.status, draft.lines[0].quantity, draft.lines[0].unitPrice, draft.lines[0].taxRateIds], ['draft', '5', '49', [f.vat]]);

  assert.equal((await bill(f, '2026-03-31')).invoicesCreated, 0);
  const april = await bill(f, '2026-04-01');
  assert.deepEqual(april.invoices.map((i: any) => [i.customerId, i.total]).sort(), [[arrears.id, '119.00'], [f.customerId, '291.55']].sort());
});

test('running again bills nothing twice', async () => {
  const f = await firm();
  await subscribe(f);
  assert.equal((await bill(f, '2026-03-01')).invoicesCreated, 1);
  const again = await bill(f, '2026-03-01');
  assert.deepEqual([again.invoicesCreated, again.chargesBilled, again.invoices], [0, 0, []]);
  assert.equal((await bill(f, '2026-03-20')).invoicesCreated, 0);
});

test('a missed day is caught up: every period due since the last run', async () => {
  const f = await firm();
  await subscribe(f, { startDate: '2026-01-31', anchorDay: 31, items: [{ description: 'Plan', unitPrice: '10.00' }] });
  const run = await bill(f, '2026-03-31');
  assert.deepEqual(run.invoices[0].charges.map((c: any) => c.periodStart), ['2026-01-31', '2026-02-28', '2026-03-31']);
  assert.equal(run.invoices[0].total, '30.00');
});

test('one invoice per customer and currency, with every due charge of the day', async () => {
  const f = await firm();
  await subscribe(f);
  await subscribe(f, { items: [{ description: 'Hosting', unitPrice: '12.50' }] });
  const run = await bill(f, '2026-03-01');
  assert.equal(run.invoicesCreated, 1);
  assert.equal(run.chargesBilled, 2);
  assert.equal(run.invoices[0].total, '304.05'); // 245.00 + 19 % + 12.50
});

test('a trial ending mid-period bills the rest of the period on the day it ends', async () => {
  const f = await firm();
  await subscribe(f, { trialEnd: '2026-03-11', items: [{ description: 'Plan', unitPrice: '31.00' }] });
  assert.equal((await bill(f, '2026-03-10')).invoicesCreated, 0);
  const run = await bill(f, '2026-03-11');
  assert.deepEqual(await linesOf(f, run), [['Plan (1 × 31, 21/31 days) 2026-03-11..2026-03-31: 21.00']]);
});

test('cancel at period end: the last period is billed, nothing after it', async () => {
  const f = await firm();
  const sub = await subscribe(f, { items: [{ description: 'Plan', unitPrice: '31.00' }] });
  await bill(f, '2026-03-01');
  at('2026-03-20');
  expectStatus(await f.tenant.request('POST', `/v1/subscriptions/${sub.id}/cancel`, { atPeriodEnd: true }), 200);
  assert.equal((await bill(f, '2026-04-01')).invoicesCreated, 0);
  assert.equal((await bill(f, '2026-05-01')).invoicesCreated, 0);
});

test('cancel now in arrears bills the days used', async () => {
  const f = await firm();
  const sub = await subscribe(f, { billingTiming: 'arrears', items: [{ description: 'Plan', unitPrice: '31.00' }] });
  at('2026-03-11');
  expectStatus(await f.tenant.request('POST', `/v1/subscriptions/${sub.id}/cancel`, { atPeriodEnd: false }), 200);
  const run = await bill(f, '2026-03-11');
  assert.deepEqual(await linesOf(f, run), [['Plan (1 × 31, 10/31 days) 2026-03-01..2026-03-10: 10.00']]);
});

test('an upgrade mid-period credits the unused old seats and charges the new ones on the next run', async () => {
  const f = await firm();
  const sub = await subscribe(f, { items: [{ description: 'Seats', unitPrice: '10.00', quantity: '5' }] });
  await bill(f, '2026-03-01');
  at('2026-03-17');
  expectStatus(await f.tenant.request('POST', `/v1/subscriptions/${sub.id}/changes`, { items: [{ description: 'Seats', unitPrice: '10.00', quantity: '8' }], prorate: true }), 200);
  const run = await bill(f, '2026-03-17');
  // 15 of 31 days left: credit 50.00 × 15/31 = 24.19; the difference 30.00 × 15/31 = 14.52; charge 38.71
  assert.deepEqual(await linesOf(f, run), [[
    'Unused Seats (5 × 10, 15/31 days from 2026-03-17) 2026-03-17..2026-03-31: -24.19',
    'Remaining Seats (8 × 10, 15/31 days from 2026-03-17) 2026-03-17..2026-03-31: 38.71',
  ]]);
  assert.equal(run.invoices[0].total, '14.52');
  const april = await bill(f, '2026-04-01');
  assert.equal(april.invoices[0].total, '80.00');
});

test('monthly → yearly in advance credits the unused month exactly and bills the year from the change', async () => {
  const f = await firm();
  const sub = await subscribe(f, { items: [{ description: 'Plan', unitPrice: '31.00' }] });
  await bill(f, '2026-03-01');
  at('2026-03-17');
  expectStatus(await f.tenant.request('POST', `/v1/subscriptions/${sub.id}/changes`, {
    interval: 'yearly', items: [{ description: 'Plan (yearly)', unitPrice: '300.00' }], prorate: true,
  }), 200);
  const run = await bill(f, '2026-03-17');
  assert.deepEqual(await linesOf(f, run), [[
    'Unused Plan (1 × 31, 15/31 days from 2026-03-17) 2026-03-17..2026-03-31: -15.00',
    'Plan (yearly) 2026-03-17..2027-03-16: 300.00',
  ]]);
  assert.equal((await bill(f, '2026-04-01')).invoicesCreated, 0);
});

test('usage of a metered item is billed at the end of its period', async () => {
  const f = await firm();
  const sub = await subscribe(f, { items: [{ description: 'Base', unitPrice: '10.00' }, { description: 'API calls', unitPrice: '0.002', metered: true }] });
  await bill(f, '2026-03-01');
  at('2026-03-20');
  expectStatus(await f.tenant.request('POST', `/v1/subscriptions/${sub.id}/usage`, { quantity: '1000', date: '2026-03-05' }), 201);
  expectStatus(await f.tenant.request('POST', `/v1/subscriptions/${sub.id}/usage`, { quantity: '2500' }), 201);
  const run = await bill(f, '2026-04-01');
  assert.deepEqual((await linesOf(f, run))[0]!.sort(), ['API calls 2026-03-01..2026-03-31: 7.00', 'Base 2026-04-01..2026-04-30: 10.00']);
  assertProblem(await f.tenant.request('POST', `/v1/subscriptions/${sub.id}/usage`, { quantity: '1', date: '2026-03-31' }), { status: 409, code: 'usage_period_billed' });
});

test('dry run: says what would be billed and writes nothing; the real run then bills exactly that', async () => {
  const f = await firm();
  const sub = await subscribe(f);
  const before = await counts(f);
  const dry = await bill(f, '2026-03-01', { dryRun: true });
  assert.deepEqual([dry.dryRun, dry.runId, dry.invoicesCreated, dry.invoices[0].invoiceId, dry.invoices[0].total], [true, null, 1, null, '291.55']);
  assert.deepEqual(await counts(f), before);
  assert.equal(expectStatus(await f.tenant.request('GET', `/v1/subscriptions/${sub.id}`), 200).changes.length, 0);
  const real = await bill(f, '2026-03-01');
  assert.deepEqual(real.invoices.map((i: any) => [i.customerId, i.total, i.charges]), dry.invoices.map((i: any) => [i.customerId, i.total, i.charges]));
  assert.equal((await bill(f, '2026-03-01', { dryRun: true })).invoicesCreated, 0);
});

test('an archived customer is skipped (and stays due); deleting a generated draft does not bill it again', async () => {
  const f = await firm();
  await subscribe(f);
  expectStatus(await f.tenant.request('POST', `/v1/customers/${f.customerId}/archive`), 200);
  const skipped = await bill(f, '2026-03-01');
  assert.deepEqual([skipped.invoicesCreated, skipped.skipped.map((s: any) => s.reason)], [0, ['customer_archived']]);
  expectStatus(await f.tenant.request('POST', `/v1/customers/${f.customerId}/unarchive`), 200);
  const run = await bill(f, '2026-03-02');
  assert.equal(run.invoicesCreated, 1);
  expectStatus(await f.tenant.request('DELETE', `/v1/invoices/${run.invoices[0].invoiceId}`), 204);
  assert.equal((await bill(f, '2026-03-02')).invoicesCreated, 0);
});

test('generated drafts issue like any other; the ledger verifies', async () => {
  const f = await firm();
  await subscribe(f);
  const run = await bill(f, '2026-03-01');
  const issued = await issueInvoice(f.tenant, run.invoices[0].invoiceId);
  assert.equal(issued.total, '291.55');
  await assertLedgerVerifies(f.tenant);
});

test('a run for a future date is refused; the run is recorded with its counts', async () => {
  const f = await firm();
  await subscribe(f);
  at('2026-03-01');
  assertProblem(await f.tenant.request('POST', '/v1/billing-runs', { date: '2026-03-02' }), { status: 422, code: 'billing_date_in_future', field: 'date' });
  const run = expectStatus(await f.tenant.request('POST', '/v1/billing-runs', {}), 200);
  assert.equal(run.date, '2026-03-01');
  const recorded = expectStatus(await f.tenant.request('GET', `/v1/billing-runs/${run.runId}`), 200);
  assert.deepEqual([recorded.date, recorded.invoicesCreated, recorded.chargesBilled, recorded.customersProcessed, typeof recorded.finishedAt], ['2026-03-01', 1, 1, 1, 'string']);
  assert.equal(expectStatus(await f.tenant.request('GET', '/v1/billing-runs'), 200).data[0].id, run.runId);
});

async function counts(f: Firm): Promise<number[]> {
  const { rows } = await api.db.pool.query(
    `select (select count(*) from invoices where organization_id = $1)::int as invoices,
            (select count(*) from billing_run_items where organization_id = $1)::int as items,
            (select count(*) from billing_runs where organization_id = $1)::int as runs`,
    [f.tenant.organizationId],
  );
  return [rows[0].invoices, rows[0].items, rows[0].runs];
}

test('an Idempotency-Key replays the first run instead of running again', async () => {
  const f = await firm();
  await subscribe(f);
  at('2026-03-01');
  const first = expectStatus(await f.tenant.request('POST', '/v1/billing-runs', { date: '2026-03-01' }, { 'idempotency-key': 'run-2026-03-01' }), 200);
  const replay = await f.tenant.request('POST', '/v1/billing-runs', { date: '2026-03-01' }, { 'idempotency-key': 'run-2026-03-01' });
  assert.deepEqual([replay.status, replay.headers['idempotent-replayed'], replay.body], [200, 'true', first]);
  assert.deepEqual(await counts(f), [1, 1, 1]);
});
