/**
 * Customers: create, read, update, list (alphabetical, search, cursor pages), archive, delete,
 * and the balance and credit that GET /v1/customers/{id} reads from the ledger.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi, type Tenant } from '../helpers/api.ts';
import { createCustomer, createDraft, createIssuedInvoice, expectStatus, getCustomer, getInvoice, recordPayment } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';

const api = await createTestApi();

/** Every page of a list, following nextCursor; fails if it does not end. */
async function allPages(firm: Tenant, url: string): Promise<{ pages: any[][]; rows: any[] }> {
  const pages: any[][] = [];
  let cursor: string | null = null;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const body = expectStatus(await firm.request('GET', cursor ? `${url}${separator}cursor=${encodeURIComponent(cursor)}` : url), 200);
    pages.push(body.data);
    cursor = body.nextCursor;
    assert.ok(pages.length < 20, 'the list ends');
  } while (cursor);
  return { pages, rows: pages.flat() };
}

test('a created customer is returned with defaults, a zero balance, and can be read back', async () => {
  const firm = await api.tenant();
  const created = await createCustomer(firm, {
    name: '  Globex Corporation ', email: 'ap@globex.test', taxId: 'DE123456789', currency: 'EUR',
    address: { line1: 'Hauptstraße 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
    contacts: [{ name: 'Hank', email: 'hank@globex.test' }, { email: 'cc@globex.test', receivesInvoices: false }],
  });
  assert.match(created.id, /^cus_[0-9a-z]{26}$/);
  assert.equal(created.name, 'Globex Corporation', 'the name is trimmed');
  assert.equal(created.paymentTermsType, 'net');
  assert.equal(created.paymentTermsDays, 30);
  assert.equal(created.language, 'en');
  assert.equal(created.taxTreatment, 'standard');
  assert.equal(created.archivedAt, null);
  assert.equal(created.balance, '0.00');
  assert.equal(created.creditBalance, '0.00');
  assert.deepEqual(created.contacts.map((c: any) => [c.name, c.email, c.receivesInvoices]), [['Hank', 'hank@globex.test', true], [null, 'cc@globex.test', false]]);

  const read = await getCustomer(firm, created.id);
  assert.deepEqual(read, created);
});

test('PATCH changes only the fields given, replaces contacts, and keeps the rest', async () => {
  const firm = await api.tenant();
  const created = await createCustomer(firm, { name: 'Initech', email: 'old@initech.test', notes: 'keep me', contacts: [{ email: 'a@initech.test' }] });
  const updated = expectStatus(await firm.request('PATCH', `/v1/customers/${created.id}`, {
    email: 'billing@initech.test', paymentTermsDays: 14, paymentTermsType: 'end_of_month', contacts: [{ name: 'Bill', email: 'bill@initech.test' }],
  }), 200);
  assert.equal(updated.name, 'Initech');
  assert.equal(updated.notes, 'keep me');
  assert.equal(updated.email, 'billing@initech.test');
  assert.equal(updated.paymentTermsDays, 14);
  assert.equal(updated.paymentTermsType, 'end_of_month');
  assert.deepEqual(updated.contacts.map((c: any) => c.email), ['bill@initech.test']);
  assert.ok(updated.updatedAt >= created.updatedAt);
  assert.deepEqual(await getCustomer(firm, created.id), updated);
});

test('null clears an optional field: it is stored and returned as null, not as an empty string', async () => {
  const firm = await api.tenant();
  const created = await createCustomer(firm, { name: 'Initech', email: 'old@initech.test', notes: 'a note', taxId: 'DE1', paymentTermsDays: 14 });
  const cleared = expectStatus(await firm.request('PATCH', `/v1/customers/${created.id}`, { email: null, notes: null, taxId: null }), 200);
  assert.deepEqual([cleared.email, cleared.notes, cleared.taxId], [null, null, null]);
  assert.equal(cleared.paymentTermsDays, 14, 'fields not named are kept');
  const { rows } = await api.db.pool.query('select email, notes, tax_id from customers where id = $1', [created.id]);
  assert.deepEqual(rows[0], { email: null, notes: null, tax_id: null });
});

test('invalid customer fields are refused naming the field', async () => {
  const firm = await api.tenant();
  assertProblem(await firm.request('POST', '/v1/customers', { name: 'X', currency: 'EUR', email: 'not-an-email' }), { status: 422, field: 'email' });
  assertProblem(await firm.request('POST', '/v1/customers', { name: '   ', currency: 'EUR' }), { status: 422, field: 'name' });
  assertProblem(
    await firm.request('POST', '/v1/customers', { name: 'X', currency: 'EUR', address: { line1: 'a', city: 'b', postalCode: '1', country: 'XX' } }),
    { status: 422, field: 'address.country' },
  );
  assertProblem(await firm.request('POST', '/v1/customers', { name: 'X', currency: 'EUR', paymentTermsDays: 400 }), { status: 400, field: 'paymentTermsDays' });
  assertProblem(await firm.request('POST', '/v1/customers', { name: 'X', currency: 'EUR', contacts: [{ email: 'nope' }] }), { status: 422, field: 'contacts.0.email' });
  assert.deepEqual(expectStatus(await firm.request('GET', '/v1/customers'), 200).data, []);
});

test('the list is alphabetical regardless of case, and cursor pages of 3 show every customer exactly once', async () => {
  const firm = await api.tenant();
  const names = ['Delta', 'alpha', 'Echo', 'Charlie', 'golf', 'bravo', 'Foxtrot'];
  for (const name of names) await createCustomer(firm, { name });

  const { pages, rows } = await allPages(firm, '/v1/customers?limit=3');
  assert.deepEqual(pages.map((page) => page.length), [3, 3, 1]);
  assert.deepEqual(rows.map((c) => c.name), ['alpha', 'bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot', 'golf']);
  assert.equal(new Set(rows.map((c) => c.id)).size, 7, 'no customer is seen twice');

  const firstPage = expectStatus(await firm.request('GET', '/v1/customers?limit=7'), 200);
  assert.equal(firstPage.data.length, 7);
  assert.equal(firstPage.nextCursor, null, 'a page that holds the rest has no next cursor');
});

test('customers with the same name page correctly (the id breaks the tie)', async () => {
  const firm = await api.tenant();
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push((await createCustomer(firm, { name: i % 2 ? 'same name' : 'Same Name' })).id);
  await createCustomer(firm, { name: 'Zeta' });
  const { rows } = await allPages(firm, '/v1/customers?limit=2');
  assert.deepEqual(rows.slice(0, 5).map((c) => c.id).sort(), [...ids].sort());
  assert.equal(rows.length, 6);
  assert.equal(rows[5].name, 'Zeta');
  assert.deepEqual(rows.slice(0, 5).map((c) => c.id), [...ids].sort(), 'ties are ordered by id');
});

test('search matches name, e-mail and tax id, case-insensitively, and pages like the full list', async () => {
  const firm = await api.tenant();
  await createCustomer(firm, { name: 'Acme Rockets', email: 'ap@acme.test' });
  await createCustomer(firm, { name: 'Acme Anvils', email: 'billing@anvils.test' });
  await createCustomer(firm, { name: 'Wayne Enterprises', email: 'finance@acme-partners.test' });
  await createCustomer(firm, { name: 'Stark Industries', taxId: 'US-ACME-42' });
  await createCustomer(firm, { name: 'Umbrella', email: 'ap@umbrella.test' });
  await createCustomer(firm, { name: '100% Pure' });

  const names = async (query: string) => (await allPages(firm, `/v1/customers?limit=2&search=${encodeURIComponent(query)}`)).rows.map((c) => c.name);
  assert.deepEqual(await names('acme'), ['Acme Anvils', 'Acme Rockets', 'Stark Industries', 'Wayne Enterprises']);
  assert.deepEqual(await names('ANVILS'), ['Acme Anvils']);
  assert.deepEqual(await names('umbrella.test'), ['Umbrella']);
  assert.deepEqual(await names('%'), ['100% Pure'], 'a % in the search is a literal, not a wildcard');
  assert.deepEqual(await names('nobody'), []);
});

test('an archived customer is hidden from the list unless includeArchived, and unarchive restores it', async () => {
  const firm = await api.tenant();
  const kept = await createCustomer(firm, { name: 'Kept' });
  const gone = await createCustomer(firm, { name: 'Gone' });
  const archived = expectStatus(await firm.request('POST', `/v1/customers/${gone.id}/archive`), 200);
  assert.ok(archived.archivedAt, 'archivedAt is set');

  const listed = (url: string) => firm.request('GET', url).then((r) => expectStatus(r, 200).data.map((c: any) => c.name));
  assert.deepEqual(await listed('/v1/customers'), ['Kept']);
  assert.deepEqual(await listed('/v1/customers?includeArchived=true'), ['Gone', 'Kept']);
  assert.deepEqual(await listed('/v1/customers?search=Gone'), []);
  assert.equal((await getCustomer(firm, gone.id)).archivedAt, archived.archivedAt, 'an archived customer can still be read');

  assertProblem(
    await firm.request('POST', '/v1/invoices', { customerId: gone.id, lines: [{ description: 'Work', quantity: '1', unitPrice: '1.00' }] }),
    { status: 422, code: 'customer_archived', field: 'customerId' },
  );

  const restored = expectStatus(await firm.request('POST', `/v1/customers/${gone.id}/unarchive`), 200);
  assert.equal(restored.archivedAt, null);
  assert.deepEqual(await listed('/v1/customers'), ['Gone', 'Kept']);
  assert.ok(kept.id);
});

test('a customer without documents can be deleted; one with an invoice or a payment is refused with 409', async () => {
  const firm = await api.tenant();
  const plain = await createCustomer(firm, { name: 'Plain', contacts: [{ email: 'c@plain.test' }] });
  const response = await firm.request('DELETE', `/v1/customers/${plain.id}`);
  assert.equal(response.status, 204);
  assertProblem(await firm.request('GET', `/v1/customers/${plain.id}`), { status: 404, code: 'customer_not_found' });
  assertProblem(await firm.request('DELETE', `/v1/customers/${plain.id}`), { status: 404, code: 'customer_not_found' });

  const invoiced = await createCustomer(firm, { name: 'Invoiced', contacts: [{ email: 'c@invoiced.test' }] });
  await createDraft(firm, invoiced.id, [{ description: 'Work', quantity: '1', unitPrice: '1.00' }]);
  assertProblem(await firm.request('DELETE', `/v1/customers/${invoiced.id}`), { status: 409, code: 'customer_has_documents' });
  const stillThere = await getCustomer(firm, invoiced.id);
  assert.deepEqual(stillThere.contacts.map((c: any) => c.email), ['c@invoiced.test'], 'the refused delete kept the contacts');

  const paying = await createCustomer(firm, { name: 'Paying' });
  await recordPayment(firm, paying.id, '10.00');
  assertProblem(await firm.request('DELETE', `/v1/customers/${paying.id}`), { status: 409, code: 'customer_has_documents' });
});

test('balance is what open invoices owe; an overpayment becomes creditBalance', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const first = await createIssuedInvoice(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '100.00' }]);
  let read = await getCustomer(firm, customer.id);
  assert.equal(read.balance, '100.00');
  assert.equal(read.creditBalance, '0.00');

  const payment = await recordPayment(firm, customer.id, '150.00');
  assert.deepEqual(payment.allocations.map((a: any) => [a.invoiceId, a.amount]), [[first.id, '100.00']]);
  assert.equal(payment.unallocated, '50.00');
  read = await getCustomer(firm, customer.id);
  assert.equal(read.balance, '0.00');
  assert.equal(read.creditBalance, '50.00');
  assert.deepEqual(read.balances, [{ currency: 'EUR', balance: '0.00', creditBalance: '50.00' }]);
});

