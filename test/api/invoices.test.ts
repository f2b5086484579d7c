/**
 * Invoices end to end over HTTP: drafts, items, totals (inclusive prices, discounts, several and
 * compound taxes, JPY and KWD), derived status over time, lists, voiding, credit notes, payments
 * and what they do to the ledger.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi, type Tenant } from '../helpers/api.ts';
import {
  accountBalance, assertLedgerVerifies, createCustomer, createDraft, createIssuedInvoice, createTaxRate, expectStatus, getCustomer, getInvoice,
  issueInvoice, recordPayment,
} from '../helpers/fixtures.ts';
import { assertProblem } from '../helpers/problem.ts';

const START = '2026-03-15T10:00:00Z';
const api = await createTestApi(START);

/** Runs `fn` with the clock at `instant` (UTC), then puts it back. */
async function atTime<T>(instant: string, fn: () => Promise<T>): Promise<T> {
  api.clock.at = new Date(instant);
  try {
    return await fn();
  } finally {
    api.clock.at = new Date(START);
  }
}

async function listIds(firm: Tenant, query: string): Promise<string[]> {
  return expectStatus(await firm.request('GET', `/v1/invoices${query}`), 200).data.map((invoice: { id: string }) => invoice.id);
}

const totalsOf = (invoice: any) => ({ subtotal: invoice.subtotal, discountTotal: invoice.discountTotal, taxTotal: invoice.taxTotal, total: invoice.total });
const breakdownOf = (invoice: any) => invoice.taxBreakdown.map((entry: any) => [entry.name, entry.percentage, entry.taxable, entry.tax]);

// ---------------------------------------------------------------------------------------------
// Drafts and items.

test('a draft is replaced whole by PUT, keeps no number, and is deleted by DELETE', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const draft = await createDraft(firm, customer.id, [{ description: 'First idea', quantity: '1', unitPrice: '10.00' }]);
  assert.equal(draft.total, '10.00');

  const replaced = expectStatus(await firm.request('PUT', `/v1/invoices/${draft.id}`, {
    customerId: customer.id, reference: 'PO-7', notes: 'Thanks',
    lines: [{ description: 'Design', quantity: '2', unitPrice: '50.00' }, { description: 'Review', quantity: '0.5', unitPrice: '50.00' }],
  }), 200);
  assert.equal(replaced.id, draft.id);
  assert.equal(replaced.status, 'draft');
  assert.equal(replaced.number, null);
  assert.equal(replaced.reference, 'PO-7');
  assert.deepEqual(replaced.lines.map((l: any) => [l.position, l.description, l.quantity, l.amount]), [[1, 'Design', '2', '100.00'], [2, 'Review', '0.5', '25.00']]);
  assert.deepEqual(totalsOf(replaced), { subtotal: '125.00', discountTotal: '0.00', taxTotal: '0.00', total: '125.00' });
  assert.equal(replaced.amountDue, '125.00');
  assert.deepEqual(await getInvoice(firm, draft.id), replaced);

  assert.equal((await firm.request('DELETE', `/v1/invoices/${draft.id}`)).status, 204);
  assertProblem(await firm.request('GET', `/v1/invoices/${draft.id}`), { status: 404, code: 'invoice_not_found' });
  assert.deepEqual(await listIds(firm, ''), []);
  const { rows } = await api.db.pool.query('select count(*)::int as n from invoice_lines where invoice_id = $1', [draft.id]);
  assert.equal(rows[0].n, 0, 'the lines went with the draft');
});

test('a draft without lines can be saved but not issued', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const empty = await createDraft(firm, customer.id, []);
  assert.equal(empty.total, '0.00');
  assertProblem(await firm.request('POST', `/v1/invoices/${empty.id}/issue`), { status: 422, code: 'invoice_has_no_lines', field: 'lines' });
  assert.equal((await getInvoice(firm, empty.id)).number, null);
});

