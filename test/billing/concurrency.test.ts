/**
 * Billing runs racing each other: several runs of one date at once, each on its own pool (as
 * separate processes would be), in small batches so that they interleave; and two runs over real
 * HTTP. However they interleave, each (contract, period) is billed once and every due one is.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/http/app.ts';
import { runBilling, type ChargeSource } from '../../src/modules/billing/index.ts';
import { createCustomer } from '../../src/modules/customers/index.ts';
import { createOrganization } from '../../src/modules/setup/index.ts';
import { createSubscription, subscriptionChargeSource } from '../../src/modules/subscriptions/index.ts';
import { createPool, type Pool } from '../../src/shared/db.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

const db = await createTestDatabase();
const clock = { at: new Date('2026-03-01T10:00:00Z'), now() { return this.at; } };
const pools: Pool[] = [];
after(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  await db.drop();
});

/** An organization with `customers` customers, every third with a second subscription. */
async function organization(customers: number): Promise<{ organizationId: string; apiKey: string; charges: number }> {
  const { organizationId, apiKey } = await createOrganization(db.pool, { legalName: 'Race Billing', baseCurrency: 'EUR', ownerEmail: 'o@race.example', timeZone: 'UTC' });
  let charges = 0;
  for (let i = 0; i < customers; i++) {
    const customer = await createCustomer(db.pool, organizationId, { name: `Customer ${i}`, currency: 'EUR' });
    for (let s = 0; s < (i % 3 === 0 ? 2 : 1); s++, charges++) {
      await createSubscription(db.pool, clock, organizationId, {
        customerId: customer.id, items: [{ description: `Plan ${s}`, unitPrice: '10.00', quantity: String(1 + (i % 4)) }],
        interval: 'monthly', startDate: '2026-03-01', billingTiming: 'advance',
      });
    }
  }
  return { organizationId, apiKey, charges };
}

/** What is billed, checked from the tables: each key once, each invoice with exactly its claims' lines. */
async function assertBilledOnce(organizationId: string, expected: { invoices: number; charges: number }): Promise<void> {
  const { rows } = await db.pool.query(
    `select (select count(*) from billing_run_items where organization_id = $1)::int as claims,
            (select count(distinct (contract_type, contract_id, period_start)) from billing_run_items where organization_id = $1)::int as keys,
            (select count(*) from invoices where organization_id = $1)::int as invoices,
            (select count(*) from invoice_lines where organization_id = $1)::int as lines,
            (select count(*) from invoices i where organization_id = $1
               and not exists (select 1 from billing_run_items b where b.invoice_id = i.id))::int as unclaimed_invoices,
            (select count(*) from (select customer_id from invoices where organization_id = $1 group by customer_id having count(*) > 1) t)::int as customers_twice`,
    [organizationId],
  );
  assert.deepEqual(rows[0], {
    claims: expected.charges, keys: expected.charges, invoices: expected.invoices, lines: expected.charges, unclaimed_invoices: 0, customers_twice: 0,
  });
}

test('four runs of the same date at once, on four pools, in batches of 7: every charge billed exactly once', async () => {
  const { organizationId, charges } = await organization(60);
  const runs = await Promise.all(Array.from({ length: 4 }, () => {
    const pool = createPool(db.connectionString, 3);
    pools.push(pool);
    return runBilling(pool, clock, organizationId, { date: '2026-03-01', batchSize: 7 });
  }));
  assert.equal(runs.reduce((n, run) => n + run.chargesBilled, 0), charges);
  assert.equal(runs.reduce((n, run) => n + run.invoicesCreated, 0), 60);
  await assertBilledOnce(organizationId, { invoices: 60, charges });
});

test('without the row locks the claims alone still bill each charge once', async () => {
  const { organizationId, charges } = await organization(60);
  // The same source, reading without locking: the runs now race on the unique key itself.
  const unlocked: ChargeSource = { ...subscriptionChargeSource, dueCharges: (tx, org, date, page) => subscriptionChargeSource.dueCharges(tx, org, date, { ...page, lock: false }) };
  const runs = await Promise.all(Array.from({ length: 4 }, () => {
    const pool = createPool(db.connectionString, 3);
    pools.push(pool);
    return runBilling(pool, clock, organizationId, { date: '2026-03-01', batchSize: 5, sources: [unlocked] });
  }));
  assert.equal(runs.reduce((n, run) => n + run.chargesBilled, 0), charges);
  // Racing claims can split one customer's charges over two runs (two invoices); none is billed twice.
  const { rows } = await db.pool.query(
    `select count(*)::int as claims, count(distinct (contract_type, contract_id, period_start))::int as keys,
            (select count(*) from invoice_lines where organization_id = $1)::int as lines
     from billing_run_items where organization_id = $1`,
    [organizationId],
  );
  assert.deepEqual(rows[0], { claims: charges, keys: charges, lines: charges });
});

test('two runs over HTTP at once create each invoice once', async () => {
  const { organizationId, apiKey, charges } = await organization(40);
  const pool = createPool(db.connectionString, 20);
  pools.push(pool);
  const app = await buildApp({ pool, clock });
  await app.listen({ port: 0, host: '127.0.0.1' });
  after(() => app.close());
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/billing-runs`;
  const post = () => fetch(url, {
    method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ date: '2026-03-01' }),
  }).then(async (response) => ({ status: response.status, body: await response.json() as any }));
  const [first, second] = await Promise.all([post(), post()]);
  assert.deepEqual([first.status, second.status], [200, 200]);
  assert.equal(first.body.invoicesCreated + second.body.invoicesCreated, 40);
  assert.equal(first.body.chargesBilled + second.body.chargesBilled, charges);
  await assertBilledOnce(organizationId, { invoices: 40, charges });
});
