/**
 * A subscription with includeUnbilledWork: the billing run puts the customer's approved unbilled
 * time and expenses (up to the run date, same currency) on the invoice it creates for the
 * subscription, links them to those lines, and so the from-unbilled path finds nothing after.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi, type Tenant } from '../helpers/api.ts';
import { createCustomer, createTaxRate, expectStatus, getInvoice } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';
import { createProject, logTime } from '../helpers/work.ts';

const api = await createTestApi('2026-03-01T10:00:00Z');

const at = (day: string) => {
  api.clock.at = new Date(`${day}T10:00:00Z`);
};

async function bill(firm: Tenant, day: string, fields: Record<string, unknown> = {}): Promise<any> {
  return expectStatus(await firm.request('POST', '/v1/billing-runs', { date: day, ...fields }), 200);
}

async function linkOf(table: 'time_entries' | 'expenses', id: string): Promise<string | null> {
  const { rows } = await api.db.pool.query(`select invoice_line_id from ${table} where id = $1`, [id]);
  return rows[0].invoice_line_id;
}

const linesOf = (invoice: any) => invoice.lines.map((l: any) => [l.description, l.quantity, l.unit, l.unitPrice, l.net, l.serviceStart, l.serviceEnd]);

/**
 * Globex subscribes (opted in) to Pro plan, 5 × 49.00 with 19% VAT, monthly in advance from
 * March 1; Initech subscribes without opting in. Both have an hourly project at 100/h.
 */
async function scenario() {
  at('2026-03-01');
  const firm = await api.tenant({ timeZone: 'Europe/Berlin' });
  const vat = await createTaxRate(firm, '19');
  const globex = await createCustomer(firm, { name: 'Globex' });
  const initech = await createCustomer(firm, { name: 'Initech' });
  const plan = { items: [{ description: 'Pro plan', unitPrice: '49.00', quantity: '5', taxRateIds: [vat] }], interval: 'monthly', startDate: '2026-03-01', billingTiming: 'advance' };
  const opted = expectStatus(await firm.request('POST', '/v1/subscriptions', { customerId: globex.id, includeUnbilledWork: true, ...plan }), 201);
  const plain = expectStatus(await firm.request('POST', '/v1/subscriptions', { customerId: initech.id, ...plan }), 201);
  const globexProject = await createProject(firm, globex.id, { name: 'Support' });
  const initechProject = await createProject(firm, initech.id, { name: 'Support' });
  return { firm, globex, initech, opted, plain, globexProject, initechProject };
}

test('includeUnbilledWork is accepted, shown, and false by default', async () => {
  const { firm, opted, plain } = await scenario();
  assert.equal(opted.includeUnbilledWork, true);
  assert.equal(plain.includeUnbilledWork, false);
  assert.equal(expectStatus(await firm.request('GET', `/v1/subscriptions/${opted.id}`), 200).includeUnbilledWork, true);
  assert.equal(expectStatus(await firm.request('GET', `/v1/subscriptions/${plain.id}`), 200).includeUnbilledWork, false);
});

