/**
 * Quotes end to end over HTTP: drafts priced like invoices, sending (number and link), the
 * customer's answer through the link (accept, decline, expiry), conversion into a draft invoice,
 * and tenancy for both the signed-in and the public side.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi, type ApiResponse, type Tenant } from '../helpers/api.ts';
import { createCustomer, createTaxRate, expectStatus, getInvoice, issueInvoice } from '../helpers/fixtures.ts';
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

/** The customer's side: no Authorization header, no cookie. */
async function anonymous(method: 'GET' | 'POST', url: string, body?: unknown): Promise<ApiResponse> {
  const response = await api.app.inject({
    method, url,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
  });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : null, headers: response.headers };
}

const tokenOf = (sent: { publicUrl: string }) => sent.publicUrl.replace(/^\/quote\//, '');
const totalsOf = (document: any) => ({
  subtotal: document.subtotal, discountTotal: document.discountTotal, taxTotal: document.taxTotal, total: document.total,
  taxBreakdown: document.taxBreakdown,
});
const linesOf = (document: any) => document.lines.map(({ id: _id, ...line }: any) => line);

async function createQuote(firm: Tenant, body: Record<string, unknown>): Promise<any> {
  return expectStatus(await firm.request('POST', '/v1/quotes', body), 201);
}

async function sendQuote(firm: Tenant, id: string): Promise<any> {
  return expectStatus(await firm.request('POST', `/v1/quotes/${id}/send`), 200);
}

/** A firm with a customer and a quote sent to it, valid until `validUntil`. */
async function sentQuote(validUntil: string | null = '2026-04-15') {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const quote = await createQuote(firm, {
    customerId: customer.id, title: 'Website relaunch', validUntil,
    lines: [{ description: 'Design', quantity: '10', unitPrice: '95.00' }],
  });
  const sent = await sendQuote(firm, quote.id);
  return { firm, customer, sent, token: tokenOf(sent) };
}

test('a quote has exactly the lines and totals of an invoice with the same body', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const standard = await createTaxRate(firm, '19');
  const reduced = await createTaxRate(firm, '7');
  const item = expectStatus(await firm.request('POST', '/v1/items', { name: 'Consulting hour', unit: 'hour', unitPrice: '120.00', taxRateIds: [standard] }), 201);
  const body = {
    customerId: customer.id, discountPercent: '5',
    lines: [
      { itemId: item.id, quantity: '2.5', discountPercent: '10' },
      { description: 'Books', quantity: '3', unitPrice: '19.99', taxRateIds: [reduced] },
      { description: 'Workshop', quantity: '1', unitPrice: '333.33', taxRateIds: [standard], serviceStart: '2026-04-01', serviceEnd: '2026-04-02' },
    ],
  };
  const quote = await createQuote(firm, { ...body, title: 'Consulting', validUntil: '2026-04-30', terms: '50% upfront' });
  const invoice = expectStatus(await firm.request('POST', '/v1/invoices', body), 201);

  assert.deepEqual(totalsOf(quote), totalsOf(invoice));
  assert.deepEqual(linesOf(quote), linesOf(invoice));
  assert.equal(quote.total, '743.02'); // 663.30 - 33.17 discount + 108.90 (19% of 573.16) + 3.99 (7% of 56.97)
  assert.deepEqual(
    [quote.status, quote.number, quote.title, quote.validUntil, quote.terms, quote.discountPercent],
    ['draft', null, 'Consulting', '2026-04-30', '50% upfront', '5'],
  );

  // Inclusive prices too: the same rule carves net and tax out of the quoted amounts.
  const inclusive = { customerId: customer.id, priceMode: 'inclusive', lines: [{ description: 'Licence', quantity: '3', unitPrice: '10.00', taxRateIds: [standard] }] };
  const inclusiveQuote = await createQuote(firm, inclusive);
  assert.deepEqual(totalsOf(inclusiveQuote), totalsOf(expectStatus(await firm.request('POST', '/v1/invoices/preview', inclusive), 200)));
  assert.equal(inclusiveQuote.total, '30.00');
});