test('an item provides description, unit, price and taxes; the line may override each', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const vat = await createTaxRate(firm, '19');
  const item = expectStatus(await firm.request('POST', '/v1/items', {
    name: 'Consulting hour', description: 'Senior consultant', unit: 'hour', unitPrice: '120.00', taxRateIds: [vat],
  }), 201);

  const invoice = await createDraft(firm, customer.id, [
    { itemId: item.id, quantity: '2' },
    { itemId: item.id, quantity: '1', description: 'Workshop', unitPrice: '100.00', taxRateIds: [] },
  ]);
  const [fromItem, overridden] = invoice.lines;
  assert.deepEqual(
    [fromItem.itemId, fromItem.description, fromItem.unit, fromItem.unitPrice, fromItem.taxRateIds, fromItem.amount],
    [item.id, 'Consulting hour', 'hour', '120', [vat], '240.00'],
  );
  assert.deepEqual([overridden.description, overridden.unitPrice, overridden.taxRateIds, overridden.amount], ['Workshop', '100', [], '100.00']);
  assert.deepEqual(totalsOf(invoice), { subtotal: '340.00', discountTotal: '0.00', taxTotal: '45.60', total: '385.60' });

  // The draft copied the item: changing the item later changes nothing on it.
  expectStatus(await firm.request('PATCH', `/v1/items/${item.id}`, { unitPrice: '999.00' }), 200);
  assert.equal((await getInvoice(firm, invoice.id)).total, '385.60');
});

// ---------------------------------------------------------------------------------------------
// Totals.

test('inclusive prices: the quoted amounts are the total, and net and tax are carved out of them', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const vat = await createTaxRate(firm, '19');
  const invoice = await createDraft(firm, customer.id, [
    { description: 'Licence', quantity: '3', unitPrice: '10.00', taxRateIds: [vat] },
    { description: 'Setup', quantity: '1', unitPrice: '119.00', taxRateIds: [vat] },
  ], { priceMode: 'inclusive' });
  assert.equal(invoice.priceMode, 'inclusive');
  assert.deepEqual(invoice.lines.map((l: any) => [l.amount, l.net]), [['30.00', '25.21'], ['119.00', '100.00']]);
  // 149.00 / 1.19 = 125.2101 → 125.21 net; the tax is what remains of the quoted 149.00.
  assert.deepEqual(totalsOf(invoice), { subtotal: '125.21', discountTotal: '0.00', taxTotal: '23.79', total: '149.00' });
  assert.deepEqual(breakdownOf(invoice), [['VAT 19%', '19', '125.21', '23.79']]);
});

test('a line discount and a document discount: round each once, tax on what is left', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const vat = await createTaxRate(firm, '19');
  const invoice = await createDraft(firm, customer.id, [
    { description: 'Design', quantity: '2', unitPrice: '50.00', discountPercent: '10', taxRateIds: [vat] },
    { description: 'Build', quantity: '1', unitPrice: '410.00', taxRateIds: [vat] },
  ], { discountPercent: '10' });
  assert.deepEqual(invoice.lines.map((l: any) => [l.discountPercent, l.discount, l.amount, l.net]), [['10', '10.00', '90.00', '90.00'], ['0', '0.00', '410.00', '410.00']]);
  assert.equal(invoice.discountPercent, '10');
  assert.deepEqual(totalsOf(invoice), { subtotal: '500.00', discountTotal: '50.00', taxTotal: '85.50', total: '535.50' });
  assert.deepEqual(breakdownOf(invoice), [['VAT 19%', '19', '450.00', '85.50']]);

  const issued = await issueInvoice(firm, invoice.id);
  assert.equal(issued.total, '535.50');
  assert.equal((await accountBalance(firm, '4900'))?.balance, '-50.00', 'the discount is posted to sales discounts');
  assert.equal((await accountBalance(firm, '4000'))?.balance, '500.00');
  await assertLedgerVerifies(firm);
});

