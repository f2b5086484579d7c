/**
 * From work to invoices: the unbilled view prices time (rate rules, rounding) and expenses
 * (markup) exactly as the invoice will; creating the invoice links every entry and expense to
 * the line that bills it, in one transaction; nothing is billed twice; voiding the invoice or
 * deleting (or replacing) the draft releases the work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi, type Tenant } from '../helpers/api.ts';
import { createCustomer, createTaxRate, expectStatus, getInvoice, issueInvoice } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';
import { addPerson, createProject, hourlyProject, logTime } from '../helpers/work.ts';

const api = await createTestApi('2026-03-10T10:00:00Z');

const linesOf = (invoice: any) => invoice.lines.map((l: any) => [l.description, l.quantity, l.unit, l.unitPrice, l.amount, l.serviceStart, l.serviceEnd]);

async function unbilled(firm: Tenant, query = ''): Promise<any[]> {
  return expectStatus(await firm.request('GET', `/v1/unbilled${query}`), 200).data;
}

async function fromUnbilled(firm: Tenant, body: Record<string, unknown>): Promise<any> {
  return expectStatus(await firm.request('POST', '/v1/invoices/from-unbilled', body), 201);
}

async function linkOf(table: 'time_entries' | 'expenses', id: string): Promise<string | null> {
  const { rows } = await api.db.pool.query(`select invoice_line_id from ${table} where id = $1`, [id]);
  return rows[0].invoice_line_id;
}

/**
 * Two projects of one customer. Support (100/h, no rounding): three 20-minute entries, which
 * bill one hour. Website (90/h, rounded up to 15 minutes): an entry without task, Build (Bea has
 * her own 150/h on the project) and Design (task rate 120, which beats everyone's). Two expenses
 * with markups.
 */
async function scenario() {
  const firm = await api.tenant();
  const bea = await addPerson(api, firm);
  const customer = await createCustomer(firm, { name: 'Globex' });
  const support = await createProject(firm, customer.id, { name: 'Support', billing: { model: 'hourly', rate: '100' } });
  const website = await createProject(firm, customer.id, { name: 'Website', billing: { model: 'hourly', rate: '90' }, roundingMinutes: 15 });
  const build = expectStatus(await firm.request('POST', `/v1/projects/${website.id}/tasks`, { name: 'Build' }), 201);
  const design = expectStatus(await firm.request('POST', `/v1/projects/${website.id}/tasks`, { name: 'Design', rate: '120' }), 201);
  expectStatus(await firm.request('POST', '/v1/rate-rules', { userId: bea.userId, projectId: website.id, rate: '150' }), 201);

  const entries = {
    support: [
      await logTime(firm, support.id, 20, '2026-03-02'), await logTime(firm, support.id, 20, '2026-03-03'), await logTime(firm, support.id, 20, '2026-03-04'),
    ],
    general: await logTime(firm, website.id, 10, '2026-03-05'),
    buildMine: await logTime(firm, website.id, 20, '2026-03-02', { taskId: build.id }),
    buildBea: await logTime(bea, website.id, 50, '2026-03-04', { taskId: build.id }),
    design: [await logTime(firm, website.id, 20, '2026-03-02', { taskId: design.id }), await logTime(bea, website.id, 7, '2026-03-03', { taskId: design.id })],
  };
  const expenses = {
    taxi: expectStatus(await firm.request('POST', '/v1/expenses', { projectId: website.id, date: '2026-03-05', amount: '80.00', category: 'Travel', description: 'Taxi', markupPercent: '10' }), 201),
    prints: expectStatus(await firm.request('POST', '/v1/expenses', { projectId: support.id, date: '2026-03-06', amount: '33.33', category: 'Printing', markupPercent: '12.5' }), 201),
  };
  return { firm, bea, customer, support, website, build, design, entries, expenses };
}

