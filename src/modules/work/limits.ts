/**
 * A project's limits as billing sees them (pure): a not-to-exceed cap on what an hourly project
 * bills in all, and a budget in money (billed + about to be billed) or in hours (billable time
 * logged). Going past one is a warning in the unbilled view; invoicing past a not-to-exceed cap
 * needs saying so (`allowOverLimit`).
 */
import { formatAmount } from '../../shared/money.ts';
import { decimal, pow10 } from '../../shared/decimal.ts';
import { formatDuration } from './time-rounding.ts';
import type { UnbilledProject } from './unbilled-store.ts';

export type LimitWarning = { code: 'not_to_exceed_exceeded' | 'budget_exceeded'; projectId: string; message: string };

export function limitWarnings(project: UnbilledProject, unbilledMinor: bigint): LimitWarning[] {
  const { limits, currency, name } = project;
  const money = (minor: bigint) => formatAmount(minor, currency);
  const total = limits.billedMinor + unbilledMinor;
  const warnings: LimitWarning[] = [];
  const overMoney = (code: LimitWarning['code'], what: string, limit: bigint | null) => {
    if (limit === null || total <= limit) return;
    warnings.push({
      code, projectId: project.id,
      message: `${name}: ${money(limits.billedMinor)} billed and ${money(unbilledMinor)} unbilled come to ${money(total)}, ${money(total - limit)} over its ${what} of ${money(limit)}`,
    });
  };
  overMoney('not_to_exceed_exceeded', 'not-to-exceed amount', limits.notToExceedMinor);
  overMoney('budget_exceeded', 'budget', limits.budgetAmountMinor);
  const hours = limits.budgetHours === null ? null : decimal(limits.budgetHours);
  // minutes > hours × 60, in integers: minutes × 10^scale > units × 60
  if (hours && BigInt(limits.loggedMinutes) * pow10(hours.scale) > hours.units * 60n) {
    warnings.push({ code: 'budget_exceeded', projectId: project.id, message: `${name}: ${formatDuration(limits.loggedMinutes)} logged, over its budget of ${limits.budgetHours} h` });
  }
  return warnings;
}
