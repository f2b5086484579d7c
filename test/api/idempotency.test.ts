/**
 * `Idempotency-Key` on POST: a retry with the same key and body gets the first response again
 * (`idempotent-replayed: true`) and changes nothing; another body with the same key is a 409;
 * keys belong to one organization.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi, type Tenant } from '../helpers/api.ts';
import { snapshotTables } from '../helpers/db-snapshot.ts';
import { createCustomer, createDraft, createIssuedInvoice, expectStatus, getInvoice, issueInvoice } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';

const api = await createTestApi();

async function count(table: 'customers' | 'invoices' | 'payments' | 'journal_entries', firm: Tenant): Promise<number> {
  const { rows } = await api.db.pool.query(`select count(*)::int as n from ${table} where organization_id = $1`, [firm.organizationId]);
  return rows[0].n;
}

const withKey = (key: string) => ({ 'idempotency-key': key });

test('the same key and body returns the first response, marked as replayed, and creates nothing new', async () => {
  const firm = await api.tenant();
  const body = { name: 'Globex', currency: 'EUR', email: 'ap@globex.test' };
  const first = await firm.request('POST', '/v1/customers', body, withKey('create-globex'));
  assert.equal(first.status, 201);
  assert.equal(first.headers['idempotent-replayed'], undefined, 'the first response is not a replay');
  const before = await snapshotTables(api.db.pool);

  const retry = await firm.request('POST', '/v1/customers', body, withKey('create-globex'));
  assert.equal(retry.status, 201);
  assert.equal(retry.headers['idempotent-replayed'], 'true');
  assert.equal(retry.body.id, first.body.id);
  assert.deepEqual(retry.body, first.body);
  assert.deepEqual(await snapshotTables(api.db.pool), before, 'the retry wrote nothing');
  assert.equal(await count('customers', firm), 1);
});

test('a replayed payment settles its invoice once and posts one journal entry', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const invoice = await createIssuedInvoice(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '100.00' }]);
  const body = { customerId: customer.id, amount: '60.00', currency: 'EUR', date: '2026-03-16', method: 'bank_transfer' };
  const entriesBefore = await count('journal_entries', firm);

  const first = expectStatus(await firm.request('POST', '/v1/payments', body, withKey('pay-60')), 201);
  const retries = [];
  for (let i = 0; i < 3; i++) retries.push(await firm.request('POST', '/v1/payments', body, withKey('pay-60')));

  for (const retry of retries) {
    assert.equal(retry.status, 201);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.equal(retry.body.id, first.id);
  }
  assert.equal(await count('payments', firm), 1);
  assert.equal(await count('journal_entries', firm), entriesBefore + 1);
  const after = await getInvoice(firm, invoice.id);
  assert.equal(after.amountPaid, '60.00');
  assert.equal(after.amountDue, '40.00');
});

test('a replayed issue returns the same number and takes no number from the series', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const draft = await createDraft(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '10.00' }]);
  const first = expectStatus(await firm.request('POST', `/v1/invoices/${draft.id}/issue`, undefined, withKey('issue-1')), 200);
  const retry = await firm.request('POST', `/v1/invoices/${draft.id}/issue`, undefined, withKey('issue-1'));
  assert.equal(retry.status, 200, 'a retry is not a second issue (which would be 409)');
  assert.equal(retry.headers['idempotent-replayed'], 'true');
  assert.equal(retry.body.number, first.number);
  assert.equal(first.number, 'INV-2026-0001');

  const next = await createIssuedInvoice(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '10.00' }]);
  assert.equal(next.number, 'INV-2026-0002', 'numbers stay gapless');
});

test('the same key with a different body is refused with 409 and creates nothing', async () => {
  const firm = await api.tenant();
  expectStatus(await firm.request('POST', '/v1/customers', { name: 'Globex', currency: 'EUR' }, withKey('k')), 201);
  const before = await snapshotTables(api.db.pool);
  const reused = await firm.request('POST', '/v1/customers', { name: 'Initech', currency: 'EUR' }, withKey('k'));
  assertProblem(reused, { status: 409, code: 'idempotency_key_reused' });
  assert.equal(reused.headers['idempotent-replayed'], undefined);
  assert.deepEqual(await snapshotTables(api.db.pool), before);
  assert.equal(await count('customers', firm), 1);
});

test('the same key and body on another endpoint is refused with 409', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const first = await createDraft(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '10.00' }]);
  const second = await createDraft(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '10.00' }]);
  expectStatus(await firm.request('POST', `/v1/invoices/${first.id}/issue`, undefined, withKey('issue')), 200);
  assertProblem(await firm.request('POST', `/v1/invoices/${second.id}/issue`, undefined, withKey('issue')), { status: 409, code: 'idempotency_key_reused' });
  assert.equal((await getInvoice(firm, second.id)).status, 'draft');
});

test('the same body with its fields in another order is the same request and is replayed', async () => {
  const firm = await api.tenant();
  const first = expectStatus(await firm.request('POST', '/v1/customers', { name: 'Globex', currency: 'EUR' }, withKey('order')), 201);
  // The same JSON object, serialized by a client that orders keys differently.
  const retry = await firm.request('POST', '/v1/customers', '{"currency":"EUR","name":"Globex"}', withKey('order'));
  assert.equal(retry.status, 201, JSON.stringify(retry.body));
  assert.equal(retry.headers['idempotent-replayed'], 'true');
  assert.equal(retry.body.id, first.id);
  assert.equal(await count('customers', firm), 1);
});

test('different organizations may use the same key independently', async () => {
  const a = await api.tenant({ name: 'A' });
  const b = await api.tenant({ name: 'B' });
  const body = { name: 'Globex', currency: 'EUR' };
  const fromA = await a.request('POST', '/v1/customers', body, withKey('shared-key'));
  const fromB = await b.request('POST', '/v1/customers', body, withKey('shared-key'));
  assert.equal(fromA.status, 201);
  assert.equal(fromB.status, 201);
  assert.equal(fromB.headers['idempotent-replayed'], undefined, "B does not get A's response");
  assert.notEqual(fromA.body.id, fromB.body.id);
  assert.equal(await count('customers', a), 1);
  assert.equal(await count('customers', b), 1);
  // And each organization's retry replays its own response.
  const retryB = await b.request('POST', '/v1/customers', body, withKey('shared-key'));
  assert.equal(retryB.headers['idempotent-replayed'], 'true');
  assert.equal(retryB.body.id, fromB.body.id);
});

test('a 4xx response is stored and replayed too, even after the state that caused it has changed', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const draft = await createDraft(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '10.00' }]);
  const refused = await firm.request('POST', `/v1/invoices/${draft.id}/void`, { reason: 'mistake' }, withKey('void-1'));
  assertProblem(refused, { status: 409, code: 'invoice_not_issued' });

  await issueInvoice(firm, draft.id); // voiding would succeed now, but a retry must not run again
  const retry = await firm.request('POST', `/v1/invoices/${draft.id}/void`, { reason: 'mistake' }, withKey('void-1'));
  assertProblem(retry, { status: 409, code: 'invoice_not_issued' });
  assert.equal(retry.headers['idempotent-replayed'], 'true');
  assert.deepEqual(retry.body, refused.body);
  assert.equal((await getInvoice(firm, draft.id)).status, 'open');
});

test('a 422 validation refusal is replayed with its problem body', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const body = { customerId: customer.id, amount: '0.00', currency: 'EUR', date: '2026-03-16', method: 'cash' };
  const first = await firm.request('POST', '/v1/payments', body, withKey('zero'));
  assertProblem(first, { status: 422, code: 'invalid_input', field: 'amount' });
  const retry = await firm.request('POST', '/v1/payments', body, withKey('zero'));
  assertProblem(retry, { status: 422, code: 'invalid_input', field: 'amount' });
  assert.equal(retry.headers['idempotent-replayed'], 'true');
  assert.deepEqual(retry.body, first.body);
});

test('without a key, the same request twice creates two records', async () => {
  const firm = await api.tenant();
  const body = { name: 'Globex', currency: 'EUR' };
  const first = expectStatus(await firm.request('POST', '/v1/customers', body), 201);
  const second = await firm.request('POST', '/v1/customers', body);
  assert.equal(second.status, 201);
  assert.equal(second.headers['idempotent-replayed'], undefined);
  assert.notEqual(second.body.id, first.id);
  assert.equal(await count('customers', firm), 2);
});

test('concurrent requests with one key create one record; the others replay it or are told it is in progress', async () => {
  const firm = await api.tenant();
  const body = { name: 'Globex', currency: 'EUR' };
  const responses = await Promise.all(Array.from({ length: 6 }, () => firm.request('POST', '/v1/customers', body, withKey('race'))));
  assert.equal(await count('customers', firm), 1);
  const created = responses.filter((r) => r.status === 201);
  assert.ok(created.length >= 1);
  assert.equal(new Set(created.map((r) => r.body.id)).size, 1, 'every 201 carries the one customer');
  assert.equal(created.filter((r) => r.headers['idempotent-replayed'] !== 'true').length, 1, 'exactly one response is the original');
  for (const other of responses.filter((r) => r.status !== 201)) assertProblem(other, { status: 409, code: 'idempotency_request_in_progress' });
});