const EXPECTED_LINES = [
  ['Support · General: 2026-03-02, 2026-03-03, 2026-03-04', '1', 'hour', '100', '100.00', '2026-03-02', '2026-03-04'],
  ['Website · General: 2026-03-05', '0.25', 'hour', '90', '22.50', '2026-03-05', '2026-03-05'],
  ['Website · Build: 2026-03-02', '0.5', 'hour', '90', '45.00', '2026-03-02', '2026-03-02'],
  ['Website · Build: 2026-03-04', '1', 'hour', '150', '150.00', '2026-03-04', '2026-03-04'],
  ['Website · Design: 2026-03-02, 2026-03-03', '0.75', 'hour', '120', '90.00', '2026-03-02', '2026-03-03'],
  ['Website · Travel: Taxi (2026-03-05, incl. 10% markup)', '1', null, '88', '88.00', '2026-03-05', '2026-03-05'],
  ['Support · Printing (2026-03-06, incl. 12.5% markup)', '1', null, '37.5', '37.50', '2026-03-06', '2026-03-06'], // 33.33 × 1.125 = 37.49625
];

test('the unbilled view prices every entry and expense as the invoice will, to the cent', async () => {
  const { firm, customer, entries } = await scenario();
  const [work, ...others] = await unbilled(firm, `?customerId=${customer.id}`);
  assert.equal(others.length, 0);
  assert.deepEqual([work.customerName, work.currency, work.timeTotal, work.expenseTotal, work.total], ['Globex', 'EUR', '407.50', '125.50', '533.00']);
  assert.deepEqual(work.lines.map((l: any) => [l.description, l.quantity, l.unit, l.unitPrice, l.amount, l.serviceStart, l.serviceEnd]), EXPECTED_LINES);
  assert.deepEqual(work.unpricedTimeEntryIds, []);

  const [support, website] = work.projects;
  assert.deepEqual([support.name, support.timeTotal, support.expenseTotal, support.total], ['Support', '100.00', '37.50', '137.50']);
  // Three 20-minute entries: 33.33 each would lose a cent; their shares of the one line add up to 100.00.
  assert.deepEqual(support.timeEntries.map((e: any) => [e.minutes, e.billedMinutes, e.rate, e.rateScope, e.amount]), [
    [20, 20, '100', 'project', '33.34'], [20, 20, '100', 'project', '33.33'], [20, 20, '100', 'project', '33.33'],
  ]);
  const byId = new Map(website.timeEntries.map((e: any) => [e.id, e]));
  const row = (entry: any) => { const e: any = byId.get(entry.id); return [e.minutes, e.billedMinutes, e.rate, e.rateScope, e.amount]; };
  assert.deepEqual(row(entries.general), [10, 15, '90', 'project', '22.50']);
  assert.deepEqual(row(entries.buildMine), [20, 30, '90', 'project', '45.00']);
  assert.deepEqual(row(entries.buildBea), [50, 60, '150', 'user_on_project', '150.00']);
  assert.deepEqual(row(entries.design[0]), [20, 30, '120', 'task', '60.00']);
  assert.deepEqual(row(entries.design[1]), [7, 15, '120', 'task', '30.00']);
  assert.deepEqual(website.expenses.map((e: any) => [e.category, e.amount, e.markupPercent, e.billedAmount]), [['Travel', '80.00', '10', '88.00']]);
});

