/**
 * Retainers through the billing run (POST /v1/billing-runs): the fee in advance, the previous
 * period's overage in the same invoice, rollover of unused hours, and nothing billed twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi, type Tenant } from '../helpers/api.ts';
import { createCustomer, expectStatus, getInvoice } from '../helpers/fixtures.ts';
import { addPerson, createProject, logTime, type Person } from '../helpers/work.ts';

const api = await createTestApi('2026-06-15T10:00:00Z');

type Setup = { firm: Tenant; bea: Person; customerId: string; project: any };

async function retainer(terms: Record<string, unknown> = {}): Promise<Setup> {
  const firm = await api.tenant();
  const bea = await addPerson(api, firm);
  const customer = await createCustomer(firm, { name: 'Initech' });
  const project = await createProject(firm, customer.id, {
    name: 'Support',
    billing: { model: 'retainer', fee: '2000.00', interval: 'month', includedHours: '40', overageRate: '95', rollover: 'none', startDate: '2026-03-01', ...terms },
  });
  return { firm, bea, customerId: customer.id, project };
}

/** Logs `minutes` in entries of at most 8 h on consecutive days from `from`. */
async function logMinutes(s: Setup, minutes: number, from: string): Promise<string[]> {
  const ids: string[] = [];
  for (let day = Number(from.slice(8, 10)); minutes > 0; day++) {
    const chunk = Math.min(480, minutes);
    ids.push((await logTime(s.bea, s.project.id, chunk, `${from.slice(0, 8)}${String(day).padStart(2, '0')}`)).id);
    minutes -= chunk;
  }
  return ids;
}

async function bill(s: Setup, date: string): Promise<any> {
  return expectStatus(await s.firm.request('POST', '/v1/billing-runs', { date }), 200);
}

/** Each invoice of the run as [lines "description: quantity × unitPrice = net", total]. */
async function invoicesOf(s: Setup, run: any): Promise<Array<[string[], string]>> {
  const invoices = await Promise.all(run.invoices.map((i: any) => getInvoice(s.firm, i.invoiceId)));
  return invoices.map((invoice) => [invoice.lines.map((l: any) => `${l.description}: ${l.quantity} × ${l.unitPrice} = ${l.net}`), invoice.total]);
}

const H = 60;
const APRIL = 'Retainer April 2026 (Support): 40 h included';

const cases: Array<{ name: string; terms: Record<string, unknown>; used: number; lines: string[]; total: string }> = [
  { name: 'none, under', terms: {}, used: 32 * H + 30, lines: [`${APRIL}. Retainer March 2026: 40 h included, 32.5 h used, 7.5 h expired: 1 × 2000 = 2000.00`], total: '2000.00' },
  { name: 'none, exactly at', terms: {}, used: 40 * H, lines: [`${APRIL}. Retainer March 2026: 40 h included, 40 h used, 0 h remaining: 1 × 2000 = 2000.00`], total: '2000.00' },
  {
    name: 'none, over', terms: {}, used: 42 * H + 10,
    lines: [`${APRIL}: 1 × 2000 = 2000.00`, 'Retainer March 2026: 40 h included, 42.17 h used, 2.17 h over at 95 per hour: 2.1666 × 95 = 205.83'], total: '2205.83',
  },
  {
    name: 'unlimited, under', terms: { rollover: 'unlimited' }, used: 32 * H + 30,
    lines: [`${APRIL} + 7.5 h carried over. Retainer March 2026: 40 h included, 32.5 h used, 7.5 h carried over: 1 × 2000 = 2000.00`], total: '2000.00',
  },
  { name: 'unlimited, exactly at', terms: { rollover: 'unlimited' }, used: 40 * H, lines: [`${APRIL}. Retainer March 2026: 40 h included, 40 h used, 0 h remaining: 1 × 2000 = 2000.00`], total: '2000.00' },
  {
    name: 'unlimited, over', terms: { rollover: 'unlimited' }, used: 41 * H,
    lines: [`${APRIL}: 1 × 2000 = 2000.00`, 'Retainer March 2026: 40 h included, 41 h used, 1 h over at 95 per hour: 1 × 95 = 95.00'], total: '2095.00',
  },
  {
    name: 'capped, under', terms: { rollover: 'capped', rolloverMaxHours: '5' }, used: 32 * H + 30,
    lines: [`${APRIL} + 5 h carried over. Retainer March 2026: 40 h included, 32.5 h used, 5 h carried over, 2.5 h expired: 1 × 2000 = 2000.00`], total: '2000.00',
  },
  {
    name: 'capped, exactly at', terms: { rollover: 'capped', rolloverMaxHours: '5' }, used: 40 * H,
    lines: [`${APRIL}. Retainer March 2026: 40 h included, 40 h used, 0 h remaining: 1 × 2000 = 2000.00`], total: '2000.00',
  },
  {
    name: 'capped, over', terms: { rollover: 'capped', rolloverMaxHours: '5' }, used: 40 * H + 1,
    lines: [`${APRIL}: 1 × 2000 = 2000.00`, 'Retainer March 2026: 40 h included, 40.02 h used, 0.02 h over at 95 per hour: 0.0166 × 95 = 1.58'], total: '2001.58',
  },
];