test('apply-credit settles open invoices oldest due first with the credit, and the balances follow', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  await recordPayment(firm, customer.id, '70.00'); // nothing open yet: all of it is credit
  assert.equal((await getCustomer(firm, customer.id)).creditBalance, '70.00');

  api.clock.at = new Date('2026-03-01T10:00:00Z');
  const older = await createIssuedInvoice(firm, customer.id, [{ description: 'March', quantity: '1', unitPrice: '40.00' }]);
  api.clock.at = new Date('2026-03-15T10:00:00Z');
  const newer = await createIssuedInvoice(firm, customer.id, [{ description: 'Later', quantity: '1', unitPrice: '50.00' }]);
  let read = await getCustomer(firm, customer.id);
  assert.equal(read.balance, '90.00');
  assert.equal(read.creditBalance, '70.00');

  const applied = expectStatus(await firm.request('POST', `/v1/customers/${customer.id}/apply-credit`, {}), 200);
  assert.equal(applied.currency, 'EUR');
  assert.equal(applied.applied, '70.00');
  assert.equal(applied.remainingCredit, '0.00');
  assert.deepEqual(applied.invoices.map((i: any) => [i.invoiceId, i.invoiceNumber, i.amount]), [[older.id, older.number, '40.00'], [newer.id, newer.number, '30.00']]);

  read = await getCustomer(firm, customer.id);
  assert.equal(read.balance, '20.00');
  assert.equal(read.creditBalance, '0.00');
  assert.equal((await getInvoice(firm, older.id)).status, 'paid');
  const rest = await getInvoice(firm, newer.id);
  assert.equal(rest.status, 'partially_paid');
  assert.equal(rest.amountDue, '20.00');
  assert.equal(expectStatus(await firm.request('GET', '/v1/ledger/verify'), 200).ok, true);

  assertProblem(await firm.request('POST', `/v1/customers/${customer.id}/apply-credit`, {}), { status: 422, code: 'no_credit_to_apply' });
});