test('an invoice from unbilled work: exact lines, every entry and expense linked, and a second run finds nothing', async () => {
  const { firm, customer, entries, expenses } = await scenario();
  const invoice = await fromUnbilled(firm, { customerId: customer.id });
  assert.equal(invoice.status, 'draft');
  assert.deepEqual(linesOf(invoice), EXPECTED_LINES);
  assert.deepEqual([invoice.subtotal, invoice.total], ['533.00', '533.00']);

  // Each entry points at the line that bills it, over the API and in the table.
  const lineOf = (index: number) => invoice.lines[index].id;
  const expectations: Array<[any, number]> = [
    ...entries.support.map((e): [any, number] => [e, 0]), [entries.general, 1], [entries.buildMine, 2], [entries.buildBea, 3],
    ...entries.design.map((e): [any, number] => [e, 4]),
  ];
  for (const [entry, index] of expectations) {
    const read = expectStatus(await firm.request('GET', `/v1/time-entries/${entry.id}`), 200);
    assert.deepEqual([read.billed, read.locked, read.invoiceId, read.invoiceLineId], [true, true, invoice.id, lineOf(index)]);
    assert.equal(await linkOf('time_entries', entry.id), lineOf(index));
  }
  assert.equal(await linkOf('expenses', expenses.taxi.id), lineOf(5));
  assert.equal(expectStatus(await firm.request('GET', `/v1/expenses/${expenses.prints.id}`), 200).invoiceLineId, lineOf(6));

  assertProblem(await firm.request('POST', '/v1/invoices/from-unbilled', { customerId: customer.id }), { status: 422, code: 'nothing_to_bill', field: 'customerId' });
  assert.deepEqual(await unbilled(firm), []);
  // Billed work is locked.
  assertProblem(await firm.request('PATCH', `/v1/time-entries/${entries.general.id}`, { minutes: 5 }), { status: 409, code: 'time_entry_locked' });
  assertProblem(await firm.request('DELETE', `/v1/time-entries/${entries.general.id}`), { status: 409, code: 'time_entry_locked' });
  assertProblem(await firm.request('PATCH', `/v1/expenses/${expenses.taxi.id}`, { amount: '1.00' }), { status: 409, code: 'expense_locked' });
  assertProblem(await firm.request('DELETE', `/v1/expenses/${expenses.taxi.id}`), { status: 409, code: 'expense_locked' });
  // And the database refuses too, whatever the code does.
  await assert.rejects(api.db.pool.query(`update time_entries set minutes = 1 where id = $1`, [entries.general.id]), /approved or billed/);
  await assert.rejects(api.db.pool.query(`update expenses set amount_minor = 1 where id = $1`, [expenses.taxi.id]), /approved or billed/);
  await assert.rejects(api.db.pool.query(`delete from expenses where id = $1`, [expenses.taxi.id]), /approved or billed/);
  const billedList = expectStatus(await firm.request('GET', `/v1/time-entries?billed=true&customerId=${customer.id}`), 200).data;
  assert.equal(billedList.length, 8);
});

test('deleting the draft releases its work; replacing its lines does too', async () => {
  const { firm, customer, entries, expenses } = await scenario();
  const first = await fromUnbilled(firm, { customerId: customer.id });
  assert.equal((await firm.request('DELETE', `/v1/invoices/${first.id}`)).status, 204);
  assert.equal(await linkOf('time_entries', entries.general.id), null);
  assert.equal(await linkOf('expenses', expenses.taxi.id), null);
  const again = (await unbilled(firm))[0];
  assert.equal(again.total, '533.00');

  const second = await fromUnbilled(firm, { customerId: customer.id });
  assert.deepEqual(linesOf(second), EXPECTED_LINES);
  // PUT replaces a draft's lines whole: the old lines go, and with them the links.
  expectStatus(await firm.request('PUT', `/v1/invoices/${second.id}`, { customerId: customer.id, lines: [{ description: 'Flat fee', quantity: '1', unitPrice: '500.00' }] }), 200);
  assert.equal(await linkOf('time_entries', entries.buildBea.id), null);
  assert.equal((await unbilled(firm))[0].total, '533.00');
  const entry = expectStatus(await firm.request('GET', `/v1/time-entries/${entries.buildBea.id}`), 200);
  assert.deepEqual([entry.billed, entry.locked], [false, false]);
});

