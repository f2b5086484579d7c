import { named, transpose, type Queryable, type Tx } from '../../shared/db.ts';
import { parseAmount } from '../../shared/money.ts';

// Unbilled work: billable, approved (or needing no approval), and not linked to a line of an
// invoice that is still standing. Time counts only on hourly projects (contracts bill fixed and
// retainer projects); expenses count on every project.

const BILLED = (alias: string) => `exists (
  select 1 from invoice_lines l join invoices i on i.id = l.invoice_id where l.id = ${alias}.invoice_line_id and i.state <> 'void')`;
const NOT_BILLED = (alias: string) => `not ${BILLED(alias)}`;

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
  /** The project's limits and what counts against them: billed so far (standing invoices) and all billable time logged. */
  limits: { notToExceedMinor: bigint | null; budgetAmountMinor: bigint | null; budgetHours: string | null; billedMinor: bigint; loggedMinutes: number };
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
    `select p.id, p.name, p.customer_id, c.name as customer_name, c.currency, p.billing_model, p.rounding_minutes, p.tax_rate_ids,
       p.billing ->> 'notToExceed' as not_to_exceed, p.budget_amount_minor, trim_scale(p.budget_hours)::text as budget_hours,
       -- What counts against a limit, read only for projects that have one (CASE evaluates lazily).
       case when p.billing ? 'notToExceed' or p.budget_amount_minor is not null then
         (select coalesce(sum(te.billed_minor), 0) from time_entries te where te.project_id = p.id and ${BILLED('te')})
         + (select coalesce(sum(e.billed_minor), 0) from expenses e where e.project_id = p.id and ${BILLED('e')}) end as billed_minor,
       case when p.budget_hours is not null then
         (select coalesce(sum(te.minutes), 0) from time_entries te where te.project_id = p.id and te.billable) end as logged_minutes
     from projects p join customers c on c.id = p.customer_id
     where p.organization_id = $1 and p.id = any($2::text[]) order by lower(c.name), c.id, lower(p.name), p.id`,
    [organizationId, projectIds],
  );
  return {
    projects: projects.map((row) => ({
      id: row.id, name: row.name, customerId: row.customer_id, customerName: row.customer_name, currency: row.currency,
      billingModel: row.billing_model, roundingMinutes: row.rounding_minutes, taxRateIds: row.tax_rate_ids,
      limits: {
        notToExceedMinor: row.not_to_exceed === null ? null : parseAmount(row.not_to_exceed, row.currency, 'notToExceed'),
        budgetAmountMinor: row.budget_amount_minor === null ? null : BigInt(row.budget_amount_minor), budgetHours: row.budget_hours,
        billedMinor: BigInt(row.billed_minor ?? 0), loggedMinutes: Number(row.logged_minutes ?? 0),
      },
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

export type LineLink = { lineId: string; amountMinor: bigint; timeEntryIds: string[]; timeShares: bigint[]; expenseIds: string[] };

/** Points each entry and expense at the invoice line that bills it, with what it came to there. */
export async function linkToLines(tx: Tx, organizationId: string, links: LineLink[]): Promise<void> {
  const rows = {
    time_entries: links.flatMap((link) => link.timeEntryIds.map((id, index) => [id, link.lineId, String(link.timeShares[index]!)])),
    expenses: links.flatMap((link) => link.expenseIds.map((id) => [id, link.lineId, String(link.amountMinor)])), // one expense per line
  };
  for (const [table, triples] of Object.entries(rows)) {
    if (triples.length === 0) continue;
    await tx.query(
      `update ${table} w set invoice_line_id = v.line_id, billed_minor = v.billed_minor, updated_at = now()
       from unnest($2::text[], $3::text[], $4::bigint[]) as v(id, line_id, billed_minor) where w.organization_id = $1 and w.id = v.id`,
      [organizationId, ...transpose(triples)],
    );
  }
}