test('19% and 7% on one invoice: one breakdown entry per rate, each rounded once on its whole base', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const standard = await createTaxRate(firm, '19');
  const reduced = await createTaxRate(firm, '7');
  const invoice = await createDraft(firm, customer.id, [
    { description: 'Consulting', quantity: '10', unitPrice: '100.00', taxRateIds: [standard] },
    { description: 'Books', quantity: '3', unitPrice: '12.99', taxRateIds: [reduced] },
    { description: 'Stamp', quantity: '1', unitPrice: '0.10', taxRateIds: [reduced] },
    { description: 'Stamp', quantity: '1', unitPrice: '0.10', taxRateIds: [reduced] },
  ]);
  // 7% of 39.17 = 2.7419 → 2.74 (per line it would be 2.73 + 0.01 + 0.01 = 2.75).
  assert.deepEqual(breakdownOf(invoice), [['VAT 19%', '19', '1000.00', '190.00'], ['VAT 7%', '7', '39.17', '2.74']]);
  assert.deepEqual(totalsOf(invoice), { subtotal: '1039.17', discountTotal: '0.00', taxTotal: '192.74', total: '1231.91' });

  await issueInvoice(firm, invoice.id);
  assert.equal((await accountBalance(firm, '2200'))?.balance, '192.74');
  assert.equal((await accountBalance(firm, '1100'))?.balance, '1231.91');
});

test('a compound tax applies to the line plus the taxes listed before it, in the order given', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const gst = await createTaxRate(firm, '5', { name: 'GST' });
  const pst = await createTaxRate(firm, '10', { name: 'PST', compound: true });
  const compounded = await createDraft(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '100.00', taxRateIds: [gst, pst] }]);
  assert.deepEqual(breakdownOf(compounded), [['GST', '5', '100.00', '5.00'], ['PST', '10', '105.00', '10.50']]);
  assert.equal(compounded.taxBreakdown[1].compound, true);
  assert.deepEqual(totalsOf(compounded), { subtotal: '100.00', discountTotal: '0.00', taxTotal: '15.50', total: '115.50' });

  // Listed first, the compound tax has nothing before it to compound on.
  const first = await createDraft(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '100.00', taxRateIds: [pst, gst] }]);
  assert.deepEqual(breakdownOf(first), [['PST', '10', '100.00', '10.00'], ['GST', '5', '100.00', '5.00']]);
  assert.equal(first.total, '115.00');
});

test('a JPY invoice has no decimals: amounts round to whole yen and are paid in whole yen', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm, { name: 'Nippon KK', currency: 'JPY' });
  const consumption = await createTaxRate(firm, '10');
  const invoice = await createIssuedInvoice(firm, customer.id, [{ description: 'Work', quantity: '3', unitPrice: '333.5', taxRateIds: [consumption] }]);
  assert.equal(invoice.currency, 'JPY');
  assert.equal(invoice.lines[0].amount, '1001'); // 1000.5 → 1001, half up
  assert.deepEqual(totalsOf(invoice), { subtotal: '1001', discountTotal: '0', taxTotal: '100', total: '1101' });
  assert.equal(invoice.amountDue, '1101');

  const payment = await recordPayment(firm, customer.id, '1101', { currency: 'JPY' });
  assert.equal(payment.amount, '1101');
  const paid = await getInvoice(firm, invoice.id);
  assert.equal(paid.status, 'paid');
  assert.equal(paid.amountDue, '0');
  assert.equal((await getCustomer(firm, customer.id)).balance, '0');
  assert.equal((await accountBalance(firm, '1000', 'JPY'))?.balance, '1101');
  await assertLedgerVerifies(firm);
});

test('a KWD invoice carries three decimals', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm, { name: 'Kuwait Trading', currency: 'KWD' });
  const vat = await createTaxRate(firm, '5');
  const invoice = await createIssuedInvoice(firm, customer.id, [{ description: 'Parts', quantity: '2', unitPrice: '1.2345', taxRateIds: [vat] }]);
  assert.equal(invoice.lines[0].amount, '2.469');
  assert.deepEqual(totalsOf(invoice), { subtotal: '2.469', discountTotal: '0.000', taxTotal: '0.123', total: '2.592' });

  await recordPayment(firm, customer.id, '2.500', { currency: 'KWD' });
  const partly = await getInvoice(firm, invoice.id);
  assert.equal(partly.status, 'partially_paid');
  assert.equal(partly.amountDue, '0.092');
  assert.equal((await getCustomer(firm, customer.id)).balance, '0.092');
  await assertLedgerVerifies(firm);
});

