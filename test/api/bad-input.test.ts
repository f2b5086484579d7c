/**
 * Bad input, table-driven. Every case is a request that must be refused with a 4xx
 * `application/problem+json` (type, title, status, detail, code, and for validation an `errors`
 * entry naming the field), and must leave every table exactly as it was: same rows, same values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApi } from '../helpers/api.ts';
import { snapshotTables } from '../helpers/db-snapshot.ts';
import {
  createCustomer, createDraft, createIssuedInvoice, createTaxRate, expectStatus, recordPayment,
} from '../helpers/fixtures.ts';
import { assertProblem, type ExpectedProblem } from '../helpers/problem.ts';

const api = await createTestApi();
const firm = await api.tenant({ name: 'Firm' });
const other = await api.tenant({ name: 'Other Firm' });

// --- What the cases refer to: one of each state, in this organization and in another one. ---
const customer = await createCustomer(firm, { name: 'Globex' });
const yenCustomer = await createCustomer(firm, { name: 'Nippon KK', currency: 'JPY' });
const dinarCustomer = await createCustomer(firm, { name: 'Kuwait Co', currency: 'KWD' });
const vat = await createTaxRate(firm, '19');
const consulting = (price: string) => [{ description: 'Consulting', quantity: '1', unitPrice: price, taxRateIds: [vat] }];

const openInvoice = await createIssuedInvoice(firm, customer.id, consulting('100.00')); // 119.00 owed
const paidInvoice = await createIssuedInvoice(firm, customer.id, consulting('50.00')); // 59.50, paid below
await recordPayment(firm, customer.id, '59.50', { allocations: [{ invoiceId: paidInvoice.id, amount: '59.50' }] });
const voidInvoice = await createIssuedInvoice(firm, customer.id, consulting('10.00'));
expectStatus(await firm.request('POST', `/v1/invoices/${voidInvoice.id}/void`, {}), 200);
const draftInvoice = await createDraft(firm, customer.id, consulting('20.00'));
const negativeDraft = await createDraft(firm, customer.id, [{ description: 'Refund', quantity: '-1', unitPrice: '10.00' }]);
const yenInvoice = await createIssuedInvoice(firm, yenCustomer.id, [{ description: 'Work', quantity: '1', unitPrice: '1000' }]);

const foreignCustomer = await createCustomer(other, { name: 'Foreign Customer' });
const foreignTax = await createTaxRate(other, '20');
const foreignItem = expectStatus(await other.request('POST', '/v1/items', { name: 'Foreign item', unitPrice: '1.00' }), 201);
const foreignInvoice = await createIssuedInvoice(other, foreignCustomer.id, [{ description: 'Work', quantity: '1', unitPrice: '100.00' }]);
const foreignPayment = await recordPayment(other, foreignCustomer.id, '10.00');
const foreignCredit = expectStatus(await other.request('POST', '/v1/credit-notes', { invoiceId: foreignInvoice.id, amount: '5.00' }), 201);

// --- The cases. ---
type Case = {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** A JSON body; or `raw` for a payload sent as it is with its own content type. */
  body?: unknown;
  raw?: { payload: string; contentType: string };
  /** The Authorization header: the firm's key unless given; null sends none. */
  authorization?: string | null;
  headers?: Record<string, string>;
  expect: ExpectedProblem;
};

const invoiceWithLine = (line: Record<string, unknown>) => ({ customerId: customer.id, lines: [{ description: 'Work', quantity: '1', unitPrice: '10.00', ...line }] });
const payment = (fields: Record<string, unknown>) => ({ customerId: customer.id, amount: '10.00', currency: 'EUR', date: '2026-03-16', method: 'bank_transfer', ...fields });
const taxRate = (percentage: string) => ({ name: 'Odd rate', percentage, category: 'S' });
const project = (fields: Record<string, unknown>) => ({ customerId: customer.id, name: 'Odd project', billing: { model: 'hourly' }, ...fields });

