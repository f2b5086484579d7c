import { addMonths } from '../../shared/calendar.ts';
import { todayIn, type Clock } from '../../shared/clock.ts';
import { inTransaction, type Pool, type Tx } from '../../shared/db.ts';
import { getOrganization } from '../access/index.ts';
import { INVOICE_STATUSES, type InvoiceStatus } from '../invoicing/index.ts';

/**
 * The owner's first screen, in the organization's base currency only (documents and payments in
 * other currencies are left out: there are no exchange rates yet). Read-only SQL over the
 * invoicing and payments tables, in one read-only snapshot so the figures agree with each other.
 */
export type Dashboard = {
  currency: string;
  today: string;
  /** Open amounts of issued invoices (open, partially paid, overdue). */
  outstandingMinor: bigint;
  /** The part of `outstanding` that is past its due date. */
  overdueMinor: bigint;
  /** Payments received this month (by their date). */
  paidThisMonthMinor: bigint;
  invoicesByStatus: Array<{ status: InvoiceStatus; count: number; totalMinor: bigint }>;
  /** The last 12 months, oldest first, the current one last: issued (not void) invoice totals and payments received. */
  monthly: Array<{ month: string; invoicedMinor: bigint; collectedMinor: bigint }>;
  overdueInvoices: Array<{ id: string; number: string; customerId: string; customerName: string; dueDate: string; amountDueMinor: bigint; daysOverdue: number }>;
  drafts: Array<{ id: string; customerId: string; customerName: string; totalMinor: bigint; createdAt: string }>;
};

export const DASHBOARD_LIST_LIMIT = 10;

// What settled an invoice; the status rule below is `deriveStatus` (invoicing/invoice.ts) in SQL.
const WITH_SETTLED = `
  select i.*, coalesce((select sum(s.amount_minor) from settlements s where s.invoice_id = i.id), 0) as settled_minor
  from invoices i where i.organization_id = $1 and i.currency = $2`;

const STATUS = `case
  when state <> 'issued' then state
  when settled_minor >= total_minor then 'paid'
  when due_date < $3::date then 'overdue'
  when settled_minor > 0 then 'partially_paid'
  else 'open' end`;

export async function getDashboard(pool: Pool, clock: Clock, organizationId: string): Promise<Dashboard> {
  return inTransaction(pool, async (tx) => {
    await tx.query('set transaction isolation level repeatable read, read only');
    const organization = await getOrganization(tx, organizationId);
    const currency = organization.baseCurrency;
    const today = todayIn(organization.timeZone, clock);
    const thisMonth = `${today.slice(0, 7)}-01`;
    const months = Array.from({ length: 12 }, (_, index) => addMonths(thisMonth, index - 11).slice(0, 7));

    const byStatus = await statusTotals(tx, organizationId, currency, today);
    const invoiced = await monthlySums(tx, `
      select to_char(issue_date, 'YYYY-MM') as month, sum(total_minor) as amount from invoices
      where organization_id = $1 and currency = $2 and state = 'issued' and issue_date >= $3 and issue_date < $4 group by 1`,
    [organizationId, currency, `${months[0]}-01`, addMonths(thisMonth, 1)]);
    const collected = await monthlySums(tx, `
      select to_char(received_on, 'YYYY-MM') as month, sum(amount_minor) as amount from payments
      where organization_id = $1 and currency = $2 and received_on >= $3 and received_on < $4 group by 1`,
    [organizationId, currency, `${months[0]}-01`, addMonths(thisMonth, 1)]);

    const openOf = (...statuses: InvoiceStatus[]) => statuses.reduce((sum, status) => sum + (byStatus.get(status)?.openMinor ?? 0n), 0n);
    return {
      currency,
      today,
      outstandingMinor: openOf('open', 'partially_paid', 'overdue'),
      overdueMinor: openOf('overdue'),
      paidThisMonthMinor: collected.get(today.slice(0, 7)) ?? 0n,
      invoicesByStatus: INVOICE_STATUSES.map((status) => ({
        status, count: byStatus.get(status)?.count ?? 0, totalMinor: byStatus.get(status)?.totalMinor ?? 0n,
      })),
      monthly: months.map((month) => ({ month, invoicedMinor: invoiced.get(month) ?? 0n, collectedMinor: collected.get(month) ?? 0n })),
      overdueInvoices: await mostOverdue(tx, organizationId, currency, today),
      drafts: await latestDrafts(tx, organizationId, currency),
    };
  });
}

async function statusTotals(tx: Tx, organizationId: string, currency: string, today: string) {
  const { rows } = await tx.query(
    `select ${STATUS} as status, count(*)::int as count, sum(total_minor) as total,
            coalesce(sum(total_minor - settled_minor) filter (where state = 'issued'), 0) as open
     from (${WITH_SETTLED}) i group by 1`,
    [organizationId, currency, today],
  );
  return new Map(rows.map((row) => [row.status as InvoiceStatus, { count: row.count as number, totalMinor: BigInt(row.total), openMinor: BigInt(row.open) }]));
}

async function monthlySums(tx: Tx, sql: string, params: unknown[]): Promise<Map<string, bigint>> {
  const { rows } = await tx.query(sql, params);
  return new Map(rows.map((row) => [row.month as string, BigInt(row.amount)]));
}

async function mostOverdue(tx: Tx, organizationId: string, currency: string, today: string): Promise<Dashboard['overdueInvoices']> {
  const { rows } = await tx.query(
    `select i.id, i.number, i.customer_id, c.name as customer_name, i.due_date, i.total_minor - i.settled_minor as due,
            ($3::date - i.due_date) as days_overdue
     from (${WITH_SETTLED} and i.state = 'issued' and i.due_date < $3::date) i
     join customers c on c.id = i.customer_id
     where i.settled_minor < i.total_minor
     order by i.due_date, i.number, i.id
     limit ${DASHBOARD_LIST_LIMIT}`,
    [organizationId, currency, today],
  );
  return rows.map((row) => ({
    id: row.id, number: row.number, customerId: row.customer_id, customerName: row.customer_name, dueDate: row.due_date,
    amountDueMinor: BigInt(row.due), daysOverdue: row.days_overdue,
  }));
}

async function latestDrafts(tx: Tx, organizationId: string, currency: string): Promise<Dashboard['drafts']> {
  const { rows } = await tx.query(
    `select i.id, i.customer_id, c.name as customer_name, i.total_minor, i.created_at
     from invoices i join customers c on c.id = i.customer_id
     where i.organization_id = $1 and i.currency = $2 and i.state = 'draft'
     order by i.created_at desc, i.id desc
     limit ${DASHBOARD_LIST_LIMIT}`,
    [organizationId, currency],
  );
  return rows.map((row) => ({
    id: row.id, customerId: row.customer_id, customerName: row.customer_name, totalMinor: BigInt(row.total_minor), createdAt: row.created_at.toISOString(),
  }));
}
