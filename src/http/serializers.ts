import { formatAmount } from '../shared/money.ts';
import type { CustomerWithBalance, Customer } from '../modules/customers/index.ts';
import type { CreditNote, Invoice, TaxBreakdownLine } from '../modules/invoicing/index.ts';
import type { Payment } from '../modules/payments/index.ts';

// The API speaks decimal strings beside a currency; the modules speak bigint minor units.

export function customerJson(customer: Customer | CustomerWithBalance) {
  const { balances, ...rest } = customer as CustomerWithBalance;
  if (!balances) return rest;
  const own = balances.find((b) => b.currency === customer.currency);
  return {
    ...rest,
    balance: formatAmount(own?.balanceMinor ?? 0n, customer.currency),
    creditBalance: formatAmount(own?.creditMinor ?? 0n, customer.currency),
    balances: balances.map((b) => ({ currency: b.currency, balance: formatAmount(b.balanceMinor, b.currency), creditBalance: formatAmount(b.creditMinor, b.currency) })),
  };
}

function breakdownJson(list: TaxBreakdownLine[], currency: string) {
  return list.map(({ taxableMinor, taxMinor, ...entry }) => ({
    ...entry, taxable: formatAmount(taxableMinor, currency), tax: formatAmount(taxMinor, currency),
  }));
}

export function invoiceJson(invoice: Invoice) {
  const c = invoice.currency;
  return {
    id: invoice.id, status: invoice.status, number: invoice.number, customerId: invoice.customerId, currency: c,
    priceMode: invoice.priceMode, issueDate: invoice.issueDate, dueDate: invoice.dueDate, purchaseOrder: invoice.purchaseOrder,
    reference: invoice.reference, notes: invoice.notes, terms: invoice.terms, discountPercent: invoice.discountPercent,
    lines: invoice.lines.map(({ amountMinor, discountMinor, netMinor, ...line }) => ({
      ...line, taxRateIds: line.taxes.map((tax) => tax.id),
      amount: formatAmount(amountMinor, c), discount: formatAmount(discountMinor, c), net: formatAmount(netMinor, c),
    })),
    subtotal: formatAmount(invoice.subtotalMinor, c), discountTotal: formatAmount(invoice.discountTotalMinor, c),
    taxTotal: formatAmount(invoice.taxTotalMinor, c), taxBreakdown: breakdownJson(invoice.taxBreakdown, c),
    total: formatAmount(invoice.totalMinor, c), amountPaid: formatAmount(invoice.amountPaidMinor, c),
    amountCredited: formatAmount(invoice.amountCreditedMinor, c), amountDue: formatAmount(invoice.amountDueMinor, c),
    customer: invoice.customerSnapshot, voidReason: invoice.voidReason,
    createdAt: invoice.createdAt, issuedAt: invoice.issuedAt, voidedAt: invoice.voidedAt,
  };
}

export function creditNoteJson(note: CreditNote) {
  const c = note.currency;
  return {
    id: note.id, number: note.number, invoiceId: note.invoiceId, customerId: note.customerId, currency: c, issueDate: note.issueDate,
    reason: note.reason, priceMode: note.priceMode, discountPercent: note.discountPercent,
    lines: note.lines.map(({ amountMinor, discountMinor, netMinor, ...line }) => ({
      ...line, taxRateIds: line.taxes.map((tax) => tax.id),
      amount: formatAmount(amountMinor, c), discount: formatAmount(discountMinor, c), net: formatAmount(netMinor, c),
    })),
    subtotal: formatAmount(note.subtotalMinor, c), discountTotal: formatAmount(note.discountTotalMinor, c),
    taxTotal: formatAmount(note.taxTotalMinor, c), taxBreakdown: breakdownJson(note.taxBreakdown, c), total: formatAmount(note.totalMinor, c),
    appliedToInvoice: formatAmount(note.appliedMinor, c), creditedToCustomer: formatAmount(note.creditedMinor, c), createdAt: note.createdAt,
  };
}

export function paymentJson(payment: Payment) {
  const c = payment.currency;
  return {
    id: payment.id, customerId: payment.customerId, amount: formatAmount(payment.amountMinor, c), currency: c, date: payment.receivedOn,
    method: payment.method, reference: payment.reference, notes: payment.notes,
    allocations: payment.allocations.map((a) => ({ invoiceId: a.invoiceId, invoiceNumber: a.invoiceNumber, amount: formatAmount(a.amountMinor, c) })),
    unallocated: formatAmount(payment.unallocatedMinor, c), createdAt: payment.createdAt,
  };
}