test('a draft is replaced whole by PUT; sending numbers it QUO-2026-0001, 0002... and freezes it', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const empty = await createQuote(firm, { customerId: customer.id, lines: [] });
  assertProblem(await firm.request('POST', `/v1/quotes/${empty.id}/send`), { status: 422, code: 'quote_has_no_lines', field: 'lines' });

  const replaced = expectStatus(await firm.request('PUT', `/v1/quotes/${empty.id}`, {
    customerId: customer.id, title: 'Audit', lines: [{ description: 'Audit', quantity: '1', unitPrice: '500.00' }],
  }), 200);
  assert.deepEqual([replaced.id, replaced.title, replaced.total, replaced.number], [empty.id, 'Audit', '500.00', null]);

  const first = await sendQuote(firm, replaced.id);
  assert.equal(first.number, 'QUO-2026-0001');
  assert.equal(first.status, 'sent');
  assert.equal(first.sentAt, '2026-03-15T10:00:00.000Z');
  assert.match(first.publicUrl, /^\/quote\/[A-Za-z0-9_-]{43}$/);
  const second = await createQuote(firm, { customerId: customer.id, lines: [{ description: 'More', quantity: '1', unitPrice: '1.00' }] });
  assert.equal((await sendQuote(firm, second.id)).number, 'QUO-2026-0002');

  // The link is shown once; the quote read back does not carry it, and the table keeps only its hash.
  const read = expectStatus(await firm.request('GET', `/v1/quotes/${first.id}`), 200);
  assert.equal(read.publicUrl, undefined);
  const { rows } = await api.db.pool.query('select accept_token_hash from quotes where id = $1', [first.id]);
  assert.equal(rows[0].accept_token_hash.length, 32);
  assert.notEqual(rows[0].accept_token_hash.toString('base64url'), tokenOf(first));

  assertProblem(await firm.request('POST', `/v1/quotes/${first.id}/send`), { status: 409, code: 'quote_already_sent' });
  assertProblem(await firm.request('PUT', `/v1/quotes/${first.id}`, { customerId: customer.id, lines: [] }), { status: 409, code: 'quote_not_draft' });
  await assert.rejects(api.db.pool.query('update quote_lines set unit_price = 1 where quote_id = $1', [first.id]), /quote is sent/);
  await assert.rejects(api.db.pool.query(`update quotes set total_minor = 1 where id = $1`, [first.id]), /cannot be edited/);

  // Invoices keep their own series.
  const invoice = expectStatus(await firm.request('POST', '/v1/invoices', { customerId: customer.id, lines: [{ description: 'X', quantity: '1', unitPrice: '1.00' }] }), 201);
  assert.equal((await issueInvoice(firm, invoice.id)).number, 'INV-2026-0001');
  const series = expectStatus(await firm.request('GET', '/v1/number-series'), 200).data;
  assert.ok(series.some((s: any) => s.documentType === 'quote' && s.pattern === 'QUO-{YYYY}-{seq:4}'));
});

test('a validUntil before today cannot be sent', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const quote = await createQuote(firm, { customerId: customer.id, validUntil: '2026-03-14', lines: [{ description: 'Late', quantity: '1', unitPrice: '1.00' }] });
  assertProblem(await firm.request('POST', `/v1/quotes/${quote.id}/send`), { status: 422, code: 'quote_valid_until_past', field: 'validUntil' });
  assertProblem(await firm.request('POST', '/v1/quotes', { customerId: customer.id, validUntil: '2026-02-30', lines: [] }), { status: 400, code: 'invalid_request' });
});

