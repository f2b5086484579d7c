/**
 * Unbilled work as invoice lines, as a pure function: the unbilled view shows exactly what
 * "create invoice from unbilled" will bill. Time becomes one line per task (or per project, or
 * per customer, with `groupBy`) and rate, with the period as service dates and the dates worked
 * in its description; each expense becomes its own line at its amount plus markup. Every entry
 * and expense remembers the line that bills it.
 */
import { currencyMinorUnits } from '../../shared/currencies.ts';
import { compare, decimal, fromMinor, toDecimalString, type RoundingMode } from '../../shared/decimal.ts';
import { allocate } from '../../shared/money.ts';
import { withMarkup } from './expense.ts';
import { billMinutes, formatDuration, roundUpMinutes } from './time-rounding.ts';

export type GroupBy = 'task' | 'project' | 'customer';
export const GROUP_BY = ['task', 'project', 'customer'] as const satisfies readonly GroupBy[];

/** A project's tax rates apply to every line of its work; grouping by customer keeps differently taxed work apart. */
export type PlanProject = { id: string; name: string; roundingMinutes: number; taxRateIds: readonly string[] };
export type PlanTime = {
  id: string; projectId: string; taskId: string | null; taskName: string | null; userId: string; date: string; minutes: number;
  /** The resolved hourly rate; null when no rule applies (the entry cannot be billed yet). */
  rate: string | null;
};
export type PlanExpense = { id: string; projectId: string; date: string; amountMinor: bigint; category: string; description: string; markupPercent: string };

export type PlannedLine = {
  description: string;
  quantity: string;
  unit: string | null;
  unitPrice: string;
  serviceStart: string;
  serviceEnd: string;
  amountMinor: bigint;
  taxRateIds: string[];
  timeEntryIds: string[];
  /** Each entry's share of `amountMinor`, in the order of `timeEntryIds`; they add up to it. */
  timeShares: bigint[];
  expenseIds: string[];
};

export type Plan = {
  lines: PlannedLine[];
  /** Per entry: minutes after the project's rounding, and its share of its line (null without a rate). */
  time: Map<string, { billedMinutes: number; amountMinor: bigint | null }>;
  /** Per expense: the amount billed, markup included. */
  expenses: Map<string, bigint>;
  /** Entries without a rate, left out of the lines. */
  unpriced: string[];
};

export type PlanInput = {
  currency: string;
  rounding: RoundingMode;
  groupBy: GroupBy;
  projects: ReadonlyMap<string, PlanProject>;
  time: readonly PlanTime[];
  expenses: readonly PlanExpense[];
};

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Lines follow their grouping (project name, then task name, entries without a task first), then rate. */
function timeOrder(projects: PlanInput['projects'], groupBy: GroupBy) {
  const project = (entry: PlanTime) => (groupBy === 'customer' ? '' : `${projects.get(entry.projectId)!.name.toLowerCase()}\u0000${entry.projectId}`);
  const task = (entry: PlanTime) => (groupBy === 'task' ? `${entry.taskName ?? ''}\u0000${entry.taskId ?? ''}` : '');
  return (a: PlanTime, b: PlanTime) =>
    byText(project(a), project(b)) || byText(task(a), task(b)) || compare(decimal(a.rate!), decimal(b.rate!))
    || byText(a.date, b.date) || byText(a.id, b.id);
}

function groupKey(entry: PlanTime, groupBy: GroupBy, projects: PlanInput['projects']): string {
  const rate = decimal(entry.rate!);
  const taxes = projects.get(entry.projectId)!.taxRateIds.join(' '); // in order: a compound tax applies to those before it
  const parts = groupBy === 'task' ? [entry.projectId, entry.taskId ?? ''] : groupBy === 'project' ? [entry.projectId] : [taxes];
  return JSON.stringify([...parts, rate.units * 10n ** BigInt(6 - rate.scale) + '']); // "120" and "120.00" are one rate
}