test('apply-credit to one named invoice leaves the rest of the credit', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const first = await createIssuedInvoice(firm, customer.id, [{ description: 'A', quantity: '1', unitPrice: '30.00' }]);
  const second = await createIssuedInvoice(firm, customer.id, [{ description: 'B', quantity: '1', unitPrice: '25.00' }]);
  await recordPayment(firm, customer.id, '100.00', { allocations: [{ invoiceId: first.id, amount: '30.00' }] }); // 70.00 credit
  const applied = expectStatus(await firm.request('POST', `/v1/customers/${customer.id}/apply-credit`, { invoiceId: second.id }), 200);
  assert.equal(applied.applied, '25.00');
  assert.equal(applied.remainingCredit, '45.00');
  const read = await getCustomer(firm, customer.id);
  assert.equal(read.balance, '0.00');
  assert.equal(read.creditBalance, '45.00');
});

test('apply-credit works without a request body, like the other action endpoints', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  await createIssuedInvoice(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '10.00' }]);
  await recordPayment(firm, customer.id, '15.00');
  await createIssuedInvoice(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '10.00' }]);
  const applied = await firm.request('POST', `/v1/customers/${customer.id}/apply-credit`);
  assert.equal(applied.status, 200, JSON.stringify(applied.body));
  assert.equal(applied.body.applied, '5.00');
});

