import { Type } from 'typebox';
import { formatAmount } from '../../shared/money.ts';
import {
  APPROVAL_STATES, BILLING_MODELS, RATE_SCOPES, RETAINER_INTERVALS, ROLLOVER_MODES, scopeOf,
  type ApprovalDecision, type CustomerWork, type Expense, type RateRuleRow, type TimeEntry,
} from '../../modules/work/index.ts';
import { Nullable } from '../schemas.ts';

// What the work routes return: each schema mirrors its serializer below (a field missing from the
// schema would be dropped from the response). Amounts are decimal strings beside a currency.

const Str = Type.String();
const NStr = Nullable(Type.String());
const Int = Type.Integer();
const Bool = Type.Boolean();
const Amount = Type.String({ description: 'decimal string in the currency given beside it' });

export const ProjectResponse = Type.Object({
  id: Str, customerId: Str, name: Str, code: NStr, status: Type.Union([Type.Literal('active'), Type.Literal('archived')]),
  currency: Str,
  billing: Type.Object({
    model: Type.Enum(BILLING_MODELS),
    rate: Type.Optional(NStr), notToExceed: Type.Optional(Amount), currency: Type.Optional(Str), amount: Type.Optional(Amount), fee: Type.Optional(Amount),
    interval: Type.Optional(Type.Enum(RETAINER_INTERVALS)), includedHours: Type.Optional(Str), overageRate: Type.Optional(NStr),
    rollover: Type.Optional(Type.Enum(ROLLOVER_MODES)), rolloverMaxHours: Type.Optional(NStr), startDate: Type.Optional(Str),
    includeUnbilledWork: Type.Optional(Bool),
  }),
  budget: Nullable(Type.Object({ hours: NStr, amount: NStr })),
  roundingMinutes: Int, requiresApproval: Bool, taxRateIds: Type.Array(Str), createdAt: Str, updatedAt: Str,
});

export const TaskResponse = Type.Object({ id: Str, projectId: Str, name: Str, rate: NStr, billable: Bool, archivedAt: NStr, createdAt: Str });

export const RateRuleResponse = Type.Object({
  id: Str, scope: Type.Enum(RATE_SCOPES), userId: NStr, projectId: NStr, taskId: NStr, rate: Str, currency: Str, createdAt: Str, updatedAt: Str,
});

export const rateRuleJson = (rule: RateRuleRow) => ({ ...rule, scope: scopeOf(rule) });

export const TimeEntryResponse = Type.Object({
  id: Str, userId: Str, projectId: Str, taskId: NStr, date: Str, minutes: Int, start: NStr, end: NStr, description: Str, billable: Bool,
  approvalState: Type.Enum(APPROVAL_STATES),
  billed: Type.Boolean({ description: 'on an invoice that is not void' }), invoiceId: NStr, invoiceLineId: NStr,
  locked: Type.Boolean({ description: 'approved or billed: cannot be changed or deleted' }), createdAt: Str, updatedAt: Str,
});

export const timeEntryJson = (entry: TimeEntry) => ({ ...entry, billed: entry.invoiceId !== null });

export const TimerResponse = Type.Object({ userId: Str, projectId: Str, taskId: NStr, description: Str, billable: Bool, startedAt: Str });

export const WeekResponse = Type.Object({
  userId: Str, weekStart: Str, weekEnd: Str,
  days: Type.Array(Type.Object({ date: Str, minutes: Int })),
  rows: Type.Array(Type.Object({ projectId: Str, projectName: Str, taskId: NStr, taskName: NStr, minutes: Type.Array(Int), totalMinutes: Int })),
  totalMinutes: Int,
});

export const PendingWeekResponse = Type.Object({ userId: Str, weekStart: Str, weekEnd: Str, entryCount: Int, minutes: Int });

export const DecisionResponse = Type.Object({
  id: Str, userId: Str, weekStart: Str, decision: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]), approverId: NStr,
  comment: NStr, entryCount: Int, decidedAt: Str,
});

export const decisionJson = (decision: ApprovalDecision) => decision;

export const ExpenseResponse = Type.Object({
  id: Str, userId: Str, projectId: Str, date: Str, amount: Amount, currency: Str, category: Str, description: Str, billable: Bool,
  markupPercent: Str, billedAmount: Type.String({ description: 'the amount plus markup: what the customer is charged' }),
  receipt: Nullable(Type.Object({ filename: Str, contentType: Str, sizeBytes: Int, url: Str })),
  billed: Bool, invoiceId: NStr, invoiceLineId: NStr, createdAt: Str, updatedAt: Str,
});