test('the customer sees the quote by its link, without signing in, and accepts it in their name', async () => {
  const { firm, sent, token } = await sentQuote();
  const seen = expectStatus(await anonymous('GET', `/v1/public/quotes/${token}`), 200);
  assert.deepEqual(
    [seen.organizationName, seen.customerName, seen.number, seen.title, seen.status, seen.total, seen.validUntil],
    ['Test Firm', 'Globex', 'QUO-2026-0001', 'Website relaunch', 'sent', '950.00', '2026-04-15'],
  );
  for (const internal of ['id', 'customerId', 'convertedInvoiceId']) assert.equal(seen[internal], undefined, internal);
  assert.deepEqual(Object.keys(seen.lines[0]).filter((key) => key === 'id' || key === 'itemId'), []);

  assertProblem(await anonymous('POST', `/v1/public/quotes/${token}/accept`, { name: '   ' }), { status: 400, code: 'invalid_request', field: 'name' });
  const accepted = await atTime('2026-03-20T08:30:00Z', async () =>
    expectStatus(await anonymous('POST', `/v1/public/quotes/${token}/accept`, { name: '  Jane Roe ' }), 200));
  assert.deepEqual([accepted.status, accepted.acceptedByName, accepted.acceptedAt], ['accepted', 'Jane Roe', '2026-03-20T08:30:00.000Z']);

  const inside = expectStatus(await firm.request('GET', `/v1/quotes/${sent.id}`), 200);
  assert.deepEqual([inside.status, inside.acceptedByName, inside.acceptedAt], ['accepted', 'Jane Roe', '2026-03-20T08:30:00.000Z']);

  // Answered once: neither a second acceptance nor a decline changes it.
  assertProblem(await anonymous('POST', `/v1/public/quotes/${token}/accept`, { name: 'Someone Else' }), { status: 409, code: 'quote_already_accepted' });
  assertProblem(await anonymous('POST', `/v1/public/quotes/${token}/decline`, {}), { status: 409, code: 'quote_already_accepted' });
  assert.equal(expectStatus(await firm.request('GET', `/v1/quotes/${sent.id}`), 200).acceptedByName, 'Jane Roe');
});

test('the customer may decline, with or without a reason; a declined quote cannot be accepted', async () => {
  const { firm, sent, token } = await sentQuote();
  const declined = expectStatus(await anonymous('POST', `/v1/public/quotes/${token}/decline`, { reason: 'Over budget' }), 200);
  assert.deepEqual([declined.status, declined.declinedReason, declined.declinedAt], ['declined', 'Over budget', '2026-03-15T10:00:00.000Z']);
  assertProblem(await anonymous('POST', `/v1/public/quotes/${token}/accept`, { name: 'Jane Roe' }), { status: 409, code: 'quote_already_declined' });
  assertProblem(await firm.request('POST', `/v1/quotes/${sent.id}/convert`), { status: 409, code: 'quote_not_accepted' });

  const other = await sentQuote();
  const silent = expectStatus(await anonymous('POST', `/v1/public/quotes/${other.token}/decline`), 200);
  assert.deepEqual([silent.status, silent.declinedReason], ['declined', null]);
});

test('a quote expires after its valid-until day, in the organization\'s time zone', async () => {
  const { firm, sent, token } = await sentQuote('2026-03-31');
  // 23:30 in Berlin on the 31st: still valid. Half an hour later it is April there.
  assert.equal((await atTime('2026-03-31T21:30:00Z', () => firm.request('GET', `/v1/quotes/${sent.id}`))).body.status, 'sent');
  const expired = await atTime('2026-03-31T22:30:00Z', async () => {
    assertProblem(await anonymous('POST', `/v1/public/quotes/${token}/accept`, { name: 'Jane Roe' }), { status: 409, code: 'quote_expired' });
    assertProblem(await anonymous('POST', `/v1/public/quotes/${token}/decline`, {}), { status: 409, code: 'quote_expired' });
    const listed = expectStatus(await firm.request('GET', '/v1/quotes?status=expired'), 200).data;
    assert.deepEqual(listed.map((quote: any) => quote.id), [sent.id]);
    return expectStatus(await anonymous('GET', `/v1/public/quotes/${token}`), 200);
  });
  assert.deepEqual([expired.status, expired.acceptedAt], ['expired', null]);

  // Without a valid-until day a quote never expires.
  const open = await sentQuote(null);
  await atTime('2027-01-01T12:00:00Z', async () =>
    expectStatus(await anonymous('POST', `/v1/public/quotes/${open.token}/accept`, { name: 'Jane Roe' }), 200));
});