/** The dates worked, listed; a long run of dates is written as a range. */
function datesWorked(dates: string[]): string {
  const distinct = [...new Set(dates)].sort();
  return distinct.length <= 10 ? distinct.join(', ') : `${distinct[0]} to ${distinct.at(-1)} (${distinct.length} days)`;
}

function timeLabel(entries: PlanTime[], groupBy: GroupBy, projects: PlanInput['projects']): string {
  const first = entries[0]!;
  const projectName = projects.get(first.projectId)!.name;
  if (groupBy === 'task') return `${projectName} · ${first.taskName ?? 'General'}`;
  if (groupBy === 'project') return projectName;
  return [...new Set(entries.map((entry) => projects.get(entry.projectId)!.name))].sort().join(', ');
}

export function planInvoice(input: PlanInput): Plan {
  const plan: Plan = { lines: [], time: new Map(), expenses: new Map(), unpriced: [] };
  const groups = new Map<string, Array<PlanTime & { billedMinutes: number }>>();
  const priced = input.time.filter((entry) => {
    const billedMinutes = roundUpMinutes(entry.minutes, input.projects.get(entry.projectId)!.roundingMinutes);
    plan.time.set(entry.id, { billedMinutes, amountMinor: null });
    if (entry.rate === null) plan.unpriced.push(entry.id);
    return entry.rate !== null;
  });
  for (const entry of priced.sort(timeOrder(input.projects, input.groupBy))) {
    const key = groupKey(entry, input.groupBy, input.projects);
    groups.set(key, [...(groups.get(key) ?? []), { ...entry, billedMinutes: plan.time.get(entry.id)!.billedMinutes }]);
  }
  for (const entries of groups.values()) {
    const minutes = entries.reduce((sum, entry) => sum + entry.billedMinutes, 0);
    const rate = entries[0]!.rate!;
    const billed = billMinutes(minutes, decimal(rate), input.currency, input.rounding);
    // One rounding per line; each entry's share is split from it, so shares add up to the line.
    const shares = allocate(billed.amountMinor, entries.map((entry) => BigInt(entry.billedMinutes)));
    entries.forEach((entry, index) => plan.time.set(entry.id, { billedMinutes: entry.billedMinutes, amountMinor: shares[index]! }));
    const dates = entries.map((entry) => entry.date).sort();
    const lumpSum = billed.unit === null ? ` (${formatDuration(minutes)} at ${rate} an hour)` : '';
    plan.lines.push({
      description: `${timeLabel(entries, input.groupBy, input.projects)}: ${datesWorked(dates)}${lumpSum}`,
      quantity: billed.quantity, unit: billed.unit, unitPrice: billed.unitPrice, serviceStart: dates[0]!, serviceEnd: dates.at(-1)!,
      amountMinor: billed.amountMinor, taxRateIds: [...input.projects.get(entries[0]!.projectId)!.taxRateIds],
      timeEntryIds: entries.map((entry) => entry.id), timeShares: shares, expenseIds: [],
    });
  }
  for (const expense of [...input.expenses].sort((a, b) => byText(a.date, b.date) || byText(a.id, b.id))) {
    const amountMinor = withMarkup(expense.amountMinor, input.currency, expense.markupPercent, input.rounding);
    plan.expenses.set(expense.id, amountMinor);
    const what = expense.description ? `${expense.category}: ${expense.description}` : expense.category;
    const markup = expense.markupPercent === '0' ? '' : `, incl. ${expense.markupPercent}% markup`;
    plan.lines.push({
      description: `${input.projects.get(expense.projectId)!.name} · ${what} (${expense.date}${markup})`,
      quantity: '1', unit: null, unitPrice: toDecimalString(fromMinor(amountMinor, currencyMinorUnits(input.currency))), serviceStart: expense.date, serviceEnd: expense.date,
      amountMinor, taxRateIds: [...input.projects.get(expense.projectId)!.taxRateIds], timeEntryIds: [], timeShares: [], expenseIds: [expense.id],
    });
  }
  return plan;
}