const FORTY_DIGITS = '1234567890123456789012345678901234567890';
const malformedDecimals: Array<[label: string, value: string, expect: (field: string) => ExpectedProblem]> = [
  ['an exponent "1e3"', '1e3', (field) => ({ status: 400, code: 'invalid_request', field })],
  ['a decimal comma "1,5"', '1,5', (field) => ({ status: 400, code: 'invalid_request', field })],
  ['"NaN"', 'NaN', (field) => ({ status: 400, code: 'invalid_request', field })],
  ['a 40-digit number', FORTY_DIGITS, (field) => ({ status: 422, code: 'invalid_input', field })],
  ['an empty string', '', (field) => ({ status: 400, code: 'invalid_request', field })],
  ['a leading blank " 1"', ' 1', (field) => ({ status: 400, code: 'invalid_request', field })],
  ['a bare point ".5"', '.5', (field) => ({ status: 400, code: 'invalid_request', field })],
  ['a plus sign "+1"', '+1', (field) => ({ status: 400, code: 'invalid_request', field })],
];
const decimalFields: Array<[field: string, request: (value: string) => Pick<Case, 'method' | 'url' | 'body'>]> = [
  ['lines.0.quantity', (value) => ({ method: 'POST', url: '/v1/invoices', body: invoiceWithLine({ quantity: value }) })],
  ['lines.0.unitPrice', (value) => ({ method: 'POST', url: '/v1/invoices', body: invoiceWithLine({ unitPrice: value }) })],
  ['amount', (value) => ({ method: 'POST', url: '/v1/payments', body: payment({ amount: value }) })],
  ['percentage', (value) => ({ method: 'POST', url: '/v1/tax-rates', body: taxRate(value) })],
];

