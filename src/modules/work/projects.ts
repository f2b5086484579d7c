import type { Clock } from '../../shared/clock.ts';
import { assertCurrency } from '../../shared/currencies.ts';
import { inTransaction, type Pool, type Queryable, type Tx } from '../../shared/db.ts';
import { toDecimalString } from '../../shared/decimal.ts';
import { invalid } from '../../shared/errors.ts';
import type { Page } from '../../shared/pagination.ts';
import { getOrganization } from '../access/index.ts';
import { catalogEntries } from '../catalog/index.ts';
import { todayFor } from '../invoicing/index.ts';
import {
  checkRoundingMinutes, normalizeBilling, normalizeBudget, parseRate, type BudgetInput, type Project, type ProjectChanges, type ProjectInput, type Task,
  type TaskInput,
} from './project.ts';
import {
  deleteRateRuleById, deleteRateRuleRow, findProject, findTask, insertProject, insertTask, listProjectRows, listRateRuleRows,
  listTaskRows, updateProjectRow, updateTaskRow, upsertRateRule, type ProjectFilter, type RateRuleRow,
} from './project-store.ts';
import { customerField, projectField, taskField, userField } from './references.ts';

/** The project's tax rates: this organization's, each once, none archived. */
async function checkTaxRates(tx: Tx, organizationId: string, ids: string[]): Promise<string[]> {
  if (new Set(ids).size !== ids.length) throw invalid('taxRateIds', 'lists a tax rate twice');
  const { taxRates } = await catalogEntries(tx, organizationId, { items: [], taxRates: ids });
  ids.forEach((id, index) => {
    const rate = taxRates.get(id);
    if (!rate) throw invalid(`taxRateIds.${index}`, `no tax rate with id ${id}`, 'tax_rate_not_found');
    if (rate.archivedAt) throw invalid(`taxRateIds.${index}`, `tax rate ${rate.name} is archived`, 'tax_rate_archived');
  });
  return ids;
}

function checkName(name: string, field = 'name'): string {
  const trimmed = name.trim();
  if (!trimmed) throw invalid(field, 'must not be blank');
  return trimmed;
}

/** The project's own rate is its project rule: set it, or with null remove it. */
async function setOwnRate(tx: Tx, organizationId: string, scope: { projectId: string | null; taskId: string | null }, currency: string, rate: string | null) {
  const rule = { userId: null, ...scope, currency };
  if (rate === null) await deleteRateRuleRow(tx, organizationId, rule);
  else await upsertRateRule(tx, organizationId, { ...rule, rate });
}

export async function createProject(pool: Pool, clock: Clock, organizationId: string, input: ProjectInput): Promise<Project> {
  return inTransaction(pool, (tx) => createProjectIn(tx, clock, organizationId, input));
}

/** createProject inside the caller's transaction (a quote converting into a project, say). */
export async function createProjectIn(tx: Tx, clock: Clock, organizationId: string, input: ProjectInput): Promise<Project> {
  const customer = await customerField(tx, organizationId, input.customerId);
  if (customer.archivedAt) throw invalid('customerId', 'this customer is archived', 'customer_archived');
  const { billing, hourlyRate } = normalizeBilling(input.billing, customer.currency, await todayFor(tx, organizationId, clock));
  const budget = normalizeBudget(input.budget, customer.currency);
  const id = await insertProject(tx, organizationId, {
    customerId: customer.id, name: checkName(input.name), code: input.code?.trim() || null, status: 'active', billing,
    budgetHours: budget.hours, budgetAmountMinor: budget.amountMinor, roundingMinutes: checkRoundingMinutes(input.roundingMinutes),
    requiresApproval: input.requiresApproval ?? false, taxRateIds: await checkTaxRates(tx, organizationId, input.taxRateIds ?? []),
  });
  if (hourlyRate) await setOwnRate(tx, organizationId, { projectId: id, taskId: null }, customer.currency, toDecimalString(hourlyRate));
  return findProject(tx, organizationId, id);
}

/** Changes what is given; billing, when given, is replaced whole (an hourly rate left out is kept). */
export async function updateProject(pool: Pool, clock: Clock, organizationId: string, id: string, changes: ProjectChanges): Promise<Project> {
  return inTransaction(pool, async (tx) => {
    const current = await findProject(tx, organizationId, id, { lock: true });
    const { rate: _rate, ...currentBilling } = current.billing;
    const normalized = changes.billing
      ? normalizeBilling(changes.billing, current.currency, await todayFor(tx, organizationId, clock))
      : { billing: currentBilling, hourlyRate: null };
    const budget = normalizeBudget('budget' in changes ? changes.budget : budgetInput(current), current.currency);
    // A retainer brought back from the archive resumes today: its archived months bill no fee.
    if (current.status === 'archived' && changes.status === 'active' && normalized.billing.model === 'retainer' && changes.billing?.startDate === undefined) {
      const today = await todayFor(tx, organizationId, clock);
      if (normalized.billing.startDate < today) normalized.billing = { ...normalized.billing, startDate: today };
    }
    await updateProjectRow(tx, organizationId, id, {
      customerId: current.customerId,
      name: changes.name === undefined ? current.name : checkName(changes.name),
      code: changes.code === undefined ? current.code : changes.code?.trim() || null,
      status: changes.status ?? current.status, billing: normalized.billing,
      budgetHours: budget.hours, budgetAmountMinor: budget.amountMinor,
      roundingMinutes: changes.roundingMinutes === undefined ? current.roundingMinutes : checkRoundingMinutes(changes.roundingMinutes),
      requiresApproval: changes.requiresApproval ?? current.requiresApproval,
      taxRateIds: changes.taxRateIds === undefined ? current.taxRateIds : await checkTaxRates(tx, organizationId, changes.taxRateIds),
    });
    const own = { projectId: id, taskId: null };
    if (normalized.billing.model !== 'hourly') await setOwnRate(tx, organizationId, own, current.currency, null);
    else if (changes.billing && 'rate' in changes.billing) {
      await setOwnRate(tx, organizationId, own, current.currency, normalized.hourlyRate && toDecimalString(normalized.hourlyRate));
    }
    return findProject(tx, organizationId, id);
  });
}

