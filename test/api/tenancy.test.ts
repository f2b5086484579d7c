/**
 * Tenants are isolated on every query: organization A can neither read nor change anything of
 * organization B (404 for ids in the path, 422 naming the field for ids in a body), and A's
 * lists never show B's rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi, type Tenant } from '../helpers/api.ts';
import { snapshotTables } from '../helpers/db-snapshot.ts';
import {
  createCustomer, createDraft, createIssuedInvoice, createTaxRate, expectStatus, getCustomer, getInvoice, recordPayment,
} from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';

const api = await createTestApi();
const a = await api.tenant({ name: 'Organization A' });
const b = await api.tenant({ name: 'Organization B' });

/** The same set of records in an organization: customers, catalog, documents in every state, a payment. */
async function populate(firm: Tenant, label: string) {
  const customer = await createCustomer(firm, { name: `${label} Customer`, email: `ap@${label.toLowerCase()}.test` });
  const archived = await createCustomer(firm, { name: `${label} Archived` });
  expectStatus(await firm.request('POST', `/v1/customers/${archived.id}/archive`), 200);
  const tax = await createTaxRate(firm, '19', { name: `${label} VAT` });
  const item = expectStatus(await firm.request('POST', '/v1/items', { name: `${label} Consulting`, unitPrice: '100.00', taxRateIds: [tax] }), 201);
  const line = [{ description: 'Work', quantity: '1', unitPrice: '100.00', taxRateIds: [tax] }];
  const draft = await createDraft(firm, customer.id, line);
  const open = await createIssuedInvoice(firm, customer.id, line);
  const credited = await createIssuedInvoice(firm, customer.id, line);
  const creditNote = expectStatus(await firm.request('POST', '/v1/credit-notes', { invoiceId: credited.id, amount: '10.00' }), 201);
  const payment = await recordPayment(firm, customer.id, '20.00', { allocations: [{ invoiceId: open.id, amount: '20.00' }] });
  return { customer, archived, tax, item, draft, open, credited, creditNote, payment };
}

const mine = await populate(a, 'A');
const theirs = await populate(b, 'B');
const bIds = new Set(Object.values(theirs).map((record) => (typeof record === 'string' ? record : record.id)));

function assertNoneOfB(rows: Array<{ id: string }>, what: string) {
  const leaked = rows.filter((row) => bIds.has(row.id));
  assert.deepEqual(leaked, [], `${what} of A include B's rows`);
}

test("A cannot read B's customer, invoice, credit note or payment: 404 as if they did not exist", async () => {
  const reads: Array<[string, string]> = [
    [`/v1/customers/${theirs.customer.id}`, 'customer_not_found'],
    [`/v1/invoices/${theirs.open.id}`, 'invoice_not_found'],
    [`/v1/invoices/${theirs.draft.id}`, 'invoice_not_found'],
    [`/v1/credit-notes/${theirs.creditNote.id}`, 'credit_note_not_found'],
    [`/v1/payments/${theirs.payment.id}`, 'payment_not_found'],
  ];
  for (const [url, code] of reads) {
    const response = await a.request('GET', url);
    assertProblem(response, { status: 404, code });
    assert.ok(!JSON.stringify(response.body).includes('B Customer'), `no data of B in ${url}`);
  }
});

test("A's lists never include B's rows, with or without filters that name B's ids", async () => {
  const lists = [
    '/v1/customers?includeArchived=true', '/v1/customers?search=Customer', '/v1/invoices', `/v1/invoices?customerId=${theirs.customer.id}`,
    '/v1/payments', `/v1/payments?customerId=${theirs.customer.id}`, '/v1/credit-notes', `/v1/credit-notes?invoiceId=${theirs.credited.id}`,
    `/v1/credit-notes?customerId=${theirs.customer.id}`, '/v1/tax-rates?includeArchived=true', '/v1/items',
  ];
  for (const url of lists) {
    const body = expectStatus(await a.request('GET', url), 200);
    assertNoneOfB(body.data, url);
  }
  // Filters on B's ids find nothing; unfiltered lists find exactly A's own rows.
  assert.deepEqual(expectStatus(await a.request('GET', `/v1/invoices?customerId=${theirs.customer.id}`), 200).data, []);
  assert.deepEqual(expectStatus(await a.request('GET', `/v1/credit-notes?invoiceId=${theirs.credited.id}`), 200).data, []);
  const customers = expectStatus(await a.request('GET', '/v1/customers?includeArchived=true'), 200).data.map((c: { id: string }) => c.id).sort();
  assert.deepEqual(customers, [mine.customer.id, mine.archived.id].sort());
  const invoices = expectStatus(await a.request('GET', '/v1/invoices'), 200).data.map((i: { id: string }) => i.id).sort();
  assert.deepEqual(invoices, [mine.draft.id, mine.open.id, mine.credited.id].sort());
  const payments = expectStatus(await a.request('GET', '/v1/payments'), 200).data.map((p: { id: string }) => p.id);
  assert.deepEqual(payments, [mine.payment.id]);
});