// ---------------------------------------------------------------------------------------------
// Status over time.

test("status is derived: open until the due date passes in the organization's time zone, then overdue, then paid", async () => {
  const firm = await api.tenant({ timeZone: 'Europe/Berlin' });
  const customer = await createCustomer(firm);
  const invoice = await createIssuedInvoice(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '100.00' }]);
  assert.deepEqual([invoice.issueDate, invoice.dueDate, invoice.status], ['2026-03-15', '2026-04-14', 'open']);

  // 23:59 in Berlin on the due date: still open. A minute later it is the 15th in Berlin (still the 14th in UTC).
  assert.equal(await atTime('2026-04-14T21:59:00Z', async () => (await getInvoice(firm, invoice.id)).status), 'open');
  assert.equal(await atTime('2026-04-14T22:00:00Z', async () => (await getInvoice(firm, invoice.id)).status), 'overdue');

  await atTime('2026-04-20T10:00:00Z', async () => {
    await recordPayment(firm, customer.id, '40.00', { date: '2026-04-20' });
    const partly = await getInvoice(firm, invoice.id);
    assert.equal(partly.status, 'overdue', 'money still owed after the due date is overdue');
    assert.equal(partly.amountDue, '60.00');
    await recordPayment(firm, customer.id, '60.00', { date: '2026-04-20' });
    assert.equal((await getInvoice(firm, invoice.id)).status, 'paid');
  });
  assert.equal((await getInvoice(firm, invoice.id)).status, 'paid');
});

test('a void invoice stays void, even after its due date', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const invoice = await createIssuedInvoice(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '100.00' }]);
  const voided = expectStatus(await firm.request('POST', `/v1/invoices/${invoice.id}/void`, { reason: 'Sent to the wrong customer' }), 200);
  assert.equal(voided.status, 'void');
  assert.equal(voided.voidReason, 'Sent to the wrong customer');
  assert.equal(voided.number, invoice.number, 'a void invoice keeps its number');
  assert.equal(voided.amountDue, '0.00');
  assert.ok(voided.voidedAt);
  assert.equal(await atTime('2026-06-01T10:00:00Z', async () => (await getInvoice(firm, invoice.id)).status), 'void');
});

test('void works without a request body, like issue', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const invoice = await createIssuedInvoice(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '100.00' }]);
  const voided = await firm.request('POST', `/v1/invoices/${invoice.id}/void`);
  assert.equal(voided.status, 200, JSON.stringify(voided.body));
  assert.equal(voided.body.status, 'void');
  assert.equal(voided.body.voidReason, null);
});

// ---------------------------------------------------------------------------------------------
// Lists.