/** The project's budget written as input again, so that an update without one keeps it. */
function budgetInput({ budget }: Project): BudgetInput | null {
  if (!budget) return null;
  return budget.hours !== null ? { hours: budget.hours } : { amount: budget.amount! };
}

export function getProject(db: Queryable, organizationId: string, id: string): Promise<Project> {
  return findProject(db, organizationId, id);
}

export function listProjects(db: Queryable, organizationId: string, filter: ProjectFilter): Promise<Page<Project>> {
  return listProjectRows(db, organizationId, filter);
}

// ---------------------------------------------------------------------------------------------
// Tasks

export async function createTask(pool: Pool, organizationId: string, projectId: string, input: TaskInput): Promise<Task> {
  return inTransaction(pool, async (tx) => {
    const project = await findProject(tx, organizationId, projectId);
    const rate = input.rate == null ? null : toDecimalString(parseRate(input.rate, 'rate'));
    const id = await insertTask(tx, organizationId, project.id, { name: checkName(input.name), billable: input.billable ?? true });
    if (rate !== null) await setOwnRate(tx, organizationId, { projectId: null, taskId: id }, project.currency, rate);
    return findTask(tx, organizationId, id);
  });
}

export type TaskChanges = Partial<TaskInput> & { archived?: boolean };

export async function updateTask(pool: Pool, organizationId: string, id: string, changes: TaskChanges): Promise<Task> {
  return inTransaction(pool, async (tx) => {
    const current = await findTask(tx, organizationId, id);
    const project = await findProject(tx, organizationId, current.projectId);
    await updateTaskRow(tx, organizationId, id, {
      name: changes.name === undefined ? current.name : checkName(changes.name),
      billable: changes.billable ?? current.billable,
      archived: changes.archived ?? current.archivedAt !== null,
    });
    if (changes.rate !== undefined) {
      const rate = changes.rate === null ? null : toDecimalString(parseRate(changes.rate, 'rate'));
      await setOwnRate(tx, organizationId, { projectId: null, taskId: id }, project.currency, rate);
    }
    return findTask(tx, organizationId, id);
  });
}

export async function listTasks(db: Queryable, organizationId: string, projectId: string): Promise<Task[]> {
  await findProject(db, organizationId, projectId);
  return listTaskRows(db, organizationId, projectId);
}

// ---------------------------------------------------------------------------------------------
// Rate rules

export type RateRuleInput = { userId?: string; projectId?: string; taskId?: string; rate: string; currency?: string };

/**
 * Sets the rate of one scope (replacing the rate already set there). Rules of a project or task
 * are in its customer's currency; the others default to the organization's base currency.
 */
export async function setRateRule(pool: Pool, organizationId: string, input: RateRuleInput): Promise<RateRuleRow> {
  return inTransaction(pool, async (tx) => {
    if (input.taskId !== undefined && (input.userId !== undefined || input.projectId !== undefined)) {
      throw invalid('taskId', 'a task rule names only the task: it applies to everyone on it');
    }
    const rate = toDecimalString(parseRate(input.rate, 'rate'));
    const userId = input.userId === undefined ? null : await userField(tx, organizationId, input.userId);
    let currency = input.currency ?? (await getOrganization(tx, organizationId)).baseCurrency;
    let projectId: string | null = null;
    let taskId: string | null = null;
    if (input.projectId !== undefined || input.taskId !== undefined) {
      const task = input.taskId === undefined ? null : await taskField(tx, organizationId, input.taskId);
      const project = task ? await findProject(tx, organizationId, task.projectId) : await projectField(tx, organizationId, input.projectId!);
      if (input.currency !== undefined && input.currency !== project.currency) {
        throw invalid('currency', `must be the customer's currency (${project.currency})`, 'currency_mismatch');
      }
      currency = project.currency;
      projectId = task ? null : project.id;
      taskId = task?.id ?? null;
    }
    assertCurrency(currency, 'currency');
    return upsertRateRule(tx, organizationId, { userId, projectId, taskId, rate, currency });
  });
}

export async function deleteRateRule(pool: Pool, organizationId: string, id: string): Promise<void> {
  await inTransaction(pool, (tx) => deleteRateRuleById(tx, organizationId, id));
}

export function listRateRules(db: Queryable, organizationId: string, filter: { userId?: string; projectId?: string }): Promise<RateRuleRow[]> {
  return listRateRuleRows(db, organizationId, filter);
}