const cases: Case[] = [
  ...decimalFields.flatMap(([field, request]) =>
    malformedDecimals.map(([label, value, expect]): Case => ({ name: `${field} given ${label}`, ...request(value), expect: expect(field) })),
  ),
  { name: 'credit note amount given an exponent', method: 'POST', url: '/v1/credit-notes', body: { invoiceId: openInvoice.id, amount: '1e1' }, expect: { status: 400, code: 'invalid_request', field: 'amount' } },
  { name: 'line discountPercent given a decimal comma', method: 'POST', url: '/v1/invoices', body: invoiceWithLine({ discountPercent: '1,5' }), expect: { status: 400, code: 'invalid_request', field: 'lines.0.discountPercent' } },
  { name: 'an amount sent as a JSON number, not a decimal string', method: 'POST', url: '/v1/payments', body: payment({ customerId: dinarCustomer.id, currency: 'KWD', amount: 10.1 }), expect: { status: 400, code: 'invalid_request', field: 'amount' } },
  { name: 'a quantity sent as a JSON number, not a decimal string', method: 'POST', url: '/v1/invoices', body: invoiceWithLine({ quantity: 2 }), expect: { status: 400, code: 'invalid_request', field: 'lines.0.quantity' } },

  // Currencies.
  { name: 'a customer in an unknown currency "EUX"', method: 'POST', url: '/v1/customers', body: { name: 'X', currency: 'EUX' }, expect: { status: 422, code: 'invalid_input', field: 'currency' } },
  { name: 'a customer in a lowercase currency "eur"', method: 'POST', url: '/v1/customers', body: { name: 'X', currency: 'eur' }, expect: { status: 400, code: 'invalid_request', field: 'currency' } },
  { name: 'a payment in an unknown currency "EUX"', method: 'POST', url: '/v1/payments', body: payment({ currency: 'EUX' }), expect: { status: 422, code: 'invalid_input', field: 'currency' } },
  { name: 'a payment in a lowercase currency "eur"', method: 'POST', url: '/v1/payments', body: payment({ currency: 'eur' }), expect: { status: 400, code: 'invalid_request', field: 'currency' } },
  { name: "an invoice in another currency than the customer's", method: 'POST', url: '/v1/invoices', body: { ...invoiceWithLine({}), currency: 'USD' }, expect: { status: 422, code: 'currency_mismatch', field: 'currency' } },
  { name: 'an invoice in an unknown currency', method: 'POST', url: '/v1/invoices', body: { ...invoiceWithLine({}), currency: 'EUX' }, expect: { status: 422, field: 'currency' } },
  { name: 'a customer update to a lowercase currency', method: 'PATCH', url: `/v1/customers/${customer.id}`, body: { currency: 'usd' }, expect: { status: 400, code: 'invalid_request', field: 'currency' } },

  // More decimals than the currency has.
  { name: 'a EUR payment of "1.234"', method: 'POST', url: '/v1/payments', body: payment({ amount: '1.234' }), expect: { status: 422, code: 'invalid_input', field: 'amount' } },
  { name: 'a JPY payment of "1.5"', method: 'POST', url: '/v1/payments', body: payment({ customerId: yenCustomer.id, currency: 'JPY', amount: '1.5' }), expect: { status: 422, code: 'invalid_input', field: 'amount' } },
  { name: 'a KWD payment of "1.2345"', method: 'POST', url: '/v1/payments', body: payment({ customerId: dinarCustomer.id, currency: 'KWD', amount: '1.2345' }), expect: { status: 422, code: 'invalid_input', field: 'amount' } },
  { name: 'a EUR allocation of "1.234"', method: 'POST', url: '/v1/payments', body: payment({ allocations: [{ invoiceId: openInvoice.id, amount: '1.234' }] }), expect: { status: 422, code: 'invalid_input', field: 'allocations.0.amount' } },
  { name: 'a EUR credit note of "1.234"', method: 'POST', url: '/v1/credit-notes', body: { invoiceId: openInvoice.id, amount: '1.234' }, expect: { status: 422, code: 'invalid_input', field: 'amount' } },
  { name: 'a JPY credit note of "1.5"', method: 'POST', url: '/v1/credit-notes', body: { invoiceId: yenInvoice.id, amount: '1.5' }, expect: { status: 422, code: 'invalid_input', field: 'amount' } },

  // Zero and negative amounts, and percentages out of range.
  { name: 'a payment of zero', method: 'POST', url: '/v1/payments', body: payment({ amount: '0.00' }), expect: { status: 422, code: 'invalid_input', field: 'amount' } },
  { name: 'a negative payment', method: 'POST', url: '/v1/payments', body: payment({ amount: '-10.00' }), expect: { status: 422, code: 'invalid_input', field: 'amount' } },
  { name: 'an allocation of zero', method: 'POST', url: '/v1/payments', body: payment({ allocations: [{ invoiceId: openInvoice.id, amount: '0.00' }] }), expect: { status: 422, code: 'invalid_input', field: 'allocations.0.amount' } },
  { name: 'a negative allocation', method: 'POST', url: '/v1/payments', body: payment({ allocations: [{ invoiceId: openInvoice.id, amount: '-1.00' }] }), expect: { status: 422, code: 'invalid_input', field: 'allocations.0.amount' } },
  { name: 'a credit note of zero', method: 'POST', url: '/v1/credit-notes', body: { invoiceId: openInvoice.id, amount: '0.00' }, expect: { status: 422, code: 'invalid_input', field: 'amount' } },
  { name: 'a negative credit note', method: 'POST', url: '/v1/credit-notes', body: { invoiceId: openInvoice.id, amount: '-5.00' }, expect: { status: 422, code: 'invalid_input', field: 'amount' } },
  { name: 'a credit note line of zero quantity', method: 'POST', url: '/v1/credit-notes', body: { invoiceId: openInvoice.id, lines: [{ invoiceLineId: openInvoice.lines[0].id, quantity: '0' }] }, expect: { status: 422, field: 'lines.0.quantity' } },
  { name: 'a negative tax rate', method: 'POST', url: '/v1/tax-rates', body: taxRate('-19'), expect: { status: 422, code: 'invalid_input', field: 'percentage' } },
  { name: 'a line discount over 100%', method: 'POST', url: '/v1/invoices', body: invoiceWithLine({ discountPercent: '120' }), expect: { status: 422, code: 'invalid_input', field: 'lines.0.discountPercent' } },
  { name: 'a document discount over 100%', method: 'POST', url: '/v1/invoices', body: { ...invoiceWithLine({}), discountPercent: '100.5' }, expect: { status: 422, code: 'invalid_input', field: 'discountPercent' } },
  { name: 'a zero-rated category with a rate', method: 'POST', url: '/v1/tax-rates', body: { name: 'Zero', percentage: '7', category: 'Z' }, expect: { status: 422, code: 'invalid_input', field: 'percentage' } },
  { name: 'issuing an invoice whose total is negative', method: 'POST', url: `/v1/invoices/${negativeDraft.id}/issue`, expect: { status: 422, code: 'negative_total', field: 'total' } },

  // Unknown ids, and ids of another organization, inside a body: 422 naming the field.
  { name: 'an invoice for an unknown customerId', method: 'POST', url: '/v1/invoices', body: { ...invoiceWithLine({}), customerId: 'cus_unknown' }, expect: { status: 422, code: 'customer_not_found', field: 'customerId' } },
  { name: "an invoice for another organization's customerId", method: 'POST', url: '/v1/invoices', body: { ...invoiceWithLine({}), customerId: foreignCustomer.id }, expect: { status: 422, code: 'customer_not_found', field: 'customerId' } },
  { name: 'a line with an unknown tax rate id', method: 'POST', url: '/v1/invoices', body: invoiceWithLine({ taxRateIds: [vat, 'tax_unknown'] }), expect: { status: 422, code: 'tax_rate_not_found', field: 'lines.0.taxRateIds.1' } },
  { name: "a line with another organization's tax rate id", method: 'POST', url: '/v1/invoices', body: invoiceWithLine({ taxRateIds: [foreignTax] }), expect: { status: 422, code: 'tax_rate_not_found', field: 'lines.0.taxRateIds.0' } },
  { name: "a line with another organization's item", method: 'POST', url: '/v1/invoices', body: invoiceWithLine({ itemId: foreignItem.id }), expect: { status: 422, code: 'item_not_found', field: 'lines.0.itemId' } },
  { name: "an item with another organization's tax rate", method: 'POST', url: '/v1/items', body: { name: 'Mixed', taxRateIds: [foreignTax] }, expect: { status: 422, code: 'tax_rate_not_found', field: 'taxRateIds.0' } },
  { name: 'a payment for an unknown customerId', method: 'POST', url: '/v1/payments', body: payment({ customerId: 'cus_unknown' }), expect: { status: 422, code: 'customer_not_found', field: 'customerId' } },
  { name: "a payment for another organization's customerId", method: 'POST', url: '/v1/payments', body: payment({ customerId: foreignCustomer.id }), expect: { status: 422, code: 'customer_not_found', field: 'customerId' } },
  { name: 'an allocation to an unknown invoiceId', method: 'POST', url: '/v1/payments', body: payment({ allocations: [{ invoiceId: 'inv_unknown', amount: '10.00' }] }), expect: { status: 422, code: 'invoice_not_found', field: 'allocations.0.invoiceId' } },
  { name: "an allocation to another organization's invoiceId", method: 'POST', url: '/v1/payments', body: payment({ allocations: [{ invoiceId: foreignInvoice.id, amount: '10.00' }] }), expect: { status: 422, code: 'invoice_not_found', field: 'allocations.0.invoiceId' } },
  { name: "an allocation to another customer's invoice", method: 'POST', url: '/v1/payments', body: payment({ customerId: yenCustomer.id, currency: 'EUR', allocations: [{ invoiceId: openInvoice.id, amount: '10.00' }] }), expect: { status: 422, code: 'invoice_not_found', field: 'allocations.0.invoiceId' } },
  { name: 'an allocation to an invoice in another currency', method: 'POST', url: '/v1/payments', body: payment({ customerId: yenCustomer.id, currency: 'EUR', allocations: [{ invoiceId: yenInvoice.id, amount: '10.00' }] }), expect: { status: 422, code: 'currency_mismatch', field: 'allocations.0.invoiceId' } },
  { name: 'the same invoice allocated twice', method: 'POST', url: '/v1/payments', body: payment({ amount: '20.00', allocations: [{ invoiceId: openInvoice.id, amount: '10.00' }, { invoiceId: openInvoice.id, amount: '10.00' }] }), expect: { status: 422, field: 'allocations.1.invoiceId' } },
  { name: 'a credit note for an unknown invoiceId', method: 'POST', url: '/v1/credit-notes', body: { invoiceId: 'inv_unknown', amount: '1.00' }, expect: { status: 422, code: 'invoice_not_found', field: 'invoiceId' } },
  { name: "a credit note for another organization's invoiceId", method: 'POST', url: '/v1/credit-notes', body: { invoiceId: foreignInvoice.id, amount: '1.00' }, expect: { status: 422, code: 'invoice_not_found', field: 'invoiceId' } },
  { name: 'a credit note line for a line of another invoice', method: 'POST', url: '/v1/credit-notes', body: { invoiceId: openInvoice.id, lines: [{ invoiceLineId: paidInvoice.lines[0].id }] }, expect: { status: 422, field: 'lines.0.invoiceLineId' } },

  // Ids in the path: unknown, or another organization's, answer 404 alike.
  { name: "reading another organization's invoice", method: 'GET', url: `/v1/invoices/${foreignInvoice.id}`, expect: { status: 404, code: 'invoice_not_found' } },
  { name: "reading another organization's customer", method: 'GET', url: `/v1/customers/${foreignCustomer.id}`, expect: { status: 404, code: 'customer_not_found' } },
  { name: "reading another organization's payment", method: 'GET', url: `/v1/payments/${foreignPayment.id}`, expect: { status: 404, code: 'payment_not_found' } },
  { name: "reading another organization's credit note", method: 'GET', url: `/v1/credit-notes/${foreignCredit.id}`, expect: { status: 404, code: 'credit_note_not_found' } },
  { name: 'reading an unknown invoice', method: 'GET', url: '/v1/invoices/inv_unknown', expect: { status: 404, code: 'invoice_not_found' } },
  { name: 'issuing an unknown invoice', method: 'POST', url: '/v1/invoices/inv_unknown/issue', expect: { status: 404, code: 'invoice_not_found' } },

  // The record's state forbids it: 409.
  { name: 'issuing an invoice twice', method: 'POST', url: `/v1/invoices/${openInvoice.id}/issue`, expect: { status: 409, code: 'invoice_already_issued' } },
  { name: 'issuing a void invoice', method: 'POST', url: `/v1/invoices/${voidInvoice.id}/issue`, expect: { status: 409, code: 'invoice_already_issued' } },
  { name: 'voiding a paid invoice', method: 'POST', url: `/v1/invoices/${paidInvoice.id}/void`, body: {}, expect: { status: 409, code: 'invoice_has_settlements' } },
  { name: 'voiding a void invoice', method: 'POST', url: `/v1/invoices/${voidInvoice.id}/void`, body: {}, expect: { status: 409, code: 'invoice_already_void' } },
  { name: 'voiding a draft', method: 'POST', url: `/v1/invoices/${draftInvoice.id}/void`, body: {}, expect: { status: 409, code: 'invoice_not_issued' } },
  { name: 'paying a void invoice', method: 'POST', url: '/v1/payments', body: payment({ allocations: [{ invoiceId: voidInvoice.id, amount: '10.00' }] }), expect: { status: 409, code: 'invoice_void', field: 'allocations.0.invoiceId' } },
  { name: 'paying a draft', method: 'POST', url: '/v1/payments', body: payment({ allocations: [{ invoiceId: draftInvoice.id, amount: '10.00' }] }), expect: { status: 409, code: 'invoice_not_issued', field: 'allocations.0.invoiceId' } },
  { name: 'crediting a void invoice', method: 'POST', url: '/v1/credit-notes', body: { invoiceId: voidInvoice.id, amount: '1.00' }, expect: { status: 409, code: 'invoice_not_issued', field: 'invoiceId' } },
  { name: 'crediting a draft', method: 'POST', url: '/v1/credit-notes', body: { invoiceId: draftInvoice.id, amount: '1.00' }, expect: { status: 409, code: 'invoice_not_issued', field: 'invoiceId' } },
  { name: 'editing an issued invoice', method: 'PUT', url: `/v1/invoices/${openInvoice.id}`, body: invoiceWithLine({}), expect: { status: 409, code: 'invoice_not_draft' } },
  { name: 'deleting an issued invoice', method: 'DELETE', url: `/v1/invoices/${openInvoice.id}`, expect: { status: 409, code: 'invoice_not_draft' } },
  { name: 'deleting a customer that has invoices', method: 'DELETE', url: `/v1/customers/${customer.id}`, expect: { status: 409, code: 'customer_has_documents' } },

  // Money that is not there.
  { name: 'allocating more than an invoice still owes', method: 'POST', url: '/v1/payments', body: payment({ amount: '200.00', allocations: [{ invoiceId: openInvoice.id, amount: '119.01' }] }), expect: { status: 422, code: 'allocation_exceeds_balance', field: 'allocations.0.amount' } },
  { name: 'allocating anything to a paid invoice', method: 'POST', url: '/v1/payments', body: payment({ allocations: [{ invoiceId: paidInvoice.id, amount: '0.01' }] }), expect: { status: 422, code: 'allocation_exceeds_balance', field: 'allocations.0.amount' } },
  { name: 'allocations adding up to more than the payment', method: 'POST', url: '/v1/payments', body: payment({ amount: '50.00', allocations: [{ invoiceId: openInvoice.id, amount: '100.00' }] }), expect: { status: 422, code: 'allocation_exceeds_payment', field: 'allocations' } },
  { name: 'a credit note for more than the invoice', method: 'POST', url: '/v1/credit-notes', body: { invoiceId: openInvoice.id, amount: '119.01' }, expect: { status: 422, code: 'credit_exceeds_invoice', field: 'amount' } },
  { name: 'a credit note for more of a line than it billed', method: 'POST', url: '/v1/credit-notes', body: { invoiceId: openInvoice.id, lines: [{ invoiceLineId: openInvoice.lines[0].id, quantity: '2' }] }, expect: { status: 422, code: 'credit_exceeds_invoice', field: 'lines.0.quantity' } },
  { name: 'a credit note with both lines and an amount', method: 'POST', url: '/v1/credit-notes', body: { invoiceId: openInvoice.id, amount: '1.00', lines: [{ invoiceLineId: openInvoice.lines[0].id }] }, expect: { status: 422, field: 'lines' } },
  { name: 'applying credit a customer does not have', method: 'POST', url: `/v1/customers/${customer.id}/apply-credit`, body: {}, expect: { status: 422, code: 'no_credit_to_apply', field: 'customerId' } },

  // The request itself: size, content type, JSON, unknown and missing fields.
  { name: 'a 5 MB body', method: 'POST', url: '/v1/customers', raw: { payload: JSON.stringify({ name: 'x'.repeat(5 * 1024 * 1024), currency: 'EUR' }), contentType: 'application/json' }, expect: { status: 413, code: 'ctp_body_too_large' } },
  { name: 'a text/plain body', method: 'POST', url: '/v1/customers', raw: { payload: 'name=Globex', contentType: 'text/plain' }, expect: { status: 415, code: 'ctp_invalid_media_type' } },
  { name: 'an application/xml body', method: 'POST', url: '/v1/customers', raw: { payload: '<customer><name>Globex</name></customer>', contentType: 'application/xml' }, expect: { status: 415, code: 'ctp_invalid_media_type' } },
  { name: 'invalid JSON', method: 'POST', url: '/v1/customers', raw: { payload: '{"name": "Globex", "currency": ', contentType: 'application/json' }, expect: { status: 400, code: 'ctp_invalid_json_body', field: 'body' } },
  { name: 'an empty JSON body', method: 'POST', url: '/v1/customers', raw: { payload: '', contentType: 'application/json' }, expect: { status: 400, code: 'ctp_empty_json_body', field: 'body' } },
  { name: 'a JSON array instead of an object', method: 'POST', url: '/v1/customers', body: [{ name: 'Globex', currency: 'EUR' }], expect: { status: 400, code: 'invalid_request' } },
  { name: 'an unknown top-level field', method: 'POST', url: '/v1/customers', body: { name: 'X', currency: 'EUR', colour: 'red' }, expect: { status: 400, code: 'invalid_request', field: 'colour' } },
  { name: 'an unknown field inside a line', method: 'POST', url: '/v1/invoices', body: invoiceWithLine({ vatRate: '19' }), expect: { status: 400, code: 'invalid_request', field: 'lines.0.vatRate' } },
  { name: 'an unknown field in a payment', method: 'POST', url: '/v1/payments', body: payment({ cardNumber: '4242424242424242' }), expect: { status: 400, code: 'invalid_request', field: 'cardNumber' } },
  { name: 'a missing required field', method: 'POST', url: '/v1/customers', body: { name: 'X' }, expect: { status: 400, code: 'invalid_request', field: 'currency' } },
  { name: 'an unknown payment method', method: 'POST', url: '/v1/payments', body: payment({ method: 'bitcoin' }), expect: { status: 400, code: 'invalid_request', field: 'method' } },
  { name: 'an Idempotency-Key over 255 characters', method: 'POST', url: '/v1/customers', body: { name: 'X', currency: 'EUR' }, headers: { 'idempotency-key': 'k'.repeat(256) }, expect: { status: 400, code: 'invalid_idempotency_key' } },

  // Authentication.
  { name: 'no Authorization header', method: 'GET', url: '/v1/customers', authorization: null, expect: { status: 401, code: 'unauthorized' } },
  { name: 'a wrong API key', method: 'GET', url: '/v1/customers', authorization: `Bearer acr_${'x'.repeat(32)}`, expect: { status: 401, code: 'unauthorized' } },
  { name: 'a malformed API key', method: 'GET', url: '/v1/customers', authorization: 'Bearer not-a-key', expect: { status: 401, code: 'unauthorized' } },
  { name: 'a Basic Authorization header', method: 'GET', url: '/v1/customers', authorization: 'Basic dXNlcjpwYXNz', expect: { status: 401, code: 'unauthorized' } },
  { name: 'a write without an API key', method: 'POST', url: '/v1/customers', body: { name: 'X', currency: 'EUR' }, authorization: null, expect: { status: 401, code: 'unauthorized' } },

  // Lists and dates.
  { name: 'an invalid customers cursor', method: 'GET', url: '/v1/customers?cursor=not-a-cursor', expect: { status: 422, field: 'cursor' } },
  { name: 'an invalid invoices cursor', method: 'GET', url: '/v1/invoices?cursor=not-a-cursor', expect: { status: 422, field: 'cursor' } },
  { name: 'an invalid payments cursor', method: 'GET', url: '/v1/payments?cursor=not-a-cursor', expect: { status: 422, field: 'cursor' } },
  { name: 'a list limit of 0', method: 'GET', url: '/v1/invoices?limit=0', expect: { status: 400, code: 'invalid_request', field: 'limit' } },
  { name: 'a list limit over 200', method: 'GET', url: '/v1/customers?limit=201', expect: { status: 400, code: 'invalid_request', field: 'limit' } },
  { name: 'an unknown status filter', method: 'GET', url: '/v1/invoices?status=late', expect: { status: 400, code: 'invalid_request', field: 'status' } },
  { name: 'a payment dated 2026-02-30', method: 'POST', url: '/v1/payments', body: payment({ date: '2026-02-30' }), expect: { status: 400, field: 'date' } },
  { name: 'a payment dated 16.03.2026', method: 'POST', url: '/v1/payments', body: payment({ date: '16.03.2026' }), expect: { status: 400, field: 'date' } },
  { name: 'a service start of 2026-02-30', method: 'POST', url: '/v1/invoices', body: invoiceWithLine({ serviceStart: '2026-02-30' }), expect: { status: 400, field: 'lines.0.serviceStart' } },
  { name: 'a service end before its start', method: 'POST', url: '/v1/invoices', body: invoiceWithLine({ serviceStart: '2026-03-10', serviceEnd: '2026-03-01' }), expect: { status: 422, field: 'lines.0.serviceEnd' } },
  { name: 'an issuedFrom filter of 2026-02-30', method: 'GET', url: '/v1/invoices?issuedFrom=2026-02-30', expect: { status: 400, field: 'issuedFrom' } },
  { name: 'an unknown route', method: 'GET', url: '/v1/unicorns', expect: { status: 404, code: 'route_not_found' } },
  // Projects' contract terms, limits and taxes; grouping; stock history; quote conversion.
  { name: 'a project tax rate that does not exist', method: 'POST', url: '/v1/projects', body: project({ taxRateIds: ['txr_nope'] }), expect: { status: 422, code: 'tax_rate_not_found', field: 'taxRateIds.0' } },
  { name: "a project with another firm's tax rate", method: 'POST', url: '/v1/projects', body: project({ taxRateIds: [vat, foreignTax] }), expect: { status: 422, code: 'tax_rate_not_found', field: 'taxRateIds.1' } },
  { name: 'project tax rates as a string', method: 'POST', url: '/v1/projects', body: project({ taxRateIds: vat }), expect: { status: 400, field: 'taxRateIds' } },
  { name: 'a negative not-to-exceed amount', method: 'POST', url: '/v1/projects', body: project({ billing: { model: 'hourly', notToExceed: '-5.00' } }), expect: { status: 422, field: 'billing.notToExceed' } },
  { name: 'a not-to-exceed amount on a fixed project', method: 'POST', url: '/v1/projects', body: project({ billing: { model: 'fixed', amount: '100.00', notToExceed: '50.00' } }), expect: { status: 422, field: 'billing.notToExceed' } },
  { name: 'includeUnbilledWork as a string', method: 'POST', url: '/v1/projects', body: project({ billing: { model: 'retainer', fee: '100.00', interval: 'month', includedHours: '5', includeUnbilledWork: 'yes' } }), expect: { status: 400, field: 'billing.includeUnbilledWork' } },
  { name: 'includeUnbilledWork on an hourly project', method: 'POST', url: '/v1/projects', body: project({ billing: { model: 'hourly', includeUnbilledWork: true } }), expect: { status: 422, field: 'billing.includeUnbilledWork' } },
  { name: 'an unknown invoice grouping', method: 'PATCH', url: `/v1/customers/${customer.id}`, body: { invoiceGrouping: 'sometimes' }, expect: { status: 400, field: 'invoiceGrouping' } },
  { name: 'allowOverLimit as a string', method: 'POST', url: '/v1/invoices/from-unbilled', body: { customerId: customer.id, allowOverLimit: 'true' }, expect: { status: 400, field: 'allowOverLimit' } },
  { name: 'a stock history limit of 0', method: 'GET', url: `/v1/items/${foreignItem.id}/stock-movements?limit=0`, expect: { status: 400, field: 'limit' } },
  { name: "another firm's item's stock history", method: 'GET', url: `/v1/items/${foreignItem.id}/stock-movements`, expect: { status: 404 } },
  { name: 'converting an unknown quote into a project', method: 'POST', url: '/v1/quotes/quo_nope/convert-to-project', expect: { status: 404 } },
];

