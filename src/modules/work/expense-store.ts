import { named, type Queryable, type Tx } from '../../shared/db.ts';
import type { RoundingMode } from '../../shared/decimal.ts';
import { notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { decodeCursor, pageOf, type Page } from '../../shared/pagination.ts';
import { withMarkup, type Expense, type Receipt } from './expense.ts';
import { billedBy } from './time-entry-store.ts';

// Receipts are read only by getReceipt: lists carry their name, type and size, never the bytes.
const EXPENSE_SELECT = `
  select e.*, trim_scale(e.markup_percent)::text as markup_text, billed.line_id, billed.invoice_id,
         r.filename, r.content_type, octet_length(r.data) as size_bytes
  from expenses e
  left join expense_receipts r on r.expense_id = e.id
  ${billedBy('e')}`;

function expenseFromRow(row: Record<string, any>, mode: RoundingMode): Expense {
  const amountMinor = BigInt(row.amount_minor);
  return {
    id: row.id, userId: row.user_id, projectId: row.project_id, date: row.expense_date, amountMinor, currency: row.currency,
    category: row.category, description: row.description, billable: row.billable, markupPercent: row.markup_text,
    billedAmountMinor: withMarkup(amountMinor, row.currency, row.markup_text, mode),
    receipt: row.filename === null ? null : { filename: row.filename, contentType: row.content_type, sizeBytes: row.size_bytes },
    invoiceLineId: row.line_id, invoiceId: row.invoice_id,
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  };
}

/** `mode` is the organization's rounding, for the amount with markup. */
export async function findExpense(db: Queryable, organizationId: string, id: string, mode: RoundingMode, opts: { lock?: boolean } = {}): Promise<Expense> {
  if (opts.lock) await db.query(`select 1 from expenses where organization_id = $1 and id = $2 for update`, [organizationId, id]);
  const { rows } = await db.query(`${EXPENSE_SELECT} where e.organization_id = $1 and e.id = $2`, [organizationId, id]);
  if (!rows[0]) throw notFound('expense', id);
  return expenseFromRow(rows[0], mode);
}

export type ExpenseRow = {
  userId: string; projectId: string; date: string; amountMinor: bigint; currency: string; category: string; description: string;
  billable: boolean; markupPercent: string;
};

export async function insertExpense(tx: Tx, organizationId: string, row: ExpenseRow): Promise<string> {
  const id = newId('exp');
  await tx.query(
    `insert into expenses (id, organization_id, user_id, project_id, expense_date, amount_minor, currency, category, description, billable, markup_percent)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [id, organizationId, row.userId, row.projectId, row.date, row.amountMinor.toString(), row.currency, row.category, row.description, row.billable, row.markupPercent],
  );
  return id;
}

export async function updateExpenseRow(tx: Tx, organizationId: string, id: string, row: Omit<ExpenseRow, 'userId'>): Promise<void> {
  await tx.query(
    `update expenses set project_id = $3, expense_date = $4, amount_minor = $5, currency = $6, category = $7, description = $8,
       billable = $9, markup_percent = $10, updated_at = now()
     where organization_id = $1 and id = $2`,
    [organizationId, id, row.projectId, row.date, row.amountMinor.toString(), row.currency, row.category, row.description, row.billable, row.markupPercent],
  );
}

export async function deleteExpenseRow(tx: Tx, organizationId: string, id: string): Promise<void> {
  await tx.query(`delete from expenses where organization_id = $1 and id = $2`, [organizationId, id]);
}

/** A new receipt replaces the old one; null removes it. */
export async function replaceReceipt(tx: Tx, organizationId: string, expenseId: string, receipt: Receipt | null): Promise<void> {
  await tx.query(`delete from expense_receipts where expense_id = $1`, [expenseId]);
  if (receipt) {
    await tx.query(
      `insert into expense_receipts (expense_id, organization_id, filename, content_type, data) values ($1, $2, $3, $4, $5)`,
      [expenseId, organizationId, receipt.filename, receipt.contentType, receipt.data],
    );
  }
}

export async function findReceipt(db: Queryable, organizationId: string, expenseId: string): Promise<Receipt> {
  const { rows } = await db.query(
    `select r.filename, r.content_type, r.data from expense_receipts r where r.organization_id = $1 and r.expense_id = $2`,
    [organizationId, expenseId],
  );
  if (!rows[0]) {
    const expense = await db.query(`select 1 from expenses where organization_id = $1 and id = $2`, [organizationId, expenseId]);
    throw expense.rows[0] ? notFound('receipt', expenseId) : notFound('expense', expenseId);
  }
  return { filename: rows[0].filename, contentType: rows[0].content_type, data: rows[0].data };
}

export type ExpenseFilter = {
  userId?: string; projectId?: string; customerId?: string; from?: string; to?: string; billed?: boolean; cursor?: string; limit: number;
};

export async function listExpenseRows(db: Queryable, organizationId: string, filter: ExpenseFilter, mode: RoundingMode): Promise<Page<Expense>> {
  const after = decodeCursor(filter.cursor, 2);
  const { text, values } = named(
    `${EXPENSE_SELECT}
     where e.organization_id = $org
       and ($user::text is null or e.user_id = $user) and ($project::text is null or e.project_id = $project)
       and ($customer::text is null or e.project_id in (select id from projects where customer_id = $customer))
       and ($from::date is null or e.expense_date >= $from) and ($to::date is null or e.expense_date <= $to)
       and ($billed::boolean is null or (billed.line_id is not null) = $billed)
       and ($afterdate::date is null or (e.expense_date, e.id) < ($afterdate, $afterid))
     order by e.expense_date desc, e.id desc limit $limit`,
    {
      org: organizationId, user: filter.userId ?? null, project: filter.projectId ?? null, customer: filter.customerId ?? null,
      from: filter.from ?? null, to: filter.to ?? null, billed: filter.billed ?? null,
      afterdate: after?.[0] ?? null, afterid: after?.[1] ?? null, limit: filter.limit + 1,
    },
  );
  const { rows } = await db.query(text, values);
  return pageOf(rows.map((row) => expenseFromRow(row, mode)), filter.limit, (expense) => [expense.date, expense.id]);
}
