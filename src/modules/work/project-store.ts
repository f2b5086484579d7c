import { containsPattern, type Queryable, type Tx } from '../../shared/db.ts';
import { conflict, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { formatAmount } from '../../shared/money.ts';
import { decodeCursor, pageOf, type Page } from '../../shared/pagination.ts';
import type { Billing, Project, ProjectStatus, Task } from './project.ts';
import type { RateRule } from './rate-resolution.ts';

// The project's own rate is its project-scoped rule in the customer's currency.
const PROJECT_SELECT = `
  select p.*, c.currency, trim_scale(p.budget_hours)::text as budget_hours_text, trim_scale(r.rate)::text as rate_text
  from projects p
  join customers c on c.id = p.customer_id
  left join rate_rules r on r.project_id = p.id and r.user_id is null and r.task_id is null and r.currency = c.currency`;

function projectFromRow(row: Record<string, any>): Project {
  const billing = row.billing as Billing;
  return {
    id: row.id, customerId: row.customer_id, name: row.name, code: row.code, status: row.status, currency: row.currency,
    billing: billing.model === 'hourly' ? { ...billing, rate: row.rate_text } : billing,
    budget: row.budget_hours_text === null && row.budget_amount_minor === null ? null : {
      hours: row.budget_hours_text,
      amount: row.budget_amount_minor === null ? null : formatAmount(BigInt(row.budget_amount_minor), row.currency),
    },
    roundingMinutes: row.rounding_minutes, requiresApproval: row.requires_approval, taxRateIds: row.tax_rate_ids,
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  };
}

export async function findProject(db: Queryable, organizationId: string, id: string, opts: { lock?: boolean } = {}): Promise<Project> {
  const { rows } = await db.query(`${PROJECT_SELECT} where p.organization_id = $1 and p.id = $2${opts.lock ? ' for no key update of p' : ''}`, [organizationId, id]);
  if (!rows[0]) throw notFound('project', id);
  return projectFromRow(rows[0]);
}

export type ProjectFilter = { customerId?: string; status?: ProjectStatus; search?: string; cursor?: string; limit: number };

/** Alphabetical, like customers. */
export async function listProjectRows(db: Queryable, organizationId: string, filter: ProjectFilter): Promise<Page<Project>> {
  const after = decodeCursor(filter.cursor, 2);
  const { rows } = await db.query(
    `${PROJECT_SELECT}
     where p.organization_id = $1 and ($2::text is null or p.customer_id = $2) and ($3::text is null or p.status = $3)
       and ($4::text is null or p.name ilike $4 or p.code ilike $4)
       and ($5::text is null or (lower(p.name), p.id) > ($5, $6))
     order by lower(p.name), p.id limit $7`,
    [organizationId, filter.customerId ?? null, filter.status ?? null, containsPattern(filter.search), after?.[0] ?? null, after?.[1] ?? null, filter.limit + 1],
  );
  return pageOf(rows.map(projectFromRow), filter.limit, (project) => [project.name.toLowerCase(), project.id]);
}

export type ProjectRow = {
  customerId: string; name: string; code: string | null; status: ProjectStatus; billing: Billing;
  budgetHours: string | null; budgetAmountMinor: bigint | null; roundingMinutes: number; requiresApproval: boolean; taxRateIds: string[];
};

/** The columns a project may change, in the order of $1..$10 below. */
function projectValues(row: ProjectRow): unknown[] {
  return [
    row.name, row.code, row.status, row.billing.model, JSON.stringify(row.billing),
    row.budgetHours, row.budgetAmountMinor?.toString() ?? null, row.roundingMinutes, row.requiresApproval, row.taxRateIds,
  ];
}

/** A code is unique in the organization: the unique constraint says so, in words. */
async function uniqueCode<T>(tx: Tx, write: () => Promise<T>): Promise<T> {
  await tx.query('savepoint project_code');
  try {
    return await write();
  } catch (error) {
    if ((error as { constraint?: string }).constraint !== 'projects_organization_id_code_key') throw error;
    await tx.query('rollback to savepoint project_code');
    throw conflict('project_code_taken', 'Another project already has this code.', 'code');
  }
}

export async function insertProject(tx: Tx, organizationId: string, row: ProjectRow): Promise<string> {
  const id = newId('prj');
  await uniqueCode(tx, () => tx.query(
    `insert into projects (id, organization_id, customer_id, name, code, status, billing_model, billing, budget_hours,
       budget_amount_minor, rounding_minutes, requires_approval, tax_rate_ids)
     values ($11, $12, $13, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [...projectValues(row), id, organizationId, row.customerId],
  ));
  return id;
}

export async function updateProjectRow(tx: Tx, organizationId: string, id: string, row: ProjectRow): Promise<void> {
  await uniqueCode(tx, () => tx.query(
    `update projects set name = $1, code = $2, status = $3, billing_model = $4, billing = $5, budget_hours = $6,
       budget_amount_minor = $7, rounding_minutes = $8, requires_approval = $9, tax_rate_ids = $10, updated_at = now()
     where id = $11 and organization_id = $12`,
    [...projectValues(row), id, organizationId],
  ));
}

// ---------------------------------------------------------------------------------------------
// Tasks: their own rate is their task-scoped rule in the customer's currency.

const TASK_SELECT = `
  select t.*, trim_scale(r.rate)::text as rate_text
  from tasks t
  join projects p on p.id = t.project_id
  join customers c on c.id = p.customer_id
  left join rate_rules r on r.task_id = t.id and r.currency = c.currency`;

function taskFromRow(row: Record<string, any>): Task {
  return {
    id: row.id, projectId: row.project_id, name: row.name, rate: row.rate_text, billable: row.billable,
    archivedAt: row.archived_at?.toISOString() ?? null, createdAt: row.created_at.toISOString(),
  };
}

export async function findTask(db: Queryable, organizationId: string, id: string): Promise<Task> {
  const { rows } = await db.query(`${TASK_SELECT} where t.organization_id = $1 and t.id = $2`, [organizationId, id]);
  if (!rows[0]) throw notFound('task', id);
  return taskFromRow(rows[0]);
}

export async function listTaskRows(db: Queryable, organizationId: string, projectId: string): Promise<Task[]> {
  const { rows } = await db.query(`${TASK_SELECT} where t.organization_id = $1 and t.project_id = $2 order by t.archived_at nulls first, lower(t.name), t.id`, [organizationId, projectId]);
  return rows.map(taskFromRow);
}

async function uniqueTaskName<T>(tx: Tx, write: () => Promise<T>): Promise<T> {
  await tx.query('savepoint task_name');
  try {
    return await write();
  } catch (error) {
    if ((error as { constraint?: string }).constraint !== 'tasks_project_id_name_key') throw error;
    await tx.query('rollback to savepoint task_name');
    throw conflict('task_name_taken', 'The project already has a task with this name.', 'name');
  }
}

export async function insertTask(tx: Tx, organizationId: string, projectId: string, task: { name: string; billable: boolean }): Promise<string> {
  const id = newId('tsk');
  await uniqueTaskName(tx, () => tx.query(
    `insert into tasks (id, organization_id, project_id, name, billable) values ($1, $2, $3, $4, $5)`,
    [id, organizationId, projectId, task.name, task.billable],
  ));
  return id;
}

export async function updateTaskRow(tx: Tx, organizationId: string, id: string, task: { name: string; billable: boolean; archived: boolean }): Promise<void> {
  await uniqueTaskName(tx, () => tx.query(
    `update tasks set name = $3, billable = $4,
       archived_at = case when $5 then coalesce(archived_at, now()) else null end
     where organization_id = $1 and id = $2`,
    [organizationId, id, task.name, task.billable, task.archived],
  ));
}

// ---------------------------------------------------------------------------------------------
// Rate rules.

export type RateRuleRow = RateRule & { createdAt: string; updatedAt: string };

function ruleFromRow(row: Record<string, any>): RateRuleRow {
  return {
    id: row.id, userId: row.user_id, projectId: row.project_id, taskId: row.task_id, rate: row.rate_text, currency: row.currency,
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  };
}

const RULE_SELECT = `select *, trim_scale(rate)::text as rate_text from rate_rules`;

/** One rule per scope and currency: setting it again replaces its rate. */
export async function upsertRateRule(tx: Tx, organizationId: string, rule: Omit<RateRule, 'id'>): Promise<RateRuleRow> {
  const { rows } = await tx.query(
    `insert into rate_rules (id, organization_id, user_id, project_id, task_id, rate, currency) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (organization_id, coalesce(user_id, ''), coalesce(project_id, ''), coalesce(task_id, ''), currency)
     do update set rate = excluded.rate, updated_at = now()
     returning *, trim_scale(rate)::text as rate_text`,
    [newId('rat'), organizationId, rule.userId, rule.projectId, rule.taskId, rule.rate, rule.currency],
  );
  return ruleFromRow(rows[0]);
}

export async function deleteRateRuleRow(tx: Tx, organizationId: string, scope: Omit<RateRule, 'id' | 'rate'>): Promise<void> {
  await tx.query(
    `delete from rate_rules where organization_id = $1 and user_id is not distinct from $2 and project_id is not distinct from $3
       and task_id is not distinct from $4 and currency = $5`,
    [organizationId, scope.userId, scope.projectId, scope.taskId, scope.currency],
  );
}

export async function deleteRateRuleById(tx: Tx, organizationId: string, id: string): Promise<void> {
  const { rowCount } = await tx.query(`delete from rate_rules where organization_id = $1 and id = $2`, [organizationId, id]);
  if (rowCount === 0) throw notFound('rate_rule', id);
}

export async function listRateRuleRows(db: Queryable, organizationId: string, filter: { userId?: string; projectId?: string } = {}): Promise<RateRuleRow[]> {
  const { rows } = await db.query(
    `${RULE_SELECT} where organization_id = $1 and ($2::text is null or user_id = $2) and ($3::text is null or project_id = $3)
     order by task_id nulls last, project_id nulls last, user_id nulls last, currency, id`,
    [organizationId, filter.userId ?? null, filter.projectId ?? null],
  );
  return rows.map(ruleFromRow);
}

/** The rules that can price work on these projects (theirs, their tasks', and everyone's), in these currencies. */
export async function rateRulesFor(db: Queryable, organizationId: string, projectIds: string[], currencies: string[]): Promise<RateRule[]> {
  const { rows } = await db.query(
    `${RULE_SELECT}
     where organization_id = $1 and currency = any($3::text[])
       and (task_id in (select id from tasks where project_id = any($2::text[]))
         or (task_id is null and (project_id is null or project_id = any($2::text[]))))`,
    [organizationId, projectIds, currencies],
  );
  return rows.map(ruleFromRow);
}
