/**
 * Stock-tracked items: issuing takes goods out, credit notes and voids bring them back, manual
 * adjustments are recorded, and stock never goes below zero unless the organization allows it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi, type Tenant } from '../helpers/api.ts';
import { createCustomer, createDraft, expectStatus, issueInvoice } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';

const api = await createTestApi();

async function stockedItem(firm: Tenant, onHand: string, fields: Record<string, unknown> = {}) {
  const item = expectStatus(await firm.request('POST', '/v1/items', { name: 'Laptop', unit: 'piece', unitPrice: '999.00', trackStock: true, lowStockThreshold: '2', ...fields }), 201);
  return expectStatus(await firm.request('POST', `/v1/items/${item.id}/stock-adjustments`, { quantity: onHand, note: 'delivery' }), 200);
}

async function onHand(firm: Tenant, itemId: string): Promise<string> {
  const { data } = expectStatus(await firm.request('GET', '/v1/items'), 200);
  return data.find((item: any) => item.id === itemId).quantityOnHand;
}

test('issuing takes stock, a credit note by lines returns it, a void returns the rest', async () => {
  const firm = await api.tenant();
  const laptop = await stockedItem(firm, '5');
  assert.equal(laptop.quantityOnHand, '5');
  const customer = await createCustomer(firm);
  const draft = await createDraft(firm, customer.id, [{ itemId: laptop.id, quantity: '3' }, { description: 'Setup', quantity: '1', unitPrice: '50' }]);
  assert.equal(await onHand(firm, laptop.id), '5', 'a draft takes nothing');
  const invoice = await issueInvoice(firm, draft.id);
  assert.equal(await onHand(firm, laptop.id), '2');

  expectStatus(await firm.request('POST', '/v1/credit-notes', { invoiceId: invoice.id, lines: [{ invoiceLineId: invoice.lines[0].id, quantity: '1' }] }), 201);
  assert.equal(await onHand(firm, laptop.id), '3');

  const low = expectStatus(await firm.request('GET', '/v1/items/low-stock'), 200).data;
  assert.deepEqual(low, [], 'three on hand is above the threshold of two');

  const other = await issueInvoice(firm, (await createDraft(firm, customer.id, [{ itemId: laptop.id, quantity: '1' }])).id);
  assert.equal(await onHand(firm, laptop.id), '2');
  assert.deepEqual(expectStatus(await firm.request('GET', '/v1/items/low-stock'), 200).data.map((i: any) => [i.name, i.quantityOnHand]), [['Laptop', '2']]);
  expectStatus(await firm.request('POST', `/v1/invoices/${other.id}/void`), 200);
  assert.equal(await onHand(firm, laptop.id), '3');

  // Every change is a movement, newest first, naming what moved it; they add up to what is on hand.
  const movements = expectStatus(await firm.request('GET', `/v1/items/${laptop.id}/stock-movements`), 200).data;
  assert.deepEqual(movements.map((m: any) => [m.reason, m.quantityChange, m.sourceId === null ? m.note : 'source']), [
    ['invoice_voided', '1', 'source'], ['invoice_issued', '-1', 'source'], ['credit_note', '1', 'source'], ['invoice_issued', '-3', 'source'], ['adjustment', '5', 'delivery'],
  ]);
  assert.equal(movements.find((m: any) => m.reason === 'invoice_issued' && m.quantityChange === '-3').sourceId, invoice.id);
  assertProblem(await firm.request('GET', '/v1/items/itm_missing/stock-movements'), { status: 404 });
});

test('stock never goes below zero unless the organization allows it; the refusal changes nothing', async () => {
  const firm = await api.tenant();
  const laptop = await stockedItem(firm, '1');
  const customer = await createCustomer(firm);
  const draft = await createDraft(firm, customer.id, [{ description: 'Setup', quantity: '1', unitPrice: '50' }, { itemId: laptop.id, quantity: '2' }]);
  assertProblem(await firm.request('POST', `/v1/invoices/${draft.id}/issue`), { status: 409, code: 'insufficient_stock', field: 'lines.1.quantity' });
  assert.equal(await onHand(firm, laptop.id), '1');
  assert.equal(expectStatus(await firm.request('GET', `/v1/invoices/${draft.id}`), 200).status, 'draft', 'still a draft, no number used');

  expectStatus(await firm.request('PATCH', '/v1/organization', { allowNegativeStock: true }), 200);
  expectStatus(await firm.request('POST', `/v1/invoices/${draft.id}/issue`), 200);
  assert.equal(await onHand(firm, laptop.id), '-1');
  assert.equal(expectStatus(await firm.request('GET', '/v1/invoices?status=open'), 200).data[0].number, 'INV-2026-0001');
});

test('adjustments need a tracked item and a non-zero quantity; untracked items are never counted', async () => {
  const firm = await api.tenant();
  const service = expectStatus(await firm.request('POST', '/v1/items', { name: 'Consulting', unit: 'hour', unitPrice: '120' }), 201);
  assertProblem(await firm.request('POST', `/v1/items/${service.id}/stock-adjustments`, { quantity: '3' }), { status: 409, code: 'stock_not_tracked' });
  const laptop = await stockedItem(firm, '4');
  assertProblem(await firm.request('POST', `/v1/items/${laptop.id}/stock-adjustments`, { quantity: '0' }), { status: 422, field: 'quantity' });
  expectStatus(await firm.request('POST', `/v1/items/${laptop.id}/stock-adjustments`, { quantity: '-1.5' }), 200);
  assert.equal(await onHand(firm, laptop.id), '2.5');
  const customer = await createCustomer(firm);
  await issueInvoice(firm, (await createDraft(firm, customer.id, [{ itemId: service.id, quantity: '10' }])).id);
  assert.equal(await onHand(firm, service.id), '0');
  const foreign = await api.tenant();
  assertProblem(await foreign.request('POST', `/v1/items/${laptop.id}/stock-adjustments`, { quantity: '1' }), { status: 404 });
});