test('voiding the invoice releases its work, which the next invoice bills again', async () => {
  const { firm, customer, entries } = await scenario();
  const invoice = await fromUnbilled(firm, { customerId: customer.id });
  await issueInvoice(firm, invoice.id);
  assertProblem(await firm.request('POST', '/v1/invoices/from-unbilled', { customerId: customer.id }), { status: 422, code: 'nothing_to_bill' });
  expectStatus(await firm.request('POST', `/v1/invoices/${invoice.id}/void`, { reason: 'Wrong period' }), 200);

  const entry = expectStatus(await firm.request('GET', `/v1/time-entries/${entries.general.id}`), 200);
  assert.deepEqual([entry.billed, entry.invoiceId, entry.locked], [false, null, false]);
  assert.equal((await unbilled(firm))[0].total, '533.00');
  const rebilled = await fromUnbilled(firm, { customerId: customer.id });
  assert.deepEqual(linesOf(rebilled), EXPECTED_LINES);
  assert.equal(expectStatus(await firm.request('GET', `/v1/time-entries/${entries.general.id}`), 200).invoiceId, rebilled.id);
  // The void invoice keeps its lines as they were.
  assert.deepEqual(linesOf(await getInvoice(firm, invoice.id)), EXPECTED_LINES);
});

test('two invoices at once from the same work: one bills it, the other finds nothing', async () => {
  const { firm, customer } = await scenario();
  const results = await Promise.all([1, 2, 3].map(() => firm.request('POST', '/v1/invoices/from-unbilled', { customerId: customer.id })));
  const created = results.filter((r) => r.status === 201);
  assert.equal(created.length, 1, JSON.stringify(results.map((r) => [r.status, r.body.code])));
  for (const refused of results.filter((r) => r.status !== 201)) assertProblem(refused, { status: 422, code: 'nothing_to_bill' });
  assert.equal(created[0]!.body.total, '533.00');
  const { rows } = await api.db.pool.query(
    `select count(distinct l.invoice_id)::int as invoices from time_entries t join invoice_lines l on l.id = t.invoice_line_id where t.organization_id = $1`,
    [firm.organizationId],
  );
  assert.equal(rows[0].invoices, 1);
});

test('groupBy project or customer merges lines (always one per rate); upTo and projectIds narrow the work', async () => {
  const { firm, customer, support, website } = await scenario();
  const [byProject] = await unbilled(firm, `?customerId=${customer.id}&groupBy=project`);
  assert.deepEqual(byProject.lines.slice(0, 4).map((l: any) => [l.description, l.quantity, l.unitPrice, l.amount]), [
    ['Support: 2026-03-02, 2026-03-03, 2026-03-04', '1', '100', '100.00'],
    ['Website: 2026-03-02, 2026-03-05', '0.75', '90', '67.50'],
    ['Website: 2026-03-02, 2026-03-03', '0.75', '120', '90.00'],
    ['Website: 2026-03-04', '1', '150', '150.00'],
  ]);
  // Across projects, time at one rate is one line: Audit joins Support at 100/h (100 minutes = 1.6667 h, 166.67).
  const audit = await createProject(firm, customer.id, { name: 'Audit', billing: { model: 'hourly', rate: '100' } });
  await logTime(firm, audit.id, 40, '2026-03-03');
  const byCustomer = await fromUnbilled(firm, { customerId: customer.id, groupBy: 'customer', upTo: '2026-03-04', projectIds: [support.id, website.id, audit.id] });
  assert.deepEqual(byCustomer.lines.map((l: any) => [l.description, l.quantity, l.unitPrice, l.amount]), [
    ['Website: 2026-03-02', '0.5', '90', '45.00'],
    ['Audit, Support: 2026-03-02, 2026-03-03, 2026-03-04', '1.6667', '100', '166.67'],
    ['Website: 2026-03-02, 2026-03-03', '0.75', '120', '90.00'],
    ['Website: 2026-03-04', '1', '150', '150.00'],
  ]);
  // What lies after upTo is still unbilled: the entry of the 5th and both expenses.
  const [rest] = await unbilled(firm);
  assert.deepEqual(rest.lines.map((l: any) => l.amount), ['22.50', '88.00', '37.50']);
  const onlySupport = await fromUnbilled(firm, { customerId: customer.id, projectIds: [support.id] });
  assert.deepEqual(onlySupport.lines.map((l: any) => l.amount), ['37.50']);
});

