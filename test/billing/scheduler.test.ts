/**
 * The daily billing run: each organization bills once per day of its own time zone.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCustomer } from '../../src/modules/customers/index.ts';
import { createOrganization } from '../../src/modules/setup/index.ts';
import { createSubscription } from '../../src/modules/subscriptions/index.ts';
import { billDueToday, startDailyBilling } from '../../src/scheduler/daily.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

const db = await createTestDatabase();
after(() => db.drop());
// 00:30 UTC on March 1st: already March 1st in Berlin, still February 28th in Los Angeles.
const clock = { at: new Date('2026-03-01T00:30:00Z'), now() { return this.at; } };

async function organization(timeZone: string): Promise<string> {
  const { organizationId } = await createOrganization(db.pool, { legalName: `Firm in ${timeZone}`, baseCurrency: 'EUR', ownerEmail: 'o@tz.example', timeZone });
  const customer = await createCustomer(db.pool, organizationId, { name: 'Globex', currency: 'EUR' });
  await createSubscription(db.pool, { now: () => new Date('2026-02-01T12:00:00Z') }, organizationId, {
    customerId: customer.id, items: [{ description: 'Plan', unitPrice: '10' }], interval: 'monthly', startDate: '2026-03-01', billingTiming: 'advance',
  });
  return organizationId;
}

const berlin = await organization('Europe/Berlin');
const losAngeles = await organization('America/Los_Angeles');

test('billDueToday bills the day of the organization once; a day that has not begun there bills nothing yet', async () => {
  const first = await billDueToday(db.pool, clock, berlin);
  assert.deepEqual([first?.date, first?.invoicesCreated], ['2026-03-01', 1]);
  assert.equal(await billDueToday(db.pool, clock, berlin), null);
  const early = await billDueToday(db.pool, clock, losAngeles);
  assert.deepEqual([early?.date, early?.invoicesCreated], ['2026-02-28', 0]);
});

test('the scheduler runs every organization whose day has begun, and stops cleanly', async () => {
  clock.at = new Date('2026-03-01T09:00:00Z'); // March 1st in Los Angeles too
  const lines: string[] = [];
  const scheduler = startDailyBilling(db.pool, clock, { everyMs: 50, log: (message, error) => lines.push(error ? `ERROR ${message}` : message) });
  const deadline = Date.now() + 10_000;
  while (!lines.some((line) => line.includes(losAngeles) && line.includes('2026-03-01')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await scheduler.stop();
  assert.ok(lines.some((line) => line.includes(losAngeles) && line.includes('1 draft invoices')), lines.join('\n'));
  assert.ok(!lines.some((line) => line.startsWith('ERROR')), lines.join('\n'));
  const { rows } = await db.pool.query(`select organization_id, count(*)::int as n from invoices group by 1 order by 1`);
  assert.deepEqual(rows.map((row) => row.n), [1, 1]);
});
