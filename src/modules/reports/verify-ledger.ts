import type { Queryable } from '../../shared/db.ts';
import { formatAmount } from '../../shared/money.ts';
import { openBalancesByCustomer } from '../invoicing/index.ts';
import { balancesByCustomer, unbalancedEntries } from '../ledger/index.ts';
import { creditBalancesFromDocuments } from '../payments/index.ts';

export type LedgerCheck = { name: string; ok: boolean; problems: string[] };
export type LedgerVerification = { ok: boolean; checks: LedgerCheck[] };

/**
 * The ledger's invariants: every entry balances; receivables equal what open invoices say is
 * owed, customer by customer; customer credit equals what payments and credit notes left over.
 */
export async function verifyLedger(db: Queryable, organizationId: string): Promise<LedgerVerification> {
  const [unbalanced, receivable, open, credit, creditFromDocuments] = await Promise.all([
    unbalancedEntries(db, organizationId),
    balancesByCustomer(db, organizationId, 'receivable'),
    openBalancesByCustomer(db, organizationId),
    balancesByCustomer(db, organizationId, 'customer_credit'),
    creditBalancesFromDocuments(db, organizationId),
  ]);
  const checks: LedgerCheck[] = [
    { name: 'every journal entry balances', ok: unbalanced.length === 0, problems: unbalanced.map((id) => `entry ${id} does not balance`) },
    compare('receivables equal open invoice balances', receivable, open),
    compare('customer credit equals unapplied payments and credit notes', credit, creditFromDocuments),
  ];
  return { ok: checks.every((check) => check.ok), checks };
}

function compare(name: string, ledger: Map<string, bigint>, documents: Map<string, bigint>): LedgerCheck {
  const problems: string[] = [];
  for (const key of new Set([...ledger.keys(), ...documents.keys()])) {
    const inLedger = ledger.get(key) ?? 0n;
    const inDocuments = documents.get(key) ?? 0n;
    if (inLedger !== inDocuments) {
      const [customer, currency = 'XXX'] = key.split('/');
      problems.push(`customer ${customer}: ledger ${formatAmount(inLedger, currency)} ${currency}, documents ${formatAmount(inDocuments, currency)} ${currency}`);
    }
  }
  return { name, ok: problems.length === 0, problems };
}
