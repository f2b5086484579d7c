import { parseIsoDate } from '../../shared/calendar.ts';
import type { Clock } from '../../shared/clock.ts';
import { assertCurrency } from '../../shared/currencies.ts';
import { inTransaction, type Pool, type Tx } from '../../shared/db.ts';
import { conflict, invalid } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { formatAmount, parseAmount } from '../../shared/money.ts';
import { findCustomer } from '../customers/index.ts';
import { insertSettlements, lockInvoices, lockOpenInvoices, type OpenInvoice } from '../invoicing/index.ts';
import { postJournalEntry } from '../ledger/index.ts';
import { findPayment, insertPayment, PAYMENT_METHODS, type Payment, type PaymentMethod } from './payment-store.ts';

export type PaymentInput = {
  customerId: string;
  amount: string;
  currency: string;
  date: string;
  method: PaymentMethod;
  reference?: string | null;
  notes?: string | null;
  allocations?: Array<{ invoiceId: string; amount: string }>;
};

type Planned = { invoice: OpenInvoice; amountMinor: bigint };

/**
 * Records money received and settles invoices with it: as the caller allocates it, or oldest
 * due first. Whatever is left becomes customer credit. One transaction, one journal entry.
 */
export async function recordPayment(pool: Pool, _clock: Clock, organizationId: string, input: PaymentInput): Promise<Payment> {
  assertCurrency(input.currency, 'currency');
  const amountMinor = parseAmount(input.amount, input.currency, 'amount');
  if (amountMinor <= 0n) throw invalid('amount', 'must be more than zero');
  const receivedOn = parseIsoDate(input.date, 'date');
  if (!PAYMENT_METHODS.includes(input.method)) throw invalid('method', `must be one of ${PAYMENT_METHODS.join(', ')}`);
  return inTransaction(pool, async (tx) => {
    // The customer row lock serializes settling one customer's invoices and credit.
    await findCustomer(tx, organizationId, input.customerId, true).catch(() => {
      throw invalid('customerId', `no customer with id ${input.customerId}`, 'customer_not_found');
    });
    const plan = input.allocations
      ? await planGivenAllocations(tx, organizationId, input, amountMinor)
      : planOldestFirst(await lockOpenInvoices(tx, organizationId, input.customerId, input.currency), amountMinor);
    const id = newId('pay');
    await insertPayment(tx, organizationId, {
      id, customerId: input.customerId, amountMinor, currency: input.currency, receivedOn, method: input.method,
      reference: input.reference ?? null, notes: input.notes ?? null,
    });
    await insertSettlements(tx, organizationId, plan.map((p) => ({ invoiceId: p.invoice.id, kind: 'payment', paymentId: id, amountMinor: p.amountMinor, settledOn: receivedOn })));
    const allocatedMinor = plan.reduce((sum, p) => sum + p.amountMinor, 0n);
    await postJournalEntry(tx, {
      organizationId, date: receivedOn, description: `Payment${input.reference ? ` ${input.reference}` : ''}`, sourceType: 'payment', sourceId: id,
      lines: [
        { account: input.method === 'cash' ? 'cash' : 'bank', currency: input.currency, amountMinor },
        ...plan.map((p) => ({ account: 'receivable' as const, customerId: input.customerId, currency: input.currency, amountMinor: -p.amountMinor, memo: p.invoice.number })),
        { account: 'customer_credit', customerId: input.customerId, currency: input.currency, amountMinor: -(amountMinor - allocatedMinor) },
      ],
    });
    return findPayment(tx, organizationId, id);
  });
}

function planOldestFirst(open: OpenInvoice[], amountMinor: bigint): Planned[] {
  const plan: Planned[] = [];
  let rest = amountMinor;
  for (const invoice of open) {
    if (rest === 0n) break;
    const share = invoice.openMinor < rest ? invoice.openMinor : rest;
    plan.push({ invoice, amountMinor: share });
    rest -= share;
  }
  return plan;
}

async function planGivenAllocations(tx: Tx, organizationId: string, input: PaymentInput, amountMinor: bigint): Promise<Planned[]> {
  const allocations = input.allocations ?? [];
  const invoices = await lockInvoices(tx, organizationId, allocations.map((a) => a.invoiceId));
  const seen = new Set<string>();
  let total = 0n;
  const plan = allocations.map((allocation, index): Planned => {
    const field = `allocations.${index}`;
    const invoice = invoices.get(allocation.invoiceId);
    if (!invoice || invoice.customerId !== input.customerId) throw invalid(`${field}.invoiceId`, `no invoice ${allocation.invoiceId} of this customer`, 'invoice_not_found');
    if (seen.has(invoice.id)) throw invalid(`${field}.invoiceId`, 'is allocated twice');
    seen.add(invoice.id);
    if (invoice.state === 'void') throw conflict('invoice_void', `Invoice ${invoice.number} is void and cannot be paid.`, `${field}.invoiceId`);
    if (invoice.state === 'draft') throw conflict('invoice_not_issued', 'A draft cannot be paid; issue it first.', `${field}.invoiceId`);
    if (invoice.currency !== input.currency) throw invalid(`${field}.invoiceId`, `invoice ${invoice.number} is in ${invoice.currency}, the payment in ${input.currency}`, 'currency_mismatch');
    const share = parseAmount(allocation.amount, input.currency, `${field}.amount`);
    if (share <= 0n) throw invalid(`${field}.amount`, 'must be more than zero');
    if (share > invoice.openMinor) {
      throw invalid(`${field}.amount`, `is more than the ${formatAmount(invoice.openMinor, invoice.currency)} still owed on invoice ${invoice.number}`, 'allocation_exceeds_balance');
    }
    total += share;
    return { invoice, amountMinor: share };
  });
  if (total > amountMinor) throw invalid('allocations', `allocate ${formatAmount(total, input.currency)} but the payment is ${formatAmount(amountMinor, input.currency)}`, 'allocation_exceeds_payment');
  return plan;
}