test('an accepted quote becomes a draft invoice with the same lines and totals, once', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const vat = await createTaxRate(firm, '19');
  const quote = await createQuote(firm, {
    customerId: customer.id, discountPercent: '10', terms: 'Net 14', notes: 'Thank you',
    lines: [
      { description: 'Design', quantity: '12.5', unitPrice: '88.00', discountPercent: '5', taxRateIds: [vat] },
      { description: 'Hosting', quantity: '12', unitPrice: '9.99', taxRateIds: [vat] },
    ],
  });
  assertProblem(await firm.request('POST', `/v1/quotes/${quote.id}/convert`), { status: 409, code: 'quote_not_accepted' });
  const sent = await sendQuote(firm, quote.id);
  assertProblem(await firm.request('POST', `/v1/quotes/${quote.id}/convert`), { status: 409, code: 'quote_not_accepted' });
  expectStatus(await anonymous('POST', `/v1/public/quotes/${tokenOf(sent)}/accept`, { name: 'Jane Roe' }), 200);

  // The catalog may change after acceptance (here the rate is archived): the line snapshots travel.
  expectStatus(await firm.request('POST', `/v1/tax-rates/${vat}/archive`), 200);
  const invoice = expectStatus(await firm.request('POST', `/v1/quotes/${quote.id}/convert`), 201);
  assert.equal(invoice.status, 'draft');
  assert.equal(invoice.number, null);
  assert.equal(invoice.customerId, customer.id);
  assert.deepEqual([invoice.reference, invoice.terms, invoice.notes, invoice.discountPercent], [sent.number, 'Net 14', 'Thank you', '10']);
  assert.deepEqual(totalsOf(invoice), totalsOf(sent));
  assert.deepEqual(linesOf(invoice), linesOf(sent));
  assert.deepEqual(await getInvoice(firm, invoice.id), invoice);

  const converted = expectStatus(await firm.request('GET', `/v1/quotes/${quote.id}`), 200);
  assert.deepEqual([converted.status, converted.convertedInvoiceId], ['converted', invoice.id]);
  assertProblem(await firm.request('POST', `/v1/quotes/${quote.id}/convert`), { status: 409, code: 'quote_already_converted' });
  assert.equal(expectStatus(await firm.request('GET', '/v1/invoices'), 200).data.length, 1, 'no second invoice');

  const issued = await issueInvoice(firm, invoice.id);
  assert.deepEqual([issued.number, issued.total], ['INV-2026-0001', sent.total]);
});

test('deleting the draft made from a quote leaves the quote accepted, to be converted again', async () => {
  const { firm, sent, token } = await sentQuote();
  expectStatus(await anonymous('POST', `/v1/public/quotes/${token}/accept`, { name: 'Jane Roe' }), 200);
  const invoice = expectStatus(await firm.request('POST', `/v1/quotes/${sent.id}/convert`), 201);
  assert.equal((await firm.request('DELETE', `/v1/invoices/${invoice.id}`)).status, 204);
  const back = expectStatus(await firm.request('GET', `/v1/quotes/${sent.id}`), 200);
  assert.deepEqual([back.status, back.convertedInvoiceId], ['accepted', null]);
  const again = expectStatus(await firm.request('POST', `/v1/quotes/${sent.id}/convert`), 201);
  assert.equal(again.total, sent.total);
});

