import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi } from '../helpers/api.ts';

const api = await createTestApi();
const firm = await api.tenant();

async function customerAndTax() {
  const customer = await firm.request('POST', '/v1/customers', { name: 'Globex', email: 'ap@globex.test', currency: 'EUR' });
  const vat = await firm.request('POST', '/v1/tax-rates', { name: 'VAT 19%', percentage: '19', category: 'S' });
  return { customerId: customer.body.id as string, vatId: vat.body.id as string };
}

test('a draft is issued with a number, paid in part, credited for the rest, and the ledger verifies', async () => {
  const { customerId, vatId } = await customerAndTax();
  const draft = await firm.request('POST', '/v1/invoices', {
    customerId, lines: [{ description: 'Consulting', quantity: '10', unitPrice: '100.00', taxRateIds: [vatId] }],
  });
  assert.equal(draft.status, 201);
  assert.equal(draft.body.status, 'draft');
  assert.equal(draft.body.number, null);
  assert.equal(draft.body.total, '1190.00');

  const issued = await firm.request('POST', `/v1/invoices/${draft.body.id}/issue`);
  assert.equal(issued.status, 200);
  assert.equal(issued.body.status, 'open');
  assert.match(issued.body.number, /^INV-2026-\d{4}$/);
  assert.equal(issued.body.issueDate, '2026-03-15');
  assert.equal(issued.body.dueDate, '2026-04-14');

  const payment = await firm.request('POST', '/v1/payments', { customerId, amount: '190.00', currency: 'EUR', date: '2026-03-16', method: 'bank_transfer' });
  assert.equal(payment.status, 201);
  const partly = await firm.request('GET', `/v1/invoices/${draft.body.id}`);
  assert.equal(partly.body.status, 'partially_paid');
  assert.equal(partly.body.amountDue, '1000.00');

  const credit = await firm.request('POST', '/v1/credit-notes', { invoiceId: draft.body.id, amount: '1000.00' });
  assert.equal(credit.status, 201);
  assert.equal(credit.body.total, '1000.00');
  assert.equal(credit.body.taxTotal, '159.66');
  const paid = await firm.request('GET', `/v1/invoices/${draft.body.id}`);
  assert.equal(paid.body.status, 'paid');
  assert.equal(paid.body.amountDue, '0.00');

  const verify = await firm.request('GET', '/v1/ledger/verify');
  assert.equal(verify.body.ok, true, JSON.stringify(verify.body));
});
