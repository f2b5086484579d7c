import assert from 'node:assert/strict';
import type { ApiResponse, Tenant } from './api.ts';

/** The body of a response that must have the given status; otherwise fails with the body shown. */
export function expectStatus(response: ApiResponse, status: number): any {
  assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

export type LineInput = { description?: string; quantity: string; unitPrice?: string; taxRateIds?: string[]; [key: string]: unknown };

export async function createCustomer(firm: Tenant, fields: Record<string, unknown> = {}): Promise<any> {
  return expectStatus(await firm.request('POST', '/v1/customers', { name: 'Globex', currency: 'EUR', ...fields }), 201);
}

export async function createTaxRate(firm: Tenant, percentage: string, fields: Record<string, unknown> = {}): Promise<string> {
  const body = expectStatus(await firm.request('POST', '/v1/tax-rates', { name: `VAT ${percentage}%`, percentage, category: 'S', ...fields }), 201);
  return body.id;
}

export async function createDraft(firm: Tenant, customerId: string, lines: LineInput[], fields: Record<string, unknown> = {}): Promise<any> {
  return expectStatus(await firm.request('POST', '/v1/invoices', { customerId, lines, ...fields }), 201);
}

export async function issueInvoice(firm: Tenant, id: string): Promise<any> {
  return expectStatus(await firm.request('POST', `/v1/invoices/${id}/issue`), 200);
}

/** A draft, issued at once: the usual starting point of a payment or credit note. */
export async function createIssuedInvoice(firm: Tenant, customerId: string, lines: LineInput[], fields: Record<string, unknown> = {}): Promise<any> {
  return issueInvoice(firm, (await createDraft(firm, customerId, lines, fields)).id);
}

export async function recordPayment(firm: Tenant, customerId: string, amount: string, fields: Record<string, unknown> = {}): Promise<any> {
  return expectStatus(
    await firm.request('POST', '/v1/payments', { customerId, amount, currency: 'EUR', date: '2026-03-16', method: 'bank_transfer', ...fields }),
    201,
  );
}

export async function getInvoice(firm: Tenant, id: string): Promise<any> {
  return expectStatus(await firm.request('GET', `/v1/invoices/${id}`), 200);
}

export async function getCustomer(firm: Tenant, id: string): Promise<any> {
  return expectStatus(await firm.request('GET', `/v1/customers/${id}`), 200);
}

/** The trial balance row of one account (by code: 1100 receivable, 2100 customer credit, 4000 revenue...). */
export async function accountBalance(firm: Tenant, code: string, currency = 'EUR'): Promise<{ debit: string; credit: string; balance: string } | undefined> {
  const body = expectStatus(await firm.request('GET', '/v1/ledger/trial-balance'), 200);
  return body.accounts.find((account: any) => account.code === code && account.currency === currency);
}

export async function assertLedgerVerifies(firm: Tenant): Promise<void> {
  const verify = expectStatus(await firm.request('GET', '/v1/ledger/verify'), 200);
  assert.equal(verify.ok, true, JSON.stringify(verify));
}