async function send(c: Case) {
  const authorization = c.authorization === undefined ? `Bearer ${firm.apiKey}` : c.authorization;
  const headers: Record<string, string> = { ...(authorization === null ? {} : { authorization }), ...c.headers };
  let payload: string | undefined;
  if (c.raw) {
    headers['content-type'] = c.raw.contentType;
    payload = c.raw.payload;
  } else if (c.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(c.body);
  }
  const response = await api.app.inject({ method: c.method, url: c.url, headers, ...(payload === undefined ? {} : { payload }) });
  return { status: response.statusCode, headers: response.headers, body: response.body ? JSON.parse(response.body) : null };
}

for (const c of cases) {
  test(`${c.method} ${c.url.replace(/[a-z]+_[0-9a-z]{26}/g, ':id').slice(0, 40)}: ${c.name} → ${c.expect.status}${c.expect.code ? ` ${c.expect.code}` : ''}, nothing changes`, async () => {
    const before = await snapshotTables(api.db.pool);
    const response = await send(c);
    assertProblem(response, c.expect);
    if (['invalid_request', 'invalid_input'].includes(response.body.code)) {
      assert.ok(Array.isArray(response.body.errors) && response.body.errors.length > 0, 'validation problems list the fields');
    }
    assert.deepEqual(await snapshotTables(api.db.pool), before, 'the database is unchanged');
  });
}