for (const c of cases) {
  test(`retainer rollover ${c.name}: the April invoice bills the fee and March's overage, once`, async () => {
    const s = await retainer(c.terms);
    const march = await bill(s, '2026-03-01');
    assert.deepEqual(await invoicesOf(s, march), [[['Retainer March 2026 (Support): 40 h included: 1 × 2000 = 2000.00'], '2000.00']]);
    const entryIds = await logMinutes(s, c.used, '2026-03-02');
    assert.equal((await bill(s, '2026-03-31')).invoicesCreated, 0);
    const april = await bill(s, '2026-04-01');
    assert.deepEqual(await invoicesOf(s, april), [[c.lines, c.total]]);
    assert.deepEqual([(await bill(s, '2026-04-01')).invoicesCreated, (await bill(s, '2026-04-30')).invoicesCreated], [0, 0]);

    // The time counted once: linked to the overage line if there is one, recorded either way, never in unbilled work.
    const { rows } = await api.db.pool.query(
      `select te.invoice_line_id, r.period_start from time_entries te left join retainer_period_entries r on r.time_entry_id = te.id where te.id = any($1) order by te.id`,
      [entryIds],
    );
    assert.ok(rows.every((row) => row.period_start === '2026-03-01'));
    assert.equal(rows.every((row) => row.invoice_line_id !== null), c.lines.length === 2);
    const unbilled = expectStatus(await s.firm.request('GET', `/v1/unbilled?customerId=${s.customerId}`), 200);
    assert.equal(JSON.stringify(unbilled).includes(s.project.id), false);
  });
}

test('carried hours accumulate over periods, and a late first run catches up period by period', async () => {
  const s = await retainer({ rollover: 'unlimited' });
  await logMinutes(s, 32 * H + 30, '2026-03-02'); // 7.5 h unused in March
  await logMinutes(s, 46 * H, '2026-04-01'); // 47.5 h available in April: 1.5 h carried on
  await logMinutes(s, 43 * H, '2026-05-04'); // 41.5 h available in May: 1.5 h over
  const run = await bill(s, '2026-06-01');
  assert.equal(run.chargesBilled, 4);
  assert.deepEqual(await invoicesOf(s, run), [[[
    'Retainer March 2026 (Support): 40 h included: 1 × 2000 = 2000.00',
    'Retainer April 2026 (Support): 40 h included + 7.5 h carried over. Retainer March 2026: 40 h included, 32.5 h used, 7.5 h carried over: 1 × 2000 = 2000.00',
    'Retainer May 2026 (Support): 40 h included + 1.5 h carried over. Retainer April 2026: 40 h included + 7.5 h carried over, 46 h used, 1.5 h carried over: 1 × 2000 = 2000.00',
    'Retainer June 2026 (Support): 40 h included: 1 × 2000 = 2000.00',
    'Retainer May 2026: 40 h included + 1.5 h carried over, 43 h used, 1.5 h over at 95 per hour: 1.5 × 95 = 142.50',
  ], '8142.50']]);
  assert.equal((await bill(s, '2026-06-01')).invoicesCreated, 0);
  const { rows } = await api.db.pool.query(
    `select period_start, carried_in_seconds / 3600.0 as carried_in, used_seconds / 3600.0 as used, overage_minor from retainer_periods
     where project_id = $1 order by period_start`, [s.project.id],
  );
  assert.deepEqual(rows.map((r) => [r.period_start, Number(r.carried_in), r.used === null ? null : Number(r.used), r.overage_minor === null ? null : Number(r.overage_minor)]), [
    ['2026-03-01', 0, 32.5, 0], ['2026-04-01', 7.5, 46, 0], ['2026-05-01', 1.5, 43, 14250], ['2026-06-01', 0, null, null],
  ]);
});

test('a retainer that starts later bills nothing before its start', async () => {
  const s = await retainer({ startDate: '2026-04-15' });
  assert.equal((await bill(s, '2026-04-14')).invoicesCreated, 0);
  const run = await bill(s, '2026-04-15');
  assert.deepEqual(await invoicesOf(s, run), [[['Retainer 2026-04-15 – 2026-05-14 (Support): 40 h included: 1 × 2000 = 2000.00'], '2000.00']]);
});