test('the run bills the opted-in customer\'s work up to the run date on the subscription invoice, once', async () => {
  const { firm, globex, initech, globexProject, initechProject } = await scenario();
  // March 1: no work yet; each invoice carries the plan only.
  const march = await bill(firm, '2026-03-01');
  assert.deepEqual(march.invoices.map((i: any) => [i.customerId, i.lineCount, i.total]).sort(), [[globex.id, 1, '291.55'], [initech.id, 1, '291.55']].sort());

  at('2026-04-06');
  const early = await logTime(firm, globexProject.id, 60, '2026-03-10');
  const lastDay = await logTime(firm, globexProject.id, 45, '2026-04-01');
  const later = await logTime(firm, globexProject.id, 30, '2026-04-05'); // after the run date: waits
  const taxi = expectStatus(await firm.request('POST', '/v1/expenses', { projectId: globexProject.id, date: '2026-03-12', amount: '20.00', category: 'Travel', description: 'Taxi' }), 201);
  const other = await logTime(firm, initechProject.id, 60, '2026-03-10'); // Initech did not opt in

  // A dry run shows the same invoice and links nothing.
  const dry = await bill(firm, '2026-04-01', { dryRun: true });
  const dryGlobex = dry.invoices.find((i: any) => i.customerId === globex.id);
  assert.deepEqual([dryGlobex.lineCount, dryGlobex.subtotal, dryGlobex.taxTotal, dryGlobex.total], [3, '440.00', '46.55', '486.55']);
  assert.equal(await linkOf('time_entries', early.id), null);

  const april = await bill(firm, '2026-04-01');
  assert.equal(april.invoicesCreated, 2);
  const summary = april.invoices.find((i: any) => i.customerId === globex.id);
  // 245.00 plan + 175.00 (1.75 h at 100) + 20.00 expense = 440.00; VAT only on the plan.
  assert.deepEqual([summary.lineCount, summary.subtotal, summary.taxTotal, summary.total], [3, '440.00', '46.55', '486.55']);
  const invoice = await getInvoice(firm, summary.invoiceId);
  assert.deepEqual([invoice.subtotal, invoice.taxTotal, invoice.total], ['440.00', '46.55', '486.55']);
  assert.deepEqual(linesOf(invoice), [
    ['Pro plan', '5', null, '49', '245.00', '2026-04-01', '2026-04-30'],
    ['Support · General: 2026-03-10, 2026-04-01', '1.75', 'hour', '100', '175.00', '2026-03-10', '2026-04-01'],
    ['Support · Travel: Taxi (2026-03-12)', '1', null, '20', '20.00', '2026-03-12', '2026-03-12'],
  ]);
  const initechInvoice = await getInvoice(firm, april.invoices.find((i: any) => i.customerId === initech.id).invoiceId);
  assert.deepEqual([initechInvoice.lines.length, initechInvoice.total], [1, '291.55']);

  // The entries point at the lines that bill them; the later one and Initech's wait.
  const lineIds = new Set(invoice.lines.map((l: any) => l.id));
  for (const id of [early.id, lastDay.id]) assert.ok(lineIds.has(await linkOf('time_entries', id)));
  assert.ok(lineIds.has(await linkOf('expenses', taxi.id)));
  assert.equal(await linkOf('time_entries', later.id), null);
  assert.equal(await linkOf('time_entries', other.id), null);

  // Never billed twice: from-unbilled up to the run date finds nothing; after it only the later entry.
  assertProblem(await firm.request('POST', '/v1/invoices/from-unbilled', { customerId: globex.id, upTo: '2026-04-01' }), { status: 422, code: 'nothing_to_bill', field: 'customerId' });
  const rest = expectStatus(await firm.request('POST', '/v1/invoices/from-unbilled', { customerId: globex.id }), 201);
  assert.deepEqual([rest.lines.length, rest.total], [1, '50.00']);
  assert.equal(await linkOf('time_entries', later.id), rest.lines[0].id);
  // And a second run on the day bills nothing.
  assert.equal((await bill(firm, '2026-04-01')).invoicesCreated, 0);
});

test('issue: every draft of the run is issued after it commits; one needing approval stays a draft and is reported', async () => {
  const { firm, globex, initech, globexProject } = await scenario();
  expectStatus(await firm.request('POST', '/v1/approval-rules', { name: 'Large invoices', minimumTotal: '400.00', currency: 'EUR' }), 201);
  await logTime(firm, globexProject.id, 150, '2026-03-01'); // 2.5 h at 100 = 250.00: Globex comes to 495.00 + 46.55 VAT

  const dry = await bill(firm, '2026-03-01', { dryRun: true, issue: true });
  assert.deepEqual([dry.invoicesCreated, dry.issued, dry.issueFailures], [2, 0, []]);

  const run = await bill(firm, '2026-03-01', { issue: true });
  assert.deepEqual([run.invoicesCreated, run.issued], [2, 1]);
  const byCustomer = new Map(run.invoices.map((i: any) => [i.customerId, i]));
  const large: any = byCustomer.get(globex.id);
  const small: any = byCustomer.get(initech.id);
  assert.deepEqual([large.total, small.total], ['541.55', '291.55']);
  assert.deepEqual(run.issueFailures.map((f: any) => [f.invoiceId, f.code]), [[large.invoiceId, 'approval_required']]);
  const [largeInvoice, smallInvoice] = [await getInvoice(firm, large.invoiceId), await getInvoice(firm, small.invoiceId)];
  assert.equal(largeInvoice.status, 'draft');
  assert.notEqual(smallInvoice.status, 'draft');
  assert.ok(smallInvoice.number);

  // Without issue, nothing is issued and nothing is reported.
  at('2026-04-01');
  const april = await bill(firm, '2026-04-01');
  assert.deepEqual([april.invoicesCreated, april.issued, april.issueFailures], [2, 0, []]);
});