test('the refusals above left the documents they refer to as they were', async () => {
  const open = expectStatus(await firm.request('GET', `/v1/invoices/${openInvoice.id}`), 200);
  assert.equal(open.status, 'open');
  assert.equal(open.amountDue, '119.00');
  assert.equal(expectStatus(await firm.request('GET', `/v1/invoices/${paidInvoice.id}`), 200).status, 'paid');
  assert.equal(expectStatus(await firm.request('GET', `/v1/invoices/${voidInvoice.id}`), 200).status, 'void');
  assert.equal(expectStatus(await firm.request('GET', `/v1/invoices/${draftInvoice.id}`), 200).status, 'draft');
  const verify = expectStatus(await firm.request('GET', '/v1/ledger/verify'), 200);
  assert.equal(verify.ok, true, JSON.stringify(verify));
});

test('a problem names every invalid field at once, not only the first', async () => {
  const response = await firm.request('POST', '/v1/invoices', {
    customerId: customer.id, lines: [{ description: 'A', quantity: '1e3', unitPrice: '1,5' }, { description: 'B', quantity: 'NaN', unitPrice: '1' }],
  });
  assertProblem(response, { status: 400, code: 'invalid_request' });
  const fields = response.body.errors.map((error: { field: string }) => error.field).sort();
  assert.deepEqual(fields, ['lines.0.quantity', 'lines.0.unitPrice', 'lines.1.quantity']);
});

test('the fingerprint used above does see a change: an insert and an update each change their table only', async () => {
  const before = await snapshotTables(api.db.pool);
  const created = await createCustomer(firm, { name: 'Harness Check' });
  const afterInsert = await snapshotTables(api.db.pool);
  assert.deepEqual(Object.keys(afterInsert).filter((table) => afterInsert[table] !== before[table]), ['customers']);
  expectStatus(await firm.request('PATCH', `/v1/customers/${created.id}`, { notes: 'changed' }), 200);
  const afterUpdate = await snapshotTables(api.db.pool);
  assert.deepEqual(Object.keys(afterUpdate).filter((table) => afterUpdate[table] !== afterInsert[table]), ['customers']);
});