test('lists are newest first and filter by status and customer', async () => {
  const firm = await api.tenant();
  const a = await createCustomer(firm, { name: 'Acme' });
  const b = await createCustomer(firm, { name: 'Beta' });
  const line = [{ description: 'Work', quantity: '1', unitPrice: '10.00' }];
  const first = await createQuote(firm, { customerId: a.id, lines: line });
  const second = await createQuote(firm, { customerId: b.id, lines: line });
  await sendQuote(firm, second.id);
  const ids = async (query: string) => expectStatus(await firm.request('GET', `/v1/quotes${query}`), 200).data.map((quote: any) => quote.id);
  assert.deepEqual(await ids(''), [second.id, first.id]);
  assert.deepEqual(await ids('?status=sent'), [second.id]);
  assert.deepEqual(await ids(`?customerId=${a.id}`), [first.id]);
  const page = expectStatus(await firm.request('GET', '/v1/quotes?limit=1'), 200);
  assert.deepEqual(await ids(`?limit=1&cursor=${page.nextCursor}`), [first.id]);
});

test('tenancy: another organization\'s quote answers 404, and so does a link that opens nothing', async () => {
  const { firm, sent, token } = await sentQuote();
  const other = await api.tenant({ name: 'Other Firm' });
  const otherCustomer = await createCustomer(other);
  for (const [method, url, body] of [
    ['GET', `/v1/quotes/${sent.id}`],
    ['PUT', `/v1/quotes/${sent.id}`, { customerId: otherCustomer.id, lines: [] }],
    ['POST', `/v1/quotes/${sent.id}/send`],
    ['POST', `/v1/quotes/${sent.id}/convert`],
  ] as const) {
    assertProblem(await other.request(method, url, body), { status: 404, code: 'quote_not_found' });
  }
  assert.deepEqual(expectStatus(await other.request('GET', '/v1/quotes'), 200).data, []);
  // A quote for another organization's customer is refused as an unknown customer.
  const customer = expectStatus(await firm.request('GET', `/v1/quotes/${sent.id}`), 200).customerId;
  assertProblem(await other.request('POST', '/v1/quotes', { customerId: customer, lines: [] }), { status: 422, code: 'customer_not_found', field: 'customerId' });

  const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
  for (const bad of [wrong, 'not-a-token', sent.id]) {
    assertProblem(await anonymous('GET', `/v1/public/quotes/${bad}`), { status: 404, code: 'quote_not_found' });
    assertProblem(await anonymous('POST', `/v1/public/quotes/${bad}/accept`, { name: 'Mallory' }), { status: 404, code: 'quote_not_found' });
    assertProblem(await anonymous('POST', `/v1/public/quotes/${bad}/decline`, {}), { status: 404, code: 'quote_not_found' });
  }
  // The signed-in routes still want a key.
  assertProblem(await anonymous('GET', `/v1/quotes/${sent.id}`), { status: 401, code: 'unauthorized' });
});

