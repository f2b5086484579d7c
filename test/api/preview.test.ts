/**
 * POST /v1/invoices/preview takes the body of POST /v1/invoices and answers with the invoice that
 * would be created, computed by the same code, and saves nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi } from '../helpers/api.ts';
import { createCustomer, createTaxRate, expectStatus } from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';

const api = await createTestApi();
const firm = await api.tenant();
const other = await api.tenant({ name: 'Other Firm' });

const customer = await createCustomer(firm, { name: 'Globex' });
const vat19 = await createTaxRate(firm, '19');
const vat7 = await createTaxRate(firm, '7');
const item = expectStatus(await firm.request('POST', '/v1/items', { name: 'Support hour', unit: 'hour', unitPrice: '95.50', taxRateIds: [vat19] }), 201);

/** The saved rows, to show that a preview writes nothing. */
async function counts(): Promise<Record<string, number>> {
  const { rows } = await api.db.pool.query(
    `select (select count(*) from invoices)::int as invoices, (select count(*) from invoice_lines)::int as lines,
            (select count(*) from journal_entries)::int as entries, (select count(*) from number_counters)::int as counters`,
  );
  return rows[0];
}

/** An invoice without what only a saved one has: its id, its lines' ids and when it was created. */
function comparable(invoice: any): any {
  const { id, createdAt, lines, ...rest } = invoice;
  return { ...rest, lines: lines.map(({ id: lineId, ...line }: any) => line) };
}

const bodies: Record<string, unknown> = {
  'lines with taxes, discounts, an item and service dates': {
    customerId: customer.id,
    discountPercent: '2.5',
    purchaseOrder: 'PO-77', reference: 'Q1', notes: 'Thank you', terms: 'Net 30',
    lines: [
      { description: 'Consulting', quantity: '7.25', unitPrice: '120.00', discountPercent: '10', taxRateIds: [vat19], serviceStart: '2026-03-01', serviceEnd: '2026-03-31' },
      { itemId: item.id, quantity: '3' },
      { description: 'Books', quantity: '2', unit: 'piece', unitPrice: '19.99', taxRateIds: [vat7] },
      { description: 'Travel (no tax)', quantity: '1', unitPrice: '0.333333' },
    ],
  },
  'inclusive prices': {
    customerId: customer.id, priceMode: 'inclusive',
    lines: [
      { description: 'Gross priced work', quantity: '3', unitPrice: '33.33', taxRateIds: [vat19] },
      { description: 'Gross priced books', quantity: '1', unitPrice: '10.70', taxRateIds: [vat7] },
    ],
  },
  'no lines': { customerId: customer.id, lines: [] },
};

for (const [name, body] of Object.entries(bodies)) {
  test(`a preview is the draft that POST /v1/invoices then creates: ${name}`, async () => {
    const before = await counts();
    const preview = expectStatus(await firm.request('POST', '/v1/invoices/preview', body), 200);
    assert.deepEqual(await counts(), before, 'the preview saved nothing');
    assert.equal(preview.id, 'preview');
    assert.equal(preview.status, 'draft');
    assert.equal(preview.number, null);
    assert.deepEqual(preview.lines.map((line: any) => line.id), preview.lines.map((_: unknown, index: number) => `preview_line_${index + 1}`));

    const created = expectStatus(await firm.request('POST', '/v1/invoices', body), 201);
    assert.deepEqual(comparable(preview), comparable(created));
    assert.equal(preview.amountDue, created.total);
  });
}

test('the totals of a preview are computed, not echoed', async () => {
  const preview = expectStatus(await firm.request('POST', '/v1/invoices/preview', {
    customerId: customer.id, lines: [{ description: 'Consulting', quantity: '10', unitPrice: '100.00', taxRateIds: [vat19] }],
  }), 200);
  assert.equal(preview.subtotal, '1000.00');
  assert.equal(preview.taxTotal, '190.00');
  assert.equal(preview.total, '1190.00');
  assert.deepEqual(preview.taxBreakdown.map((entry: any) => [entry.taxRateId, entry.taxable, entry.tax]), [[vat19, '1000.00', '190.00']]);
});

test('a preview is refused exactly like the create, and a refused one saves nothing either', async () => {
  const foreign = await createCustomer(other, { name: 'Foreign' });
  const cases: Array<[unknown, { status: number; code?: string; field?: string }]> = [
    [{ customerId: 'cus_missing', lines: [] }, { status: 422, code: 'customer_not_found', field: 'customerId' }],
    [{ customerId: foreign.id, lines: [] }, { status: 422, code: 'customer_not_found', field: 'customerId' }],
    [{ customerId: customer.id, currency: 'USD', lines: [] }, { status: 422, code: 'currency_mismatch', field: 'currency' }],
    [{ customerId: customer.id, lines: [{ description: 'x', quantity: '1e3', unitPrice: '1' }] }, { status: 400, code: 'invalid_request', field: 'lines.0.quantity' }],
    [{ customerId: customer.id, lines: [{ quantity: '1', unitPrice: '1' }] }, { status: 422, field: 'lines.0.description' }],
    [{ customerId: customer.id, lines: [{ description: 'x', quantity: '1', unitPrice: '1', taxRateIds: ['tax_missing'] }] }, { status: 422, code: 'tax_rate_not_found', field: 'lines.0.taxRateIds.0' }],
    [{ customerId: customer.id, discountPercent: '101', lines: [] }, { status: 422, code: 'invalid_input', field: 'discountPercent' }],
    [{ customerId: customer.id, lines: [], surprise: true }, { status: 400, code: 'invalid_request', field: 'surprise' }],
  ];
  const before = await counts();
  for (const [body, expected] of cases) {
    const preview = await firm.request('POST', '/v1/invoices/preview', body);
    const create = await firm.request('POST', '/v1/invoices', body);
    assertProblem(preview, expected);
    assert.deepEqual(preview.body, create.body, JSON.stringify(body));
  }
  assert.deepEqual(await counts(), before);
});

test('a preview needs credentials like every other route', async () => {
  const response = await api.app.inject({ method: 'POST', url: '/v1/invoices/preview', payload: { customerId: customer.id, lines: [] } });
  assert.equal(response.statusCode, 401);
});