test('only billable, approved (or approval-free) time of hourly projects; pending and non-billable time waits', async () => {
  const firm = await api.tenant();
  const bea = await addPerson(api, firm);
  const { customer, project } = await hourlyProject(firm, '100', { requiresApproval: true });
  const fixed = await createProject(firm, customer.id, { name: 'Fixed build', billing: { model: 'fixed', amount: '5000.00' } });
  const pending = await logTime(bea, project.id, 60);
  await logTime(bea, project.id, 60, '2026-03-02', { billable: false });
  await logTime(bea, fixed.id, 60); // fixed-price time is billed by the contract, not by the hour
  assert.deepEqual(await unbilled(firm), []);
  assertProblem(await firm.request('POST', '/v1/invoices/from-unbilled', { customerId: customer.id }), { status: 422, code: 'nothing_to_bill' });
  expectStatus(await firm.request('POST', '/v1/approvals', { userId: bea.userId, weekStart: '2026-03-02', decision: 'approved' }), 201);
  const invoice = await fromUnbilled(firm, { customerId: customer.id });
  assert.deepEqual(invoice.lines.map((l: any) => l.amount), ['100.00']);
  assert.equal(expectStatus(await firm.request('GET', `/v1/time-entries/${pending.id}`), 200).invoiceId, invoice.id);
});

test('time without any rate is shown unpriced and refused for invoicing until a rate exists', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const project = await createProject(firm, customer.id, { billing: { model: 'hourly' } });
  const entry = await logTime(firm, project.id, 30);
  const [work] = await unbilled(firm);
  assert.deepEqual(work.unpricedTimeEntryIds, [entry.id]);
  assert.deepEqual([work.projects[0].timeEntries[0].rate, work.projects[0].timeEntries[0].amount, work.total], [null, null, '0.00']);
  assertProblem(await firm.request('POST', '/v1/invoices/from-unbilled', { customerId: customer.id }), { status: 422, code: 'rate_missing' });
  // The organization's default rate (in its base currency, EUR) is the last resort.
  const rule = expectStatus(await firm.request('POST', '/v1/rate-rules', { rate: '80' }), 201);
  assert.deepEqual([rule.scope, rule.currency, rule.rate], ['organization', 'EUR', '80']);
  const invoice = await fromUnbilled(firm, { customerId: customer.id });
  assert.deepEqual(invoice.lines.map((l: any) => [l.quantity, l.unitPrice, l.amount]), [['0.5', '80', '40.00']]);
});

test('awkward minutes bill exact amounts: quantities chosen so that quantity × rate gives the exact total', async () => {
  const firm = await api.tenant();
  const { customer, project } = await hourlyProject(firm, '150');
  await logTime(firm, project.id, 7, '2026-03-02'); // 7 minutes at 150/h = 17.50; 0.1167 h would bill 17.51
  const invoice = await fromUnbilled(firm, { customerId: customer.id });
  assert.deepEqual(invoice.lines.map((l: any) => [l.quantity, l.unitPrice, l.amount]), [['0.11667', '150', '17.50']]);
});

test('tax rates given apply to every line, and the customer of the projects must be the one named', async () => {
  const firm = await api.tenant();
  const vat = await createTaxRate(firm, '19');
  const { customer, project } = await hourlyProject(firm, '100');
  const other = await hourlyProject(firm, '100');
  await logTime(firm, project.id, 60);
  assertProblem(await firm.request('POST', '/v1/invoices/from-unbilled', { customerId: customer.id, projectIds: [other.project.id] }), {
    status: 422, code: 'project_of_another_customer', field: 'projectIds.0',
  });
  assertProblem(await firm.request('POST', '/v1/invoices/from-unbilled', { customerId: customer.id, groupBy: 'week' }), { status: 400, code: 'invalid_request' });
  const invoice = await fromUnbilled(firm, { customerId: customer.id, taxRateIds: [vat] });
  assert.deepEqual([invoice.subtotal, invoice.taxTotal, invoice.total], ['100.00', '19.00', '119.00']);
});