test('an accepted statement of work converts once into a fixed-price project: net total, tax rates, a milestone per line', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm);
  const vat = await createTaxRate(firm, '19');
  const accepted = async (body: Record<string, unknown>) => {
    const quote = await createQuote(firm, { customerId: customer.id, ...body });
    const sent = await sendQuote(firm, quote.id);
    expectStatus(await anonymous('POST', `/v1/public/quotes/${tokenOf(sent)}/accept`, { name: 'Jane Roe' }), 200);
    return sent;
  };
  const sow = await accepted({
    title: 'Shop rebuild',
    lines: [
      { description: 'Discovery', quantity: '1', unitPrice: '2000.00', taxRateIds: [vat] },
      { description: 'Build', quantity: '40', unitPrice: '95.00', discountPercent: '5', taxRateIds: [vat] },
    ],
  });
  const project = expectStatus(await firm.request('POST', `/v1/quotes/${sow.id}/convert-to-project`), 201);
  assert.deepEqual([project.name, project.customerId, project.billing, project.taxRateIds], [
    `Shop rebuild (${sow.number})`, customer.id, { model: 'fixed', currency: 'EUR', amount: '5610.00' }, [vat],
  ]);
  const schedule = expectStatus(await firm.request('GET', `/v1/projects/${project.id}/schedule`), 200);
  assert.deepEqual(schedule.entries.map((e: any) => [e.description, e.kind, e.amount]), [['Discovery', 'milestone', '2000.00'], ['Build', 'milestone', '3610.00']]);
  const quote = expectStatus(await firm.request('GET', `/v1/quotes/${sow.id}`), 200);
  assert.deepEqual([quote.status, quote.convertedProjectId, quote.convertedInvoiceId], ['converted', project.id, null]);
  assertProblem(await firm.request('POST', `/v1/quotes/${sow.id}/convert-to-project`), { status: 409, code: 'quote_already_converted' });
  assertProblem(await firm.request('POST', `/v1/quotes/${sow.id}/convert`), { status: 409, code: 'quote_already_converted' });

  // A document discount: one milestone for the accepted net. Mixed tax rates: refused, nothing made.
  const discounted = await accepted({ discountPercent: '10', lines: [{ description: 'A', quantity: '1', unitPrice: '100.00' }, { description: 'B', quantity: '1', unitPrice: '50.00' }] });
  const single = expectStatus(await firm.request('POST', `/v1/quotes/${discounted.id}/convert-to-project`), 201);
  assert.deepEqual([single.name, single.billing.amount], [`Quote (${discounted.number})`, '135.00']);
  const [entry] = expectStatus(await firm.request('GET', `/v1/projects/${single.id}/schedule`), 200).entries;
  assert.deepEqual([entry.description, entry.amount], [`Work as quoted in ${discounted.number}`, '135.00']);
  const mixed = await accepted({ lines: [{ description: 'A', quantity: '1', unitPrice: '100.00', taxRateIds: [vat] }, { description: 'B', quantity: '1', unitPrice: '50.00' }] });
  assertProblem(await firm.request('POST', `/v1/quotes/${mixed.id}/convert-to-project`), { status: 409, code: 'quote_mixed_tax_rates' });
  assert.equal(expectStatus(await firm.request('GET', `/v1/quotes/${mixed.id}`), 200).status, 'accepted');
  assert.equal(expectStatus(await firm.request('GET', '/v1/projects'), 200).data.length, 2);
});

test('conversion refuses a quote in a currency the customer is no longer billed in; long lines fit a milestone', async () => {
  const firm = await api.tenant();
  const customer = await createCustomer(firm, { currency: 'JPY' });
  const accepted = async (body: Record<string, unknown>) => {
    const quote = await createQuote(firm, { customerId: customer.id, ...body });
    const sent = await sendQuote(firm, quote.id);
    expectStatus(await anonymous('POST', `/v1/public/quotes/${tokenOf(sent)}/accept`, { name: 'Jane Roe' }), 200);
    return sent;
  };
  const yen = await accepted({ lines: [{ description: 'Setup', quantity: '1', unitPrice: '150000' }] });
  expectStatus(await firm.request('PATCH', `/v1/customers/${customer.id}`, { currency: 'EUR' }), 200);
  assertProblem(await firm.request('POST', `/v1/quotes/${yen.id}/convert-to-project`), { status: 409, code: 'currency_mismatch' });
  assertProblem(await firm.request('POST', `/v1/quotes/${yen.id}/convert`), { status: 409, code: 'currency_mismatch' });

  const long = await accepted({ lines: [{ description: 'x'.repeat(600), quantity: '1', unitPrice: '10.00' }] });
  const project = expectStatus(await firm.request('POST', `/v1/quotes/${long.id}/convert-to-project`), 201);
  const [entry] = expectStatus(await firm.request('GET', `/v1/projects/${project.id}/schedule`), 200).entries;
  assert.equal(entry.description.length, 500);
  assert.ok(entry.description.endsWith('…'));
});
