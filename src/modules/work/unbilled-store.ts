import { named, transpose, type Queryable, type Tx } from '../../shared/db.ts';

// Unbilled work: billable, approved (or needing no approval), and not linked to a line of an
// invoice that is still standing. Time counts only on hourly projects (contracts bill fixed and
// retainer projects); expenses count on every project.

const NOT_BILLED = (alias: string) => `not exists (
  select 1 from invoice_lines l join invoices i on i.id = l.invoice_id where l.id = ${alias}.invoice_line_id and i.state <> 'void')`;

export type WorkFilter = { customerIds: string[] | null; projectIds: string[] | null; upTo: string | null };

const SCOPE = `p.organization_id = $org and ($customers::text[] is null or p.customer_id = any($customers))
  and ($projects::text[] is null or p.id = any($projects))`;

const TIME_WHERE = `${SCOPE} and p.billing_model = 'hourly' and te.billable and te.approval_state in ('not_required', 'approved')
  and ($upto::date is null or te.work_date <= $upto) and ${NOT_BILLED('te')}`;

const EXPENSE_WHERE = `${SCOPE} and e.billable and e.currency = c.currency
  and ($upto::date is null or e.expense_date <= $upto) and ${NOT_BILLED('e')}`;

function params(organizationId: string, filter: WorkFilter) {
  return { org: organizationId, customers: filter.customerIds, projects: filter.projectIds, upto: filter.upTo };
}

/**
 * Row-locks the unbilled work in scope, so that two invoices never bill it both: a concurrent
 * run waits here, and then (reading again, in a new statement) finds it billed.
 */
export async function lockUnbilledWork(tx: Tx, organizationId: string, filter: WorkFilter): Promise<void> {
  for (const sql of [
    `select te.id from time_entries te join projects p on p.id = te.project_id where ${TIME_WHERE} order by te.id for update of te`,
    `select e.id from expenses e join projects p on p.id = e.project_id join customers c on c.id = p.customer_id
     where ${EXPENSE_WHERE} order by e.id for update of e`,
  ]) {
    const { text, values } = named(sql, params(organizationId, filter));
    await tx.query(text, values);
  }
}

export type UnbilledProject = {
  id: string; name: string; customerId: string; customerName: string; currency: string; billingModel: string; roundingMinutes: number;
  taxRateIds: string[];
};
export type UnbilledTimeRow = {
  id: string; projectId: string; taskId: string | null; taskName: string | null; userId: string; date: string; minutes: number;
};
export type UnbilledExpenseRow = {
  id: string; projectId: string; date: string; amountMinor: bigint; category: string; description: string; markupPercent: string;
};

export type UnbilledWork = { projects: UnbilledProject[]; time: UnbilledTimeRow[]; expenses: UnbilledExpenseRow[] };

export async function unbilledWork(db: Queryable, organizationId: string, filter: WorkFilter): Promise<UnbilledWork> {
  const query = async (sql: string) => {
    const { text, values } = named(sql, params(organizationId, filter));
    return (await db.query(text, values)).rows;
  };
  const time = await query(
    `select te.id, te.project_id, te.task_id, t.name as task_name, te.user_id, te.work_date, te.minutes
     from time_entries te join projects p on p.id = te.project_id left join tasks t on t.id = te.task_id
     where ${TIME_WHERE} order by te.work_date, te.id`,
  );
  const expenses = await query(
    `select e.id, e.project_id, e.expense_date, e.amount_minor, e.category, e.description, trim_scale(e.markup_percent)::text as markup_text
     from expenses e join projects p on p.id = e.project_id join customers c on c.id = p.customer_id
     where ${EXPENSE_WHERE} order by e.expense_date, e.id`,
  );
  const projectIds = [...new Set([...time, ...expenses].map((row) => row.project_id as string))];
  const { rows: projects } = await db.query(
    `select p.id, p.name, p.customer_id, c.name as customer_name, c.currency, p.billing_model, p.rounding_minutes, p.tax_rate_ids
     from projects p join customers c on c.id = p.customer_id
     where p.organization_id = $1 and p.id = any($2::text[]) order by lower(c.name), c.id, lower(p.name), p.id`,
    [organizationId, projectIds],
  );
  return {
    projects: projects.map((row) => ({
      id: row.id, name: row.name, customerId: row.customer_id, customerName: row.customer_name, currency: row.currency,
      billingModel: row.billing_model, roundingMinutes: row.rounding_minutes, taxRateIds: row.tax_rate_ids,
    })),
    time: time.map((row) => ({
      id: row.id, projectId: row.project_id, taskId: row.task_id, taskName: row.task_name, userId: row.user_id, date: row.work_date, minutes: row.minutes,
    })),
    expenses: expenses.map((row) => ({
      id: row.id, projectId: row.project_id, date: row.expense_date, amountMinor: BigInt(row.amount_minor), category: row.category,
      description: row.description, markupPercent: row.markup_text,
    })),
  };
}

/** Points each entry and expense at the invoice line that bills it. */
export async function linkToLines(tx: Tx, organizationId: string, links: Array<{ lineId: string; timeEntryIds: string[]; expenseIds: string[] }>): Promise<void> {
  for (const [table, ids] of [['time_entries', 'timeEntryIds'], ['expenses', 'expenseIds']] as const) {
    const pairs = links.flatMap((link) => link[ids].map((id) => [id, link.lineId]));
    if (pairs.length === 0) continue;
    await tx.query(
      `update ${table} w set invoice_line_id = v.line_id, updated_at = now()
       from unnest($2::text[], $3::text[]) as v(id, line_id) where w.organization_id = $1 and w.id = v.id`,
      [organizationId, ...transpose(pairs)],
    );
  }
}
