import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationOf } from '../auth.ts';
import { trialBalance } from '../../modules/ledger/index.ts';
import { verifyLedger } from '../../modules/reports/index.ts';
import { formatAmount } from '../../shared/money.ts';

const Check = Type.Object({ name: Type.String(), ok: Type.Boolean(), problems: Type.Array(Type.String()) });

export function ledgerRoutes(app: AppInstance, { pool }: RouteDeps): void {
  app.get('/v1/ledger/trial-balance', {
    schema: {
      tags: ['ledger'], summary: 'Trial balance per account and currency, with the ledger checks',
      response: {
        200: Type.Object({
          accounts: Type.Array(Type.Object({
            accountId: Type.String(), code: Type.String(), name: Type.String(), type: Type.String(), currency: Type.String(),
            debit: Type.String(), credit: Type.String(), balance: Type.String(),
          })),
          totals: Type.Array(Type.Object({ currency: Type.String(), debit: Type.String(), credit: Type.String() })),
          balanced: Type.Boolean(),
          checks: Type.Array(Check),
        }),
      },
    },
  }, async (request) => {
    const organizationId = organizationOf(request);
    const [rows, verification] = await Promise.all([trialBalance(pool, organizationId), verifyLedger(pool, organizationId)]);
    const totals = new Map<string, { debit: bigint; credit: bigint }>();
    for (const row of rows) {
      const total = totals.get(row.currency) ?? { debit: 0n, credit: 0n };
      total.debit += row.debitMinor;
      total.credit += row.creditMinor;
      totals.set(row.currency, total);
    }
    return {
      accounts: rows.map((row) => ({
        accountId: row.accountId, code: row.code, name: row.name, type: row.type, currency: row.currency,
        debit: formatAmount(row.debitMinor, row.currency), credit: formatAmount(row.creditMinor, row.currency), balance: formatAmount(row.balanceMinor, row.currency),
      })),
      totals: [...totals].map(([currency, t]) => ({ currency, debit: formatAmount(t.debit, currency), credit: formatAmount(t.credit, currency) })),
      balanced: verification.ok,
      checks: verification.checks,
    };
  });

  app.get('/v1/ledger/verify', {
    schema: { tags: ['ledger'], summary: 'Check the ledger invariants', response: { 200: Type.Object({ ok: Type.Boolean(), checks: Type.Array(Check) }) } },
  }, async (request) => verifyLedger(pool, organizationOf(request)));
}
