/**
 * Expenses: amounts in the customer's currency, markup rounded once, receipts stored in the
 * database (base64 in, the same bytes out), at most 5 MiB, pictures and PDFs only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi } from '../helpers/api.ts';
import { createCustomer, expectStatus } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';
import { addPerson, createProject, hourlyProject } from '../helpers/work.ts';

const api = await createTestApi('2026-03-10T10:00:00Z');

// A real (1×1, transparent) PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

test('an expense with its receipt: stored, described, and served back byte for byte', async () => {
  const firm = await api.tenant();
  const bea = await addPerson(api, firm);
  const { project } = await hourlyProject(firm);
  const expense = expectStatus(await bea.request('POST', '/v1/expenses', {
    projectId: project.id, date: '2026-03-04', amount: '42.50', category: 'Travel', description: 'Train to Lyon', markupPercent: '10',
    receipt: { filename: 'C:\\fakepath\\ticket.png', contentType: 'image/png', data: PNG.toString('base64') },
  }), 201);
  assert.deepEqual(
    [expense.userId, expense.date, expense.amount, expense.currency, expense.category, expense.markupPercent, expense.billedAmount, expense.billable, expense.billed],
    [bea.userId, '2026-03-04', '42.50', 'EUR', 'Travel', '10', '46.75', true, false],
  );
  assert.deepEqual(expense.receipt, { filename: 'ticket.png', contentType: 'image/png', sizeBytes: PNG.length, url: `/v1/expenses/${expense.id}/receipt` });

  const file = await api.app.inject({ method: 'GET', url: expense.receipt.url, headers: { authorization: `Bearer ${firm.apiKey}` } });
  assert.equal(file.statusCode, 200);
  assert.deepEqual(file.rawPayload, PNG);
  assert.equal(file.headers['content-type'], 'image/png');
  assert.equal(file.headers['x-content-type-options'], 'nosniff');
  assert.equal(file.headers['content-disposition'], "inline; filename*=UTF-8''ticket.png");
  assert.match(String(file.headers['content-security-policy']), /sandbox/);

  // Replaced, then removed.
  const pdf = Buffer.from('%PDF-1.4\n%fake but non-empty\n');
  const replaced = expectStatus(await firm.request('PATCH', `/v1/expenses/${expense.id}`, { receipt: { filename: 'réçu 1.pdf', contentType: 'application/pdf', data: pdf.toString('base64') } }), 200);
  assert.deepEqual([replaced.receipt.filename, replaced.receipt.sizeBytes], ['réçu 1.pdf', pdf.length]);
  const second = await api.app.inject({ method: 'GET', url: replaced.receipt.url, headers: { authorization: `Bearer ${firm.apiKey}` } });
  assert.deepEqual([second.rawPayload, second.headers['content-disposition']], [pdf, "inline; filename*=UTF-8''r%C3%A9%C3%A7u%201.pdf"]);
  const removed = expectStatus(await firm.request('PATCH', `/v1/expenses/${expense.id}`, { receipt: null }), 200);
  assert.equal(removed.receipt, null);
  assertProblem(await firm.request('GET', `/v1/expenses/${expense.id}/receipt`), { status: 404, code: 'receipt_not_found' });
  assertProblem(await firm.request('GET', '/v1/expenses/exp_missing/receipt'), { status: 404, code: 'expense_not_found' });
});

test('markup: amount × (1 + markup / 100), rounded once, half up (or half even when the organization says so)', async () => {
  const firm = await api.tenant();
  const { project } = await hourlyProject(firm);
  const cases: Array<[amount: string, markup: string | undefined, billed: string]> = [
    ['80.00', '10', '88.00'], ['80.00', undefined, '80.00'], ['0.01', '50', '0.02'], ['33.33', '12.5', '37.50'],
    ['19.99', '7.5', '21.49'], ['100.00', '0.0001', '100.00'], ['10.00', '1000', '110.00'], ['0.10', '25', '0.13'],
  ];
  for (const [amount, markupPercent, billed] of cases) {
    const expense = expectStatus(await firm.request('POST', '/v1/expenses', { projectId: project.id, date: '2026-03-04', amount, category: 'Misc', ...(markupPercent ? { markupPercent } : {}) }), 201);
    assert.equal(expense.billedAmount, billed, `${amount} + ${markupPercent}%`);
  }
  expectStatus(await firm.request('PATCH', '/v1/organization', { roundingMode: 'half_even' }), 200);
  const even = expectStatus(await firm.request('POST', '/v1/expenses', { projectId: project.id, date: '2026-03-04', amount: '0.10', category: 'Misc', markupPercent: '25' }), 201);
  assert.equal(even.billedAmount, '0.12'); // 0.125 to even

  const yen = await createCustomer(firm, { name: 'Tokyo KK', currency: 'JPY' });
  const yenProject = await createProject(firm, yen.id, { name: 'Tokyo' });
  const jpy = expectStatus(await firm.request('POST', '/v1/expenses', { projectId: yenProject.id, date: '2026-03-04', amount: '1999', category: 'Taxi', markupPercent: '15' }), 201);
  assert.deepEqual([jpy.currency, jpy.amount, jpy.billedAmount], ['JPY', '1999', '2299']); // 2298.85
});

test('bad expenses are refused, naming the field', async () => {
  const firm = await api.tenant();
  const { project } = await hourlyProject(firm);
  const base = { projectId: project.id, date: '2026-03-04', amount: '10.00', category: 'Misc' };
  const refusals: Array<[Record<string, unknown>, number, string, string?]> = [
    [{ currency: 'USD' }, 422, 'currency', 'currency_mismatch'],
    [{ amount: '1.234' }, 422, 'amount'],
    [{ amount: '0.00' }, 422, 'amount'],
    [{ amount: '-5.00' }, 422, 'amount'],
    [{ amount: 10 }, 400, 'amount'],
    [{ category: '   ' }, 422, 'category'],
    [{ markupPercent: '1000.01' }, 422, 'markupPercent'],
    [{ markupPercent: '-1' }, 422, 'markupPercent'],
    [{ date: '2026-02-30' }, 400, 'date'],
    [{ receipt: { filename: 'x.html', contentType: 'text/html', data: 'PGgxPg==' } }, 400, 'receipt.contentType'],
    [{ receipt: { filename: 'x.png', contentType: 'image/png', data: 'not base64!' } }, 422, 'receipt.data'],
    [{ receipt: { filename: 'x.png', contentType: 'image/png', data: '' } }, 422, 'receipt.data'],
    [{ receipt: { filename: '/', contentType: 'image/png', data: 'AAAA' } }, 422, 'receipt.filename'],
  ];
  for (const [fields, status, field, code] of refusals) {
    assertProblem(await firm.request('POST', '/v1/expenses', { ...base, ...fields }), { status, field, ...(code ? { code } : {}) });
  }
  assertProblem(await firm.request('POST', '/v1/expenses', { ...base, projectId: 'prj_nope' }), { status: 422, code: 'project_not_found', field: 'projectId' });
  const { rows } = await api.db.pool.query('select count(*)::int as n from expenses where organization_id = $1', [firm.organizationId]);
  assert.equal(rows[0].n, 0, 'nothing half-written');
});

test('receipts up to 5 MiB; one byte more is refused, and a body over 8 MiB never reaches the handler', async () => {
  const firm = await api.tenant();
  const { project } = await hourlyProject(firm);
  const base = { projectId: project.id, date: '2026-03-04', amount: '10.00', category: 'Misc' };
  const largest = Buffer.alloc(5 * 1024 * 1024, 7);
  const ok = expectStatus(await firm.request('POST', '/v1/expenses', { ...base, receipt: { filename: 'big.pdf', contentType: 'application/pdf', data: largest.toString('base64') } }), 201);
  assert.equal(ok.receipt.sizeBytes, largest.length);
  const file = await api.app.inject({ method: 'GET', url: ok.receipt.url, headers: { authorization: `Bearer ${firm.apiKey}` } });
  assert.ok(file.rawPayload.equals(largest));

  const tooBig = Buffer.alloc(5 * 1024 * 1024 + 1, 7).toString('base64');
  for (const [method, url] of [['POST', '/v1/expenses'], ['PATCH', `/v1/expenses/${ok.id}`]] as const) {
    const body = { ...(method === 'POST' ? base : {}), receipt: { filename: 'big.pdf', contentType: 'application/pdf', data: tooBig } };
    assertProblem(await firm.request(method, url, body), { status: 422, code: 'receipt_too_large', field: 'receipt.data' });
  }
  const longer = tooBig + 'AAAA'.repeat(1000); // beyond what 5 MiB can encode: the schema refuses it unread
  assertProblem(await firm.request('POST', '/v1/expenses', { ...base, receipt: { filename: 'big.pdf', contentType: 'application/pdf', data: longer } }), { status: 400, field: 'receipt.data' });
  const huge = await firm.request('POST', '/v1/expenses', { ...base, description: 'x'.repeat(9 * 1024 * 1024) });
  assert.equal(huge.status, 413);
  // Other routes keep the 1 MiB limit.
  assert.equal((await firm.request('POST', '/v1/time-entries', { projectId: project.id, description: 'x'.repeat(2 * 1024 * 1024) })).status, 413);
});

test('editing, listing and deleting expenses', async () => {
  const firm = await api.tenant();
  const { customer, project } = await hourlyProject(firm);
  const other = await createProject(firm, customer.id, { name: 'Other' });
  const a = expectStatus(await firm.request('POST', '/v1/expenses', { projectId: project.id, date: '2026-03-02', amount: '10.00', category: 'Misc' }), 201);
  const b = expectStatus(await firm.request('POST', '/v1/expenses', { projectId: other.id, date: '2026-03-05', amount: '20.00', category: 'Misc', billable: false }), 201);
  const changed = expectStatus(await firm.request('PATCH', `/v1/expenses/${a.id}`, { amount: '12.00', markupPercent: '50', projectId: other.id, date: '2026-03-03' }), 200);
  assert.deepEqual([changed.amount, changed.billedAmount, changed.projectId, changed.date], ['12.00', '18.00', other.id, '2026-03-03']);
  const list = async (query: string) => expectStatus(await firm.request('GET', `/v1/expenses${query}`), 200).data.map((e: any) => e.id);
  assert.deepEqual(await list(''), [b.id, a.id]);
  assert.deepEqual(await list(`?customerId=${customer.id}&from=2026-03-04`), [b.id]);
  assert.deepEqual(await list(`?projectId=${project.id}`), []);
  assert.deepEqual(await list('?billed=false'), [b.id, a.id]);
  assert.equal((await firm.request('DELETE', `/v1/expenses/${b.id}`)).status, 204);
  assertProblem(await firm.request('GET', `/v1/expenses/${b.id}`), { status: 404, code: 'expense_not_found' });
  const { rows } = await api.db.pool.query('select count(*)::int as n from expense_receipts where expense_id = $1', [b.id]);
  assert.equal(rows[0].n, 0);
});
