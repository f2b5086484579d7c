/**
 * GET /v1/dashboard through a quarter of business: invoices issued in January, February and
 * March, a part payment, a full payment, a void, a draft and an invoice in another currency;
 * then time travel until more is overdue, across a month boundary in the organization's time zone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi, type Tenant } from '../helpers/api.ts';
import { createCustomer, createDraft, createIssuedInvoice, expectStatus, recordPayment } from '../helpers/fixtures.ts';

const api = await createTestApi('2026-01-10T09:00:00Z');
const firm = await api.tenant({ name: 'Dashboard Firm', currency: 'EUR', timeZone: 'Europe/Berlin' });

const travel = (instant: string) => { api.clock.at = new Date(instant); };
const line = (price: string) => [{ description: 'Consulting', quantity: '1', unitPrice: price }];

async function dashboard(tenant: Tenant = firm): Promise<any> {
  return expectStatus(await tenant.request('GET', '/v1/dashboard'), 200);
}

function byStatus(body: any): Record<string, [number, string]> {
  return Object.fromEntries(body.invoicesByStatus.map((entry: any) => [entry.status, [entry.count, entry.total]]));
}

function monthsOf(body: any): Record<string, [string, string]> {
  return Object.fromEntries(body.monthly.map((entry: any) => [entry.month, [entry.invoiced, entry.collected]]));
}

test('an organization without documents sees zeros, 12 empty months and every status', async () => {
  const body = await dashboard();
  assert.equal(body.currency, 'EUR');
  assert.equal(body.outstanding, '0.00');
  assert.equal(body.overdue, '0.00');
  assert.equal(body.paidThisMonth, '0.00');
  assert.deepEqual(body.invoicesByStatus.map((entry: any) => entry.status), ['draft', 'open', 'partially_paid', 'paid', 'overdue', 'void']);
  assert.ok(body.invoicesByStatus.every((entry: any) => entry.count === 0 && entry.total === '0.00'));
  assert.deepEqual(body.monthly.map((entry: any) => entry.month), [
    '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01',
  ]);
  assert.ok(body.monthly.every((entry: any) => entry.invoiced === '0.00' && entry.collected === '0.00'));
  assert.deepEqual(body.overdueInvoices, []);
  assert.deepEqual(body.drafts, []);
});

let globex: any;
let initech: any;
const invoices: Record<string, any> = {};

test('issuing, paying, voiding and drafting move the figures', async () => {
  globex = await createCustomer(firm, { name: 'Globex', paymentTermsDays: 30 });
  initech = await createCustomer(firm, { name: 'Initech', paymentTermsDays: 30 });
  const dollars = await createCustomer(firm, { name: 'Acme Inc', currency: 'USD' });

  travel('2026-01-10T09:00:00Z');
  invoices.january = await createIssuedInvoice(firm, globex.id, line('1000.00')); // due 2026-02-09
  assert.equal(invoices.january.dueDate, '2026-02-09');

  travel('2026-02-20T09:00:00Z');
  invoices.february = await createIssuedInvoice(firm, initech.id, line('500.00')); // due 2026-03-22
  await recordPayment(firm, globex.id, '200.00', { date: '2026-02-25', allocations: [{ invoiceId: invoices.january.id, amount: '200.00' }] });

  travel('2026-03-15T09:00:00Z');
  invoices.march = await createIssuedInvoice(firm, globex.id, line('300.00'));
  await recordPayment(firm, globex.id, '300.00', { date: '2026-03-15', allocations: [{ invoiceId: invoices.march.id, amount: '300.00' }] });
  invoices.voided = await createIssuedInvoice(firm, initech.id, line('70.00'));
  expectStatus(await firm.request('POST', `/v1/invoices/${invoices.voided.id}/void`, { reason: 'sent twice' }), 200);
  invoices.draft = await createDraft(firm, initech.id, line('50.00'));
  await createIssuedInvoice(firm, dollars.id, line('999.00')); // USD: not counted
  await recordPayment(firm, dollars.id, '999.00', { currency: 'USD', date: '2026-03-15' });

  const body = await dashboard();
  assert.equal(body.outstanding, '1300.00', '800.00 left on January + 500.00 of February');
  assert.equal(body.overdue, '800.00', 'January was due on 2026-02-09');
  assert.equal(body.paidThisMonth, '300.00', 'March payments in EUR');
  assert.deepEqual(byStatus(body), {
    draft: [1, '50.00'], open: [1, '500.00'], partially_paid: [0, '0.00'], paid: [1, '300.00'], overdue: [1, '1000.00'], void: [1, '70.00'],
  });
  const months = monthsOf(body);
  assert.equal(body.monthly.length, 12);
  assert.equal(body.monthly[0].month, '2025-04');
  assert.equal(body.monthly[11].month, '2026-03');
  assert.deepEqual(months['2026-01'], ['1000.00', '0.00']);
  assert.deepEqual(months['2026-02'], ['500.00', '200.00']);
  assert.deepEqual(months['2026-03'], ['300.00', '300.00'], 'the voided invoice and the USD documents are not counted');
  assert.deepEqual(months['2025-12'], ['0.00', '0.00']);

  assert.deepEqual(body.overdueInvoices, [{
    id: invoices.january.id, number: invoices.january.number, customerId: globex.id, customerName: 'Globex',
    dueDate: '2026-02-09', amountDue: '800.00', daysOverdue: 34,
  }]);
  assert.deepEqual(body.drafts, [{ id: invoices.draft.id, customerId: initech.id, customerName: 'Initech', total: '50.00', createdAt: invoices.draft.createdAt }]);
});

test('the status counts agree with the invoice list filtered by status', async () => {
  const body = await dashboard();
  for (const { status, count } of body.invoicesByStatus) {
    const listed = expectStatus(await firm.request('GET', `/v1/invoices?status=${status}&limit=200`), 200);
    assert.equal(listed.data.filter((invoice: any) => invoice.currency === 'EUR').length, count, status);
  }
});

test('time travel: after midnight in Berlin it is April, February is overdue too, and March becomes history', async () => {
  travel('2026-03-31T22:30:00Z'); // 00:30 on April 1 in Berlin (summer time)
  const body = await dashboard();
  assert.equal(body.overdue, '1300.00');
  assert.equal(body.outstanding, '1300.00');
  assert.equal(body.paidThisMonth, '0.00', 'nothing was paid in April yet');
  assert.equal(body.monthly[11].month, '2026-04');
  assert.equal(body.monthly[0].month, '2025-05');
  assert.deepEqual(monthsOf(body)['2026-03'], ['300.00', '300.00']);
  assert.deepEqual(monthsOf(body)['2026-04'], ['0.00', '0.00']);
  assert.deepEqual(byStatus(body).overdue, [2, '1500.00']);
  assert.deepEqual(byStatus(body).open, [0, '0.00']);
  assert.deepEqual(body.overdueInvoices.map((invoice: any) => [invoice.id, invoice.daysOverdue, invoice.amountDue]), [
    [invoices.january.id, 51, '800.00'],
    [invoices.february.id, 10, '500.00'],
  ], 'longest overdue first');

  travel('2026-03-31T21:30:00Z'); // 23:30 on March 31 in Berlin: still March
  const march = await dashboard();
  assert.equal(march.monthly[11].month, '2026-03');
  assert.equal(march.paidThisMonth, '300.00');

  travel('2026-04-02T10:00:00Z');
  await recordPayment(firm, initech.id, '500.00', { date: '2026-04-02', allocations: [{ invoiceId: invoices.february.id, amount: '500.00' }] });
  const paid = await dashboard();
  assert.equal(paid.paidThisMonth, '500.00');
  assert.equal(paid.overdue, '800.00');
  assert.deepEqual(monthsOf(paid)['2026-04'], ['0.00', '500.00']);
  assert.deepEqual(paid.overdueInvoices.map((invoice: any) => invoice.id), [invoices.january.id]);
});

test('the lists stop at 10: the most overdue invoices and the newest drafts', async () => {
  travel('2026-01-05T09:00:00Z');
  const busy = await api.tenant({ name: 'Busy Firm', timeZone: 'UTC' });
  const customer = await createCustomer(busy, { name: 'Many Invoices Ltd', paymentTermsDays: 0 });
  const issued = [];
  for (let day = 5; day <= 16; day++) {
    travel(`2026-01-${String(day).padStart(2, '0')}T09:00:00Z`);
    issued.push(await createIssuedInvoice(busy, customer.id, line(`${day}.00`)));
  }
  const drafts = [];
  for (let index = 0; index < 12; index++) drafts.push(await createDraft(busy, customer.id, line('1.00')));

  travel('2026-02-01T09:00:00Z');
  const body = await dashboard(busy);
  assert.equal(body.overdueInvoices.length, 10);
  assert.deepEqual(body.overdueInvoices.map((invoice: any) => invoice.id), issued.slice(0, 10).map((invoice) => invoice.id));
  assert.equal(body.overdueInvoices[0].daysOverdue, 27);
  assert.equal(body.drafts.length, 10);
  assert.deepEqual(body.drafts.map((draft: any) => draft.id), drafts.reverse().slice(0, 10).map((draft) => draft.id), 'newest first');
  assert.deepEqual(byStatus(body).overdue, [12, '126.00'], 'the totals count every invoice, not only the listed ones');
});

test('the dashboard answers for the organization of the caller only', async () => {
  const stranger = await api.tenant({ name: 'Stranger' });
  const body = await dashboard(stranger);
  assert.equal(body.outstanding, '0.00');
  assert.ok(body.invoicesByStatus.every((entry: any) => entry.count === 0));
  assert.deepEqual(body.drafts, []);
});
