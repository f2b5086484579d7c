import { parseIsoDate } from '../../shared/calendar.ts';
import { groupRows } from '../../shared/collections.ts';
import type { Queryable } from '../../shared/db.ts';
import type { RoundingMode } from '../../shared/decimal.ts';
import { invalid } from '../../shared/errors.ts';
import { getOrganization } from '../access/index.ts';
import { planInvoice, type GroupBy, type Plan } from './billing-plan.ts';
import { limitWarnings, type LimitWarning } from './limits.ts';
import { rateRulesFor } from './project-store.ts';
import { resolveRate, type RateScope } from './rate-resolution.ts';
import { projectField } from './references.ts';
import { unbilledWork as unbilledRows, type UnbilledExpenseRow, type UnbilledProject, type WorkFilter } from './unbilled-store.ts';

export type UnbilledFilter = { customerId?: string; projectIds?: string[]; upTo?: string; groupBy?: GroupBy };

export type PricedTime = {
  id: string; projectId: string; taskId: string | null; taskName: string | null; userId: string; date: string; minutes: number;
  rate: string | null; rateScope: RateScope | null;
};

/** One customer's unbilled work, priced and planned as invoice lines. */
export type CustomerWork = {
  customerId: string;
  customerName: string;
  currency: string;
  projects: UnbilledProject[];
  time: PricedTime[];
  expenses: UnbilledExpenseRow[];
  plan: Plan;
  /** Projects that this work takes (or has taken) past a not-to-exceed amount or budget. */
  warnings: LimitWarning[];
};

/** Checks the filter: the projects must exist here (and belong to the customer, when one is named). */
export async function workFilter(db: Queryable, organizationId: string, filter: UnbilledFilter): Promise<WorkFilter> {
  for (const [index, id] of (filter.projectIds ?? []).entries()) {
    const project = await projectField(db, organizationId, id, `projectIds.${index}`);
    if (filter.customerId !== undefined && project.customerId !== filter.customerId) {
      throw invalid(`projectIds.${index}`, `project ${project.name} is another customer's`, 'project_of_another_customer');
    }
  }
  return {
    customerIds: filter.customerId === undefined ? null : [filter.customerId], projectIds: filter.projectIds ?? null,
    upTo: filter.upTo === undefined ? null : parseIsoDate(filter.upTo, 'upTo'),
  };
}

/** Unbilled work per customer, each entry at its resolved rate and every amount as it would be billed. */
export async function collectUnbilledWork(db: Queryable, organizationId: string, filter: WorkFilter, groupBy: GroupBy): Promise<CustomerWork[]> {
  const rows = await unbilledRows(db, organizationId, filter);
  if (rows.projects.length === 0) return [];
  const rounding: RoundingMode = (await getOrganization(db, organizationId)).roundingMode;
  // One query for the rules of every customer here; each customer's work sees only the rules
  // that can apply to it (its projects', its tasks', everyone's), which keeps resolution cheap.
  const allRules = await rateRulesFor(db, organizationId, rows.projects.map((p) => p.id), [...new Set(rows.projects.map((p) => p.currency))]);
  const customers = new Map<string, UnbilledProject[]>();
  for (const project of rows.projects) customers.set(project.customerId, [...(customers.get(project.customerId) ?? []), project]);
  const customerOf = new Map(rows.projects.map((project) => [project.id, project.customerId]));
  const timeOf = groupRows(rows.time, (entry) => customerOf.get(entry.projectId)!);
  const expensesOf = groupRows(rows.expenses, (expense) => customerOf.get(expense.projectId)!);
  const result: CustomerWork[] = [];
  for (const projects of customers.values()) {
    const { customerId, customerName, currency } = projects[0]!;
    const ids = new Set(projects.map((project) => project.id));
    const entries = timeOf.get(customerId) ?? [];
    const taskIds = new Set(entries.map((entry) => entry.taskId));
    const rules = allRules.filter((rule) => rule.taskId !== null ? taskIds.has(rule.taskId) : rule.projectId === null || ids.has(rule.projectId));
    const time = entries.map((entry): PricedTime => {
      const resolved = resolveRate(rules, { userId: entry.userId, projectId: entry.projectId, taskId: entry.taskId, currency });
      return { ...entry, rate: resolved?.rule.rate ?? null, rateScope: resolved?.scope ?? null };
    });
    const expenses = expensesOf.get(customerId) ?? [];
    const plan = planInvoice({ currency, rounding, groupBy, projects: new Map(projects.map((p) => [p.id, p])), time, expenses });
    const unbilledOf = (projectId: string) =>
      time.filter((entry) => entry.projectId === projectId).reduce((sum, entry) => sum + (plan.time.get(entry.id)!.amountMinor ?? 0n), 0n)
      + expenses.filter((expense) => expense.projectId === projectId).reduce((sum, expense) => sum + plan.expenses.get(expense.id)!, 0n);
    const warnings = projects.flatMap((project) => limitWarnings(project, unbilledOf(project.id)));
    result.push({ customerId, customerName, currency, projects, time, expenses, plan, warnings });
  }
  return result;
}

/** GET /v1/unbilled: what is waiting to be billed, per customer and project. */
export async function listUnbilledWork(db: Queryable, organizationId: string, filter: UnbilledFilter): Promise<CustomerWork[]> {
  return collectUnbilledWork(db, organizationId, await workFilter(db, organizationId, filter), filter.groupBy ?? 'task');
}