test('the list filters by status, customer and issue dates, and pages newest first with a cursor', async () => {
  const firm = await api.tenant();
  const x = await createCustomer(firm, { name: 'X' });
  const y = await createCustomer(firm, { name: 'Y' });
  const line = (price: string) => [{ description: 'Work', quantity: '1', unitPrice: price }];

  const overdue = await atTime('2026-03-01T10:00:00Z', () => createIssuedInvoice(firm, x.id, line('100.00'))); // due 03-31
  const paid = await atTime('2026-03-10T10:00:00Z', () => createIssuedInvoice(firm, y.id, line('200.00')));
  const partlyPaid = await atTime('2026-03-10T10:00:00Z', () => createIssuedInvoice(firm, x.id, line('300.00'))); // due 04-09
  const open = await atTime('2026-03-20T10:00:00Z', () => createIssuedInvoice(firm, x.id, line('400.00'))); // due 04-19
  const draft = await createDraft(firm, y.id, line('500.00'));
  const voided = await atTime('2026-03-20T10:00:00Z', () => createIssuedInvoice(firm, y.id, line('600.00')));
  expectStatus(await firm.request('POST', `/v1/invoices/${voided.id}/void`, {}), 200);
  await recordPayment(firm, y.id, '200.00', { allocations: [{ invoiceId: paid.id, amount: '200.00' }] });
  await recordPayment(firm, x.id, '50.00', { allocations: [{ invoiceId: partlyPaid.id, amount: '50.00' }] });
  const newestFirst = [voided, draft, open, partlyPaid, paid, overdue].map((i) => i.id);

  await atTime('2026-04-05T10:00:00Z', async () => {
    const byStatus: Array<[string, string[]]> = [
      ['overdue', [overdue.id]], ['paid', [paid.id]], ['partially_paid', [partlyPaid.id]], ['open', [open.id]], ['draft', [draft.id]], ['void', [voided.id]],
    ];
    for (const [status, ids] of byStatus) assert.deepEqual(await listIds(firm, `?status=${status}`), ids, `status=${status}`);

    // Every listed status is the status the invoice itself shows.
    const listed = expectStatus(await firm.request('GET', '/v1/invoices'), 200).data;
    assert.deepEqual(listed.map((i: any) => i.id), newestFirst);
    for (const row of listed) assert.equal(row.status, (await getInvoice(firm, row.id)).status, `status of ${row.id}`);
    assert.equal(listed.find((i: any) => i.id === partlyPaid.id).amountDue, '250.00');
  });

  assert.deepEqual(await listIds(firm, `?customerId=${x.id}`), [open.id, partlyPaid.id, overdue.id]);
  assert.deepEqual(await listIds(firm, '?issuedFrom=2026-03-05&issuedTo=2026-03-15'), [partlyPaid.id, paid.id]);
  assert.deepEqual(await listIds(firm, '?issuedFrom=2026-03-10&issuedTo=2026-03-10'), [partlyPaid.id, paid.id], 'both ends are inclusive');
  assert.deepEqual(await listIds(firm, `?customerId=${x.id}&issuedFrom=2026-03-10`), [open.id, partlyPaid.id]);
  assert.deepEqual(await listIds(firm, `?search=${overdue.number}`), [overdue.id]);

  // Pages of 4 then 2, every invoice exactly once, newest first.
  const first = expectStatus(await firm.request('GET', '/v1/invoices?limit=4'), 200);
  assert.equal(first.data.length, 4);
  assert.ok(first.nextCursor);
  const second = expectStatus(await firm.request('GET', `/v1/invoices?limit=4&cursor=${encodeURIComponent(first.nextCursor)}`), 200);
  assert.equal(second.nextCursor, null);
  assert.deepEqual([...first.data, ...second.data].map((i: any) => i.id), newestFirst);

  // A cursor keeps the filter's pages consistent too.
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: any = expectStatus(await firm.request('GET', `/v1/invoices?customerId=${x.id}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), 200);
    seen.push(...page.data.map((i: any) => i.id));
    cursor = page.nextCursor;
  } while (cursor && seen.length < 10);
  assert.deepEqual(seen, [open.id, partlyPaid.id, overdue.id]);
});

// ---------------------------------------------------------------------------------------------
// Voiding, credit notes, payments and the ledger.

test('voiding reverses the posting: receivable, revenue and tax go back to zero', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const vat = await createTaxRate(firm, '19');
  const invoice = await createIssuedInvoice(firm, customer.id, [{ description: 'Work', quantity: '1', unitPrice: '100.00', taxRateIds: [vat] }]);
  const issued = await accountBalance(firm, '1100');
  assert.deepEqual([issued?.debit, issued?.credit, issued?.balance], ['119.00', '0.00', '119.00']);
  assert.equal((await getCustomer(firm, customer.id)).balance, '119.00');

  expectStatus(await firm.request('POST', `/v1/invoices/${invoice.id}/void`, {}), 200);
  const receivable = await accountBalance(firm, '1100');
  assert.deepEqual([receivable?.debit, receivable?.credit, receivable?.balance], ['119.00', '119.00', '0.00'], 'reversed by a new entry, not deleted');
  assert.equal((await accountBalance(firm, '4000'))?.balance, '0.00');
  assert.equal((await accountBalance(firm, '2200'))?.balance, '0.00');
  assert.equal((await getCustomer(firm, customer.id)).balance, '0.00');
  await assertLedgerVerifies(firm);

  const { rows } = await api.db.pool.query(
    `select count(*)::int as n, count(reverses_entry_id)::int as reversals from journal_entries where organization_id = $1 and source_id = $2`,
    [firm.organizationId, invoice.id],
  );
  assert.deepEqual(rows[0], { n: 2, reversals: 1 });
});

test('a credit note by lines credits part of a line, refuses more than is left, and then credits the rest', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const vat = await createTaxRate(firm, '19');
  const invoice = await createIssuedInvoice(firm, customer.id, [
    { description: 'Consulting', quantity: '10', unitPrice: '100.00', taxRateIds: [vat] },
    { description: 'Travel', quantity: '1', unitPrice: '200.00', taxRateIds: [vat] },
  ]);
  assert.equal(invoice.total, '1428.00');
  const [consulting, travel] = invoice.lines;

  const partial = expectStatus(await firm.request('POST', '/v1/credit-notes', {
    invoiceId: invoice.id, reason: 'Four hours not worked', lines: [{ invoiceLineId: consulting.id, quantity: '4' }],
  }), 201);
  assert.equal(partial.number, 'CN-2026-0001');
  assert.deepEqual(partial.lines.map((l: any) => [l.invoiceLineId, l.description, l.quantity, l.unitPrice, l.net]), [[consulting.id, 'Consulting', '4', '100', '400.00']]);
  assert.deepEqual(totalsOf(partial), { subtotal: '400.00', discountTotal: '0.00', taxTotal: '76.00', total: '476.00' });
  assert.deepEqual([partial.appliedToInvoice, partial.creditedToCustomer], ['476.00', '0.00']);
  let after = await getInvoice(firm, invoice.id);
  assert.deepEqual([after.status, after.amountCredited, after.amountDue], ['partially_paid', '476.00', '952.00']);

  assertProblem(
    await firm.request('POST', '/v1/credit-notes', { invoiceId: invoice.id, lines: [{ invoiceLineId: consulting.id, quantity: '7' }] }),
    { status: 422, code: 'credit_exceeds_invoice', field: 'lines.0.quantity' },
  );
  assertProblem(
    await firm.request('POST', '/v1/credit-notes', { invoiceId: invoice.id, lines: [{ invoiceLineId: consulting.id, quantity: '3' }, { invoiceLineId: consulting.id, quantity: '4' }] }),
    { status: 422, code: 'credit_exceeds_invoice', field: 'lines.1.quantity' },
  );

  const rest = expectStatus(await firm.request('POST', '/v1/credit-notes', {
    invoiceId: invoice.id, lines: [{ invoiceLineId: consulting.id }, { invoiceLineId: travel.id }],
  }), 201);
  assert.deepEqual(rest.lines.map((l: any) => l.quantity), ['6', '1'], 'without a quantity, what is left of the line');
  assert.equal(rest.total, '952.00');
  after = await getInvoice(firm, invoice.id);
  assert.deepEqual([after.status, after.amountCredited, after.amountDue], ['paid', '1428.00', '0.00']);

  assertProblem(
    await firm.request('POST', '/v1/credit-notes', { invoiceId: invoice.id, lines: [{ invoiceLineId: travel.id }] }),
    { status: 422, code: 'credit_exceeds_invoice' },
  );
  assert.equal((await accountBalance(firm, '1100'))?.balance, '0.00');
  assert.equal((await accountBalance(firm, '4000'))?.balance, '0.00');
  const notes = expectStatus(await firm.request('GET', `/v1/credit-notes?invoiceId=${invoice.id}`), 200).data;
  assert.deepEqual(notes.map((n: any) => n.number), ['CN-2026-0002', 'CN-2026-0001']);
  await assertLedgerVerifies(firm);
});

test('a credit note above what is still owed settles the invoice and turns the excess into customer credit', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const vat = await createTaxRate(firm, '19');
  const invoice = await createIssuedInvoice(firm, customer.id, [{ description: 'Work', quantity: '10', unitPrice: '100.00', taxRateIds: [vat] }]);
  await recordPayment(firm, customer.id, '1000.00');
  assert.equal((await getInvoice(firm, invoice.id)).amountDue, '190.00');

  const note = expectStatus(await firm.request('POST', '/v1/credit-notes', { invoiceId: invoice.id, amount: '500.00' }), 201);
  assert.equal(note.total, '500.00');
  assert.deepEqual([note.subtotal, note.taxTotal], ['420.17', '79.83'], 'the gross amount carries its share of the 19%');
  assert.deepEqual([note.appliedToInvoice, note.creditedToCustomer], ['190.00', '310.00']);

  const after = await getInvoice(firm, invoice.id);
  assert.deepEqual([after.status, after.amountPaid, after.amountCredited, after.amountDue], ['paid', '1000.00', '190.00', '0.00']);
  const read = await getCustomer(firm, customer.id);
  assert.deepEqual([read.balance, read.creditBalance], ['0.00', '310.00']);
  assert.equal((await accountBalance(firm, '2100'))?.balance, '310.00');

  // 1190.00 billed, 500.00 credited: at most 690.00 more can be credited.
  assertProblem(await firm.request('POST', '/v1/credit-notes', { invoiceId: invoice.id, amount: '690.01' }), { status: 422, code: 'credit_exceeds_invoice', field: 'amount' });
  expectStatus(await firm.request('POST', '/v1/credit-notes', { invoiceId: invoice.id, amount: '690.00' }), 201);
  assert.equal((await getCustomer(firm, customer.id)).creditBalance, '1000.00');
  await assertLedgerVerifies(firm);
});

test('a payment without allocations settles the earliest due date first, not the first issued', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm, { paymentTermsDays: 60 });
  const laterDue = await createIssuedInvoice(firm, customer.id, [{ description: 'Retainer', quantity: '1', unitPrice: '100.00' }]); // due 05-14
  expectStatus(await firm.request('PATCH', `/v1/customers/${customer.id}`, { paymentTermsDays: 10 }), 200);
  const earlierDue = await createIssuedInvoice(firm, customer.id, [{ description: 'Fix', quantity: '1', unitPrice: '100.00' }]); // due 03-25
  assert.ok(earlierDue.dueDate < laterDue.dueDate && earlierDue.number > laterDue.number);

  const payment = await recordPayment(firm, customer.id, '150.00');
  assert.deepEqual(payment.allocations.map((a: any) => [a.invoiceNumber, a.amount]), [[earlierDue.number, '100.00'], [laterDue.number, '50.00']]);
  assert.equal(payment.unallocated, '0.00');
  assert.equal((await getInvoice(firm, earlierDue.id)).status, 'paid');
  const rest = await getInvoice(firm, laterDue.id);
  assert.deepEqual([rest.status, rest.amountPaid, rest.amountDue], ['partially_paid', '50.00', '50.00']);
  const read = expectStatus(await firm.request('GET', `/v1/payments/${payment.id}`), 200);
  assert.deepEqual(read, payment);
});

test('a payment with allocations settles exactly those invoices, and the rest becomes credit', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const older = await createIssuedInvoice(firm, customer.id, [{ description: 'A', quantity: '1', unitPrice: '100.00' }]);
  const newer = await createIssuedInvoice(firm, customer.id, [{ description: 'B', quantity: '1', unitPrice: '80.00' }]);
  const payment = await recordPayment(firm, customer.id, '100.00', { allocations: [{ invoiceId: newer.id, amount: '80.00' }] });
  assert.deepEqual(payment.allocations.map((a: any) => [a.invoiceId, a.amount]), [[newer.id, '80.00']]);
  assert.equal(payment.unallocated, '20.00');
  assert.equal((await getInvoice(firm, newer.id)).status, 'paid');
  assert.deepEqual([(await getInvoice(firm, older.id)).status, (await getInvoice(firm, older.id)).amountDue], ['open', '100.00']);
  assert.deepEqual([(await getCustomer(firm, customer.id)).balance, (await getCustomer(firm, customer.id)).creditBalance], ['100.00', '20.00']);
  await assertLedgerVerifies(firm);
});

test('an overpayment settles everything open and leaves the excess as credit', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const a = await createIssuedInvoice(firm, customer.id, [{ description: 'A', quantity: '1', unitPrice: '120.00' }]);
  const b = await createIssuedInvoice(firm, customer.id, [{ description: 'B', quantity: '1', unitPrice: '80.00' }]);
  const payment = await recordPayment(firm, customer.id, '250.00');
  assert.equal(payment.unallocated, '50.00');
  assert.deepEqual([(await getInvoice(firm, a.id)).status, (await getInvoice(firm, b.id)).status], ['paid', 'paid']);
  const read = await getCustomer(firm, customer.id);
  assert.deepEqual([read.balance, read.creditBalance], ['0.00', '50.00']);
  assert.equal((await accountBalance(firm, '1000'))?.balance, '250.00');
  assert.equal((await accountBalance(firm, '2100'))?.balance, '50.00');
  assert.equal((await accountBalance(firm, '1100'))?.balance, '0.00');
  await assertLedgerVerifies(firm);
});

test('the trial balance balances per currency after every kind of event, and its checks pass', async () => {
  const firm = await api.tenant();
  const euro = await createCustomer(firm);
  const yen = await createCustomer(firm, { name: 'Nippon', currency: 'JPY' });
  const vat = await createTaxRate(firm, '19');
  const one = await createIssuedInvoice(firm, euro.id, [{ description: 'A', quantity: '3', unitPrice: '33.33', taxRateIds: [vat] }], { discountPercent: '5' });
  const two = await createIssuedInvoice(firm, euro.id, [{ description: 'B', quantity: '1', unitPrice: '10.00', taxRateIds: [vat] }]);
  await createIssuedInvoice(firm, yen.id, [{ description: 'C', quantity: '1', unitPrice: '5000' }]);
  expectStatus(await firm.request('POST', `/v1/invoices/${two.id}/void`, {}), 200);
  await recordPayment(firm, euro.id, '50.00', { method: 'cash' });
  expectStatus(await firm.request('POST', '/v1/credit-notes', { invoiceId: one.id, amount: '60.00' }), 201);
  await recordPayment(firm, yen.id, '6000', { currency: 'JPY' });
  expectStatus(await firm.request('POST', `/v1/customers/${yen.id}/apply-credit`, { currency: 'JPY' }), 422);

  const trial = expectStatus(await firm.request('GET', '/v1/ledger/trial-balance'), 200);
  assert.deepEqual(trial.totals.map((t: any) => t.currency).sort(), ['EUR', 'JPY']);
  for (const total of trial.totals) assert.equal(total.debit, total.credit, `debits equal credits in ${total.currency}`);
  assert.equal(trial.balanced, true);
  assert.ok(trial.checks.length >= 3 && trial.checks.every((check: any) => check.ok), JSON.stringify(trial.checks));
  // The receivable equals what the open invoices say is owed.
  const owed = (await getInvoice(firm, one.id)).amountDue;
  assert.equal(trial.accounts.find((a: any) => a.code === '1100' && a.currency === 'EUR').balance, owed);
  assert.equal(trial.accounts.find((a: any) => a.code === '2100' && a.currency === 'JPY').balance, '1000');
});

test('/openapi.json is an OpenAPI 3.1 document that lists /v1/invoices', async () => {
  const response = await api.app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(response.statusCode, 200, 'served without an API key');
  const document = response.json();
  assert.equal(document.openapi, '3.1.0');
  assert.ok(document.paths['/v1/invoices'], 'lists /v1/invoices');
  assert.ok(document.paths['/v1/invoices'].get && document.paths['/v1/invoices'].post);
  assert.ok(document.paths['/v1/invoices/{id}/issue']?.post);
  assert.deepEqual(document.components.securitySchemes.apiKey, { type: 'http', scheme: 'bearer' });
});
