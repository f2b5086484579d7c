import type { Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool } from '../../shared/db.ts';
import { invalid } from '../../shared/errors.ts';
import { formatAmount } from '../../shared/money.ts';
import { findCustomer } from '../customers/index.ts';
import { insertSettlements, lockOpenInvoices, todayFor } from '../invoicing/index.ts';
import { balancesByCustomer, customerCurrencyKey, postJournalEntry } from '../ledger/index.ts';

export type AppliedCredit = { currency: string; appliedMinor: bigint; remainingCreditMinor: bigint; invoices: Array<{ invoiceId: string; invoiceNumber: string; amountMinor: bigint }> };

/**
 * Uses a customer's credit (overpayments, credit notes beyond what an invoice owed) to settle
 * their open invoices, oldest due first, or only the invoice given.
 */
export async function applyCustomerCredit(
  pool: Pool,
  clock: Clock,
  organizationId: string,
  customerId: string,
  options: { currency?: string; invoiceId?: string } = {},
): Promise<AppliedCredit> {
  return inTransaction(pool, async (tx) => {
    const customer = await findCustomer(tx, organizationId, customerId, true);
    const currency = options.currency ?? customer.currency;
    const today = await todayFor(tx, organizationId, clock);
    const credit = (await balancesByCustomer(tx, organizationId, 'customer_credit', [customerId])).get(customerCurrencyKey(customerId, currency)) ?? 0n;
    let open = await lockOpenInvoices(tx, organizationId, customerId, currency);
    if (options.invoiceId) {
      open = open.filter((invoice) => invoice.id === options.invoiceId);
      if (open.length === 0) throw invalid('invoiceId', 'is not an open invoice of this customer in this currency');
    }
    let rest = credit;
    const invoices: AppliedCredit['invoices'] = [];
    for (const invoice of open) {
      if (rest <= 0n) break;
      const share = invoice.openMinor < rest ? invoice.openMinor : rest;
      invoices.push({ invoiceId: invoice.id, invoiceNumber: invoice.number, amountMinor: share });
      rest -= share;
    }
    const appliedMinor = credit - rest;
    if (appliedMinor === 0n) {
      throw invalid('customerId', credit > 0n ? 'has no open invoices to apply credit to' : `has no credit in ${currency} (${formatAmount(credit, currency)})`, 'no_credit_to_apply');
    }
    await insertSettlements(tx, organizationId, invoices.map((i) => ({ invoiceId: i.invoiceId, kind: 'customer_credit', amountMinor: i.amountMinor, settledOn: today })));
    await postJournalEntry(tx, {
      organizationId, date: today, description: `Credit applied for ${customer.name}`, sourceType: 'credit_application', sourceId: invoices[0]!.invoiceId,
      lines: [
        { account: 'customer_credit', customerId, currency, amountMinor: appliedMinor },
        ...invoices.map((i) => ({ account: 'receivable' as const, customerId, currency, amountMinor: -i.amountMinor, memo: i.invoiceNumber })),
      ],
    });
    return { currency, appliedMinor, remainingCreditMinor: rest, invoices };
  });
}
