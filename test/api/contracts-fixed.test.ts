/**
 * Fixed-price schedules: dated entries, milestones and deposits through the billing run, with what
 * is paid of a deposit deducted from later invoices ("Less deposit"), never more than it nor below zero.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi, type Tenant } from '../helpers/api.ts';
import { createCustomer, createTaxRate, expectStatus, getInvoice, issueInvoice, recordPayment } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';
import { createProject } from '../helpers/work.ts';

const api = await createTestApi('2026-06-15T10:00:00Z');

type Setup = { firm: Tenant; customerId: string; project: any };

async function fixed(amount = '5000.00'): Promise<Setup> {
  const firm = await api.tenant();
  const customer = await createCustomer(firm, { name: 'Initech' });
  const project = await createProject(firm, customer.id, { name: 'Build', billing: { model: 'fixed', amount } });
  return { firm, customerId: customer.id, project };
}

const schedule = async (s: Setup, entries: unknown[]) => s.firm.request('POST', `/v1/projects/${s.project.id}/schedule`, { entries });
const bill = async (s: Setup, date: string) => expectStatus(await s.firm.request('POST', '/v1/billing-runs', { date }), 200);

async function invoicesOf(s: Setup, run: any): Promise<Array<[string[], string]>> {
  const invoices = await Promise.all(run.invoices.map((i: any) => getInvoice(s.firm, i.invoiceId)));
  return invoices.map((invoice) => [invoice.lines.map((l: any) => `${l.description}: ${l.net}`), invoice.total]);
}

test('dated entries bill on their date and milestones once completed, each once', async () => {
  const s = await fixed();
  const set = expectStatus(await schedule(s, [
    { description: 'Kick-off', amount: '1000.00', dueDate: '2026-03-01' },
    { description: 'Design approved', amount: '1500.00', milestone: true },
    { description: 'Launch', amount: '2500.00', dueDate: '2026-05-01' },
  ]), 201);
  assert.deepEqual(set.entries.map((e: any) => [e.position, e.kind, e.amount, e.dueDate, e.billed]), [
    [1, 'date', '1000.00', '2026-03-01', false], [2, 'milestone', '1500.00', null, false], [3, 'date', '2500.00', '2026-05-01', false],
  ]);
  const kickOff = await bill(s, '2026-03-01');
  assert.deepEqual(await invoicesOf(s, kickOff), [[['Build: Kick-off (instalment): 1000.00'], '1000.00']]);
  const entryOne = async () => expectStatus(await s.firm.request('GET', `/v1/projects/${s.project.id}/schedule`), 200).entries[0];
  assert.deepEqual([(await entryOne()).invoiceId, (await entryOne()).invoiceNumber], [kickOff.invoices[0].invoiceId, null]); // a draft has no number
  const issued = await issueInvoice(s.firm, kickOff.invoices[0].invoiceId);
  assert.equal((await entryOne()).invoiceNumber, issued.number);
  assert.equal((await bill(s, '2026-04-10')).invoicesCreated, 0); // the milestone is not done
  const milestone = set.entries[1].id;
  expectStatus(await s.firm.request('POST', `/v1/projects/${s.project.id}/schedule/${milestone}/complete`, { date: '2026-04-10' }), 200);
  assertProblem(await s.firm.request('POST', `/v1/projects/${s.project.id}/schedule/${milestone}/complete`, {}), { status: 409, code: 'milestone_completed' });
  assertProblem(await s.firm.request('POST', `/v1/projects/${s.project.id}/schedule/${set.entries[0].id}/complete`, {}), { status: 409, code: 'not_a_milestone' });
  assert.deepEqual(await invoicesOf(s, await bill(s, '2026-04-10')), [[['Build: Design approved (milestone): 1500.00'], '1500.00']]);
  assert.equal((await bill(s, '2026-04-30')).invoicesCreated, 0);
  assert.deepEqual(await invoicesOf(s, await bill(s, '2026-05-01')), [[['Build: Launch (instalment): 2500.00'], '2500.00']]);
  assert.equal((await bill(s, '2026-06-15')).invoicesCreated, 0);
  // Billed: the schedule can no longer be replaced.
  assertProblem(await schedule(s, [{ description: 'All', amount: '5000.00', dueDate: '2026-06-01' }]), { status: 409, code: 'schedule_billed' });
});

test('the schedule must sum to the project amount exactly; deposits come on top, at most the amount', async () => {
  const s = await fixed();
  assertProblem(await schedule(s, [{ description: 'A', amount: '4999.99', dueDate: '2026-03-01' }]), { status: 422, code: 'schedule_total_mismatch' });
  assertProblem(await schedule(s, [{ description: 'A', amount: '5000.00', dueDate: '2026-03-01', milestone: true }]), { status: 422, code: 'invalid_input' });
  assertProblem(await schedule(s, [{ description: 'A', amount: '5000.00', milestone: true }, { description: 'D', amount: '5000.01', deposit: true, dueDate: '2026-03-01' }]),
    { status: 422, code: 'deposit_too_large' });
  const hourly = await createProject(s.firm, s.customerId, { name: 'Hourly' });
  assertProblem(await s.firm.request('POST', `/v1/projects/${hourly.id}/schedule`, { entries: [{ description: 'A', amount: '1.00', dueDate: '2026-03-01' }] }),
    { status: 409, code: 'not_a_fixed_price_project' });
  expectStatus(await schedule(s, [{ description: 'A', amount: '2500.00', milestone: true }, { description: 'B', amount: '2500.00', milestone: true }]), 201);
});

// [deposit, what is paid of it before April and before May, entries after it] → the invoices of April and May: [lines, total]
const depositCases: Array<{ name: string; deposit: string; paid: [string | null, string | null]; later: Array<[string, string]>; invoices: Array<[string[], string]>; deducted: string }> = [
  {
    name: 'deducted from the next invoice when it covers it', deposit: '1000.00', paid: ['1000.00', null], later: [['Design', '2000.00'], ['Launch', '3000.00']],
    invoices: [[['Build: Design (instalment): 2000.00', 'Less deposit: -1000.00'], '1000.00'], [['Build: Launch (instalment): 3000.00'], '3000.00']], deducted: '1000.00',
  },
  {
    name: 'spread over invoices, never below zero', deposit: '2500.00', paid: ['2500.00', null], later: [['Design', '1000.00'], ['Launch', '4000.00']],
    invoices: [[['Build: Design (instalment): 1000.00', 'Less deposit: -1000.00'], '0.00'], [['Build: Launch (instalment): 4000.00', 'Less deposit: -1500.00'], '2500.00']],
    deducted: '2500.00',
  },
  {
    name: 'exactly the whole amount', deposit: '5000.00', paid: ['5000.00', null], later: [['Design', '1000.00'], ['Launch', '4000.00']],
    invoices: [[['Build: Design (instalment): 1000.00', 'Less deposit: -1000.00'], '0.00'], [['Build: Launch (instalment): 4000.00', 'Less deposit: -4000.00'], '0.00']],
    deducted: '5000.00',
  },
  {
    name: 'deducted only as far as it is paid', deposit: '1000.00', paid: ['400.00', '600.00'], later: [['Design', '2000.00'], ['Launch', '3000.00']],
    invoices: [[['Build: Design (instalment): 2000.00', 'Less deposit: -400.00'], '1600.00'], [['Build: Launch (instalment): 3000.00', 'Less deposit: -600.00'], '2400.00']],
    deducted: '1000.00',
  },
  {
    name: 'not deducted while unpaid', deposit: '1000.00', paid: [null, null], later: [['Design', '2000.00'], ['Launch', '3000.00']],
    invoices: [[['Build: Design (instalment): 2000.00'], '2000.00'], [['Build: Launch (instalment): 3000.00'], '3000.00']], deducted: '0.00',
  },
];

const pay = async (s: Setup, amount: string | null) => {
  if (amount !== null) await recordPayment(s.firm, s.customerId, amount, { date: '2026-03-16' });
};

for (const c of depositCases) {
  test(`a deposit is billed up front and ${c.name}`, async () => {
    const s = await fixed();
    expectStatus(await schedule(s, [
      { description: 'Deposit', amount: c.deposit, deposit: true, dueDate: '2026-03-01' },
      { description: c.later[0]![0], amount: c.later[0]![1], dueDate: '2026-04-01' },
      { description: c.later[1]![0], amount: c.later[1]![1], dueDate: '2026-05-01' },
    ]), 201);
    const march = await bill(s, '2026-03-01');
    assert.deepEqual(await invoicesOf(s, march), [[[`Build: Deposit (deposit): ${c.deposit}`], c.deposit]]);
    await issueInvoice(s.firm, march.invoices[0].invoiceId);
    await pay(s, c.paid[0]);
    const april = await invoicesOf(s, await bill(s, '2026-04-01'));
    await pay(s, c.paid[1]);
    const may = await invoicesOf(s, await bill(s, '2026-05-01'));
    assert.deepEqual([...april, ...may], c.invoices);
    assert.equal((await bill(s, '2026-05-01')).invoicesCreated, 0);
    const view = expectStatus(await s.firm.request('GET', `/v1/projects/${s.project.id}/schedule`), 200);
    assert.equal(view.entries[0].deducted, c.deducted); // never more than is paid of the deposit
    assert.ok(view.entries.every((e: any) => e.billed && e.invoiceId !== null));
  });
}

test('a deposit due with the first instalment is invoiced on its own and deducted only from later invoices', async () => {
  const s = await fixed();
  expectStatus(await schedule(s, [
    { description: 'Deposit', amount: '500.00', deposit: true, dueDate: '2026-03-01' },
    { description: 'Start', amount: '1000.00', dueDate: '2026-03-01' },
    { description: 'Finish', amount: '4000.00', milestone: true },
  ]), 201);
  const march = await bill(s, '2026-03-01');
  // A deposit is a document of its own, so what is paid of it is plain to see.
  assert.deepEqual(await invoicesOf(s, march), [[['Build: Deposit (deposit): 500.00'], '500.00'], [['Build: Start (instalment): 1000.00'], '1000.00']]);
  for (const invoice of march.invoices) await issueInvoice(s.firm, invoice.invoiceId);
  await recordPayment(s.firm, s.customerId, '1500.00', { date: '2026-03-16' });
  const view = expectStatus(await s.firm.request('GET', `/v1/projects/${s.project.id}/schedule`), 200);
  expectStatus(await s.firm.request('POST', `/v1/projects/${s.project.id}/schedule/${view.entries[2].id}/complete`, { date: '2026-06-01' }), 200);
  assert.deepEqual(await invoicesOf(s, await bill(s, '2026-06-01')), [[['Build: Finish (milestone): 4000.00', 'Less deposit: -500.00'], '3500.00']]);
});

test('deposits are invoiced apart; a deduction counts what is paid of its own deposit and keeps the taxes that deposit was billed with', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm, { name: 'Two projects' });
  const a = await createProject(firm, customer.id, { name: 'A', billing: { model: 'fixed', amount: '5000.00' } });
  const b = await createProject(firm, customer.id, { name: 'B', billing: { model: 'fixed', amount: '5000.00' } });
  for (const project of [a, b]) {
    expectStatus(await firm.request('POST', `/v1/projects/${project.id}/schedule`, { entries: [
      { description: 'Deposit', amount: '1000.00', deposit: true, dueDate: '2026-03-01' },
      { description: 'Build', amount: '5000.00', dueDate: '2026-04-01' },
    ] }), 201);
  }
  const march = expectStatus(await firm.request('POST', '/v1/billing-runs', { date: '2026-03-01' }), 200);
  assert.equal(march.invoicesCreated, 2, 'each deposit on its own invoice');
  for (const invoice of march.invoices) await issueInvoice(firm, invoice.invoiceId);
  // Only A's deposit is paid; B's not at all. Then B's project gets VAT: its deposit was billed without.
  await recordPayment(firm, customer.id, '1000.00', { allocations: [{ invoiceId: march.invoices[0].invoiceId, amount: '1000.00' }] });
  const vat = await createTaxRate(firm, '20');
  expectStatus(await firm.request('PATCH', `/v1/projects/${a.id}`, { taxRateIds: [vat] }), 200);
  const april = expectStatus(await firm.request('POST', '/v1/billing-runs', { date: '2026-04-01' }), 200);
  const invoice = await getInvoice(firm, april.invoices[0].invoiceId);
  assert.deepEqual(invoice.lines.map((l: any) => [l.description, l.net, l.taxes.map((t: any) => t.percentage)]), [
    ['A: Build (instalment)', '5000.00', ['20']], ['Less deposit', '-1000.00', []], ['B: Build (instalment)', '5000.00', []],
  ]);
  assert.equal(invoice.total, '10000.00'); // 6000.00 + 5000.00 − 1000.00 paid
});