export function expenseJson(expense: Expense) {
  const { amountMinor, billedAmountMinor, receipt, ...rest } = expense;
  return {
    ...rest, amount: formatAmount(amountMinor, expense.currency), billedAmount: formatAmount(billedAmountMinor, expense.currency),
    receipt: receipt && { ...receipt, url: `/v1/expenses/${expense.id}/receipt` }, billed: expense.invoiceId !== null,
  };
}

const PlannedLineResponse = Type.Object({
  description: Str, quantity: Str, unit: NStr, unitPrice: Str, serviceStart: Str, serviceEnd: Str, amount: Amount,
  taxRateIds: Type.Array(Str), timeEntryIds: Type.Array(Str), expenseIds: Type.Array(Str),
});

export const UnbilledResponse = Type.Object({
  data: Type.Array(Type.Object({
    customerId: Str, customerName: Str, currency: Str, timeTotal: Amount, expenseTotal: Amount, total: Amount,
    projects: Type.Array(Type.Object({
      projectId: Str, name: Str, billingModel: Str, timeTotal: Amount, expenseTotal: Amount, total: Amount,
      timeEntries: Type.Array(Type.Object({
        id: Str, date: Str, userId: Str, taskId: NStr, taskName: NStr, minutes: Int,
        billedMinutes: Type.Integer({ description: "minutes after the project's rounding" }),
        rate: NStr, rateScope: Nullable(Type.Enum(RATE_SCOPES)),
        amount: Nullable(Type.String({ description: "this entry's share of its line; null when no rate applies" })),
      })),
      expenses: Type.Array(Type.Object({ id: Str, date: Str, category: Str, description: Str, amount: Amount, markupPercent: Str, billedAmount: Amount })),
    })),
    lines: Type.Array(PlannedLineResponse, { description: 'the lines POST /v1/invoices/from-unbilled would create' }),
    unpricedTimeEntryIds: Type.Array(Str, { description: 'entries no rate applies to; set one before invoicing' }),
    warnings: Type.Array(Type.Object({ code: Type.Enum(['not_to_exceed_exceeded', 'budget_exceeded'] as const), projectId: Str, message: Str }), {
      description: "projects this work takes past their not-to-exceed amount or budget (billed + unbilled; logged hours for an hours budget)",
    }),
  })),
});

export function unbilledJson(work: CustomerWork) {
  const c = work.currency;
  const money = (minor: bigint) => formatAmount(minor, c);
  const sum = (list: bigint[]) => list.reduce((total, amount) => total + amount, 0n);
  // Entry amounts are shares of their lines (allocated), so project totals add up to the lines exactly.
  const projects = work.projects.map((project) => {
    const time = work.time.filter((entry) => entry.projectId === project.id).map(({ projectId: _, ...entry }) => {
      const { billedMinutes, amountMinor } = work.plan.time.get(entry.id)!;
      return { ...entry, billedMinutes, amountMinor };
    });
    const expenses = work.expenses.filter((expense) => expense.projectId === project.id)
      .map(({ projectId: _, ...expense }) => ({ ...expense, billedAmountMinor: work.plan.expenses.get(expense.id)! }));
    const timeMinor = sum(time.map((entry) => entry.amountMinor ?? 0n));
    const expenseMinor = sum(expenses.map((expense) => expense.billedAmountMinor));
    return {
      projectId: project.id, name: project.name, billingModel: project.billingModel, timeMinor, expenseMinor,
      timeEntries: time.map(({ amountMinor, ...entry }) => ({ ...entry, amount: amountMinor === null ? null : money(amountMinor) })),
      expenses: expenses.map(({ amountMinor, billedAmountMinor, ...expense }) => ({ ...expense, amount: money(amountMinor), billedAmount: money(billedAmountMinor) })),
    };
  });
  const timeMinor = sum(projects.map((project) => project.timeMinor));
  const expenseMinor = sum(projects.map((project) => project.expenseMinor));
  return {
    customerId: work.customerId, customerName: work.customerName, currency: c,
    timeTotal: money(timeMinor), expenseTotal: money(expenseMinor), total: money(timeMinor + expenseMinor),
    projects: projects.map(({ timeMinor, expenseMinor, ...project }) => ({
      ...project, timeTotal: money(timeMinor), expenseTotal: money(expenseMinor), total: money(timeMinor + expenseMinor),
    })),
    lines: work.plan.lines.map(({ amountMinor, timeShares: _, ...line }) => ({ ...line, amount: money(amountMinor) })),
    unpricedTimeEntryIds: work.plan.unpriced,
    warnings: work.warnings,
  };
}