test("a customer's currency can change until it has documents", async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  assert.equal(expectStatus(await firm.request('PATCH', `/v1/customers/${customer.id}`, { currency: 'USD' }), 200).currency, 'USD');
  await createIssuedInvoice(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '10.00' }]);
  assertProblem(await firm.request('PATCH', `/v1/customers/${customer.id}`, { currency: 'EUR' }), { status: 422, field: 'currency' });
  assert.equal((await getCustomer(firm, customer.id)).currency, 'USD');
});

test('the customer list carries each customer’s balance and credit from the ledger', async () => {
  const firm = await api.tenant();
  const owing = await createCustomer(firm, { name: 'Owing Ltd' });
  const ahead = await createCustomer(firm, { name: 'Prepaid Ltd' });
  await createIssuedInvoice(firm, owing.id, [{ description: 'Work', quantity: '2', unitPrice: '60.00' }]);
  await recordPayment(firm, ahead.id, '25.00');
  const { data } = expectStatus(await firm.request('GET', '/v1/customers'), 200);
  const byName = new Map(data.map((c: any) => [c.name, [c.balance, c.creditBalance]]));
  assert.deepEqual(byName.get('Owing Ltd'), ['120.00', '0.00']);
  assert.deepEqual(byName.get('Prepaid Ltd'), ['0.00', '25.00']);
});