test("A cannot issue, edit, delete or void B's invoices, and B's invoices stay as they were", async () => {
  const before = await snapshotTables(api.db.pool);
  const line = [{ description: 'Hijack', quantity: '1', unitPrice: '1.00' }];
  assertProblem(await a.request('POST', `/v1/invoices/${theirs.draft.id}/issue`), { status: 404, code: 'invoice_not_found' });
  assertProblem(await a.request('PUT', `/v1/invoices/${theirs.draft.id}`, { customerId: mine.customer.id, lines: line }), { status: 404, code: 'invoice_not_found' });
  assertProblem(await a.request('DELETE', `/v1/invoices/${theirs.draft.id}`), { status: 404, code: 'invoice_not_found' });
  assertProblem(await a.request('POST', `/v1/invoices/${theirs.open.id}/void`, {}), { status: 404, code: 'invoice_not_found' });
  assert.deepEqual(await snapshotTables(api.db.pool), before);
  assert.equal((await getInvoice(b, theirs.draft.id)).status, 'draft');
  assert.equal((await getInvoice(b, theirs.open.id)).status, 'partially_paid');
});

test("A cannot pay or credit B's invoices, nor record a payment for B's customer", async () => {
  const before = await snapshotTables(api.db.pool);
  const payment = { amount: '10.00', currency: 'EUR', date: '2026-03-16', method: 'bank_transfer' };
  assertProblem(await a.request('POST', '/v1/payments', { ...payment, customerId: theirs.customer.id }), { status: 422, code: 'customer_not_found', field: 'customerId' });
  assertProblem(
    await a.request('POST', '/v1/payments', { ...payment, customerId: mine.customer.id, allocations: [{ invoiceId: theirs.open.id, amount: '10.00' }] }),
    { status: 422, code: 'invoice_not_found', field: 'allocations.0.invoiceId' },
  );
  assertProblem(await a.request('POST', '/v1/credit-notes', { invoiceId: theirs.open.id, amount: '10.00' }), { status: 422, code: 'invoice_not_found', field: 'invoiceId' });
  assertProblem(
    await a.request('POST', '/v1/credit-notes', { invoiceId: mine.open.id, lines: [{ invoiceLineId: theirs.open.lines[0].id, quantity: '1' }] }),
    { status: 422, field: 'lines.0.invoiceLineId' },
  );
  assertProblem(await a.request('POST', `/v1/customers/${theirs.customer.id}/apply-credit`, {}), { status: 404, code: 'customer_not_found' });
  assertProblem(await a.request('POST', `/v1/customers/${mine.customer.id}/apply-credit`, { invoiceId: theirs.open.id }), { status: 422 });
  assert.deepEqual(await snapshotTables(api.db.pool), before);
  const theirInvoice = await getInvoice(b, theirs.open.id);
  assert.equal(theirInvoice.amountPaid, '20.00');
  assert.equal(theirInvoice.amountCredited, '0.00');
});

test("A cannot change, archive or delete B's customer", async () => {
  const before = await snapshotTables(api.db.pool);
  assertProblem(await a.request('PATCH', `/v1/customers/${theirs.customer.id}`, { name: 'Renamed by A' }), { status: 404, code: 'customer_not_found' });
  assertProblem(await a.request('POST', `/v1/customers/${theirs.customer.id}/archive`), { status: 404, code: 'customer_not_found' });
  assertProblem(await a.request('POST', `/v1/customers/${theirs.archived.id}/unarchive`), { status: 404, code: 'customer_not_found' });
  assertProblem(await a.request('DELETE', `/v1/customers/${theirs.archived.id}`), { status: 404, code: 'customer_not_found' });
  assert.deepEqual(await snapshotTables(api.db.pool), before);
  const customer = await getCustomer(b, theirs.customer.id);
  assert.equal(customer.name, 'B Customer');
  assert.equal(customer.archivedAt, null);
});

test("A cannot use or change B's catalog: tax rates and items", async () => {
  const before = await snapshotTables(api.db.pool);
  assertProblem(await a.request('POST', `/v1/tax-rates/${theirs.tax}/archive`), { status: 404, code: 'tax_rate_not_found' });
  assertProblem(await a.request('PATCH', `/v1/items/${theirs.item.id}`, { unitPrice: '1.00' }), { status: 404, code: 'item_not_found' });
  assertProblem(
    await a.request('POST', '/v1/invoices', { customerId: mine.customer.id, lines: [{ itemId: theirs.item.id, quantity: '1' }] }),
    { status: 422, code: 'item_not_found', field: 'lines.0.itemId' },
  );
  assertProblem(
    await a.request('POST', '/v1/invoices', { customerId: mine.customer.id, lines: [{ description: 'Work', quantity: '1', unitPrice: '1.00', taxRateIds: [theirs.tax] }] }),
    { status: 422, code: 'tax_rate_not_found', field: 'lines.0.taxRateIds.0' },
  );
  assertProblem(await a.request('POST', '/v1/invoices', { customerId: theirs.customer.id, lines: [] }), { status: 422, code: 'customer_not_found', field: 'customerId' });
  assert.deepEqual(await snapshotTables(api.db.pool), before);
});

test("B's money moves nothing in A's ledger, and each organization's ledger verifies", async () => {
  const trial = expectStatus(await a.request('GET', '/v1/ledger/trial-balance'), 200);
  const receivable = trial.accounts.find((account: { code: string }) => account.code === '1100');
  // A: two invoices of 119.00, 20.00 paid, 10.00 credited → 208.00 owed; B's identical activity is not added.
  assert.equal(receivable.balance, '208.00');
  assert.equal(trial.balanced, true);
  for (const firm of [a, b]) assert.equal(expectStatus(await firm.request('GET', '/v1/ledger/verify'), 200).ok, true);
});

test('both organizations number their invoices independently from 0001', async () => {
  assert.equal(mine.open.number, 'INV-2026-0001');
  assert.equal(theirs.open.number, 'INV-2026-0001');
  assert.equal(mine.creditNote.number, 'CN-2026-0001');
  assert.equal(theirs.creditNote.number, 'CN-2026-0001');
});
