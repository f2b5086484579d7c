import type { Queryable } from '../../shared/db.ts';
import { isDebitNormal, type AccountType, type SystemAccount } from './accounts.ts';

export type TrialBalanceRow = {
  accountId: string;
  code: string;
  name: string;
  type: AccountType;
  currency: string;
  debitMinor: bigint;
  creditMinor: bigint;
  /** In the account's normal direction: a receivable of 100 is +100, tax payable of 19 is +19. */
  balanceMinor: bigint;
};

export async function trialBalance(db: Queryable, organizationId: string): Promise<TrialBalanceRow[]> {
  const { rows } = await db.query(
    `select a.id, a.code, a.name, a.type, l.currency, sum(l.debit_minor)::text as debit, sum(l.credit_minor)::text as credit
     from journal_lines l join accounts a on a.id = l.account_id
     where l.organization_id = $1
     group by a.id, l.currency order by a.code, l.currency`,
    [organizationId],
  );
  return rows.map((row) => {
    const debitMinor = BigInt(row.debit);
    const creditMinor = BigInt(row.credit);
    return {
      accountId: row.id, code: row.code, name: row.name, type: row.type, currency: row.currency,
      debitMinor, creditMinor,
      balanceMinor: isDebitNormal(row.type) ? debitMinor - creditMinor : creditMinor - debitMinor,
    };
  });
}

/** Entries whose debits and credits differ in some currency; the database makes this impossible. */
export async function unbalancedEntries(db: Queryable, organizationId: string): Promise<string[]> {
  const { rows } = await db.query<{ entry_id: string }>(
    `select entry_id from journal_lines where organization_id = $1
     group by entry_id, currency having sum(debit_minor) <> sum(credit_minor)`,
    [organizationId],
  );
  return rows.map((row) => row.entry_id);
}

/** Balance of a system account per customer and currency, in the account's normal direction. */
export async function balancesByCustomer(
  db: Queryable,
  organizationId: string,
  account: SystemAccount,
  customerIds?: string[],
): Promise<Map<string, bigint>> {
  const { rows } = await db.query(
    `select l.customer_id, l.currency, a.type, (sum(l.debit_minor) - sum(l.credit_minor))::text as net
     from journal_lines l join accounts a on a.id = l.account_id
     where l.organization_id = $1 and a.system_key = $2 and ($3::text[] is null or l.customer_id = any($3))
     group by l.customer_id, l.currency, a.type`,
    [organizationId, account, customerIds ?? null],
  );
  const balances = new Map<string, bigint>();
  for (const row of rows) {
    const net = BigInt(row.net);
    const balance = isDebitNormal(row.type) ? net : -net;
    if (balance !== 0n) balances.set(customerCurrencyKey(row.customer_id, row.currency), balance);
  }
  return balances;
}

export function customerCurrencyKey(customerId: string | null, currency: string): string {
  return `${customerId ?? '-'}/${currency}`;
}
