import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationOf } from '../auth.ts';
import { INVOICE_STATUSES } from '../../modules/invoicing/index.ts';
import { getDashboard, type Dashboard } from '../../modules/reports/index.ts';
import { formatAmount } from '../../shared/money.ts';

const Amount = Type.String({ description: 'decimal string in the base currency' });

const DashboardResponse = Type.Object({
  currency: Type.String({ description: "the organization's base currency; documents and payments in other currencies are not counted" }),
  outstanding: Amount,
  overdue: Amount,
  paidThisMonth: Amount,
  invoicesByStatus: Type.Array(Type.Object({ status: Type.Enum(INVOICE_STATUSES), count: Type.Integer(), total: Amount })),
  monthly: Type.Array(
    Type.Object({ month: Type.String({ description: 'YYYY-MM' }), invoiced: Amount, collected: Amount }),
    { description: 'the last 12 months, oldest first, the current month last; months without activity are zeros' },
  ),
  overdueInvoices: Type.Array(Type.Object({
    id: Type.String(), number: Type.String(), customerId: Type.String(), customerName: Type.String(),
    dueDate: Type.String(), amountDue: Amount, daysOverdue: Type.Integer(),
  }), { description: 'the 10 most overdue, longest overdue first' }),
  drafts: Type.Array(Type.Object({ id: Type.String(), customerId: Type.String(), customerName: Type.String(), total: Amount, createdAt: Type.String() }), {
    description: 'the 10 newest drafts',
  }),
});

function dashboardJson(dashboard: Dashboard) {
  const c = dashboard.currency;
  const amount = (minor: bigint) => formatAmount(minor, c);
  return {
    currency: c,
    outstanding: amount(dashboard.outstandingMinor),
    overdue: amount(dashboard.overdueMinor),
    paidThisMonth: amount(dashboard.paidThisMonthMinor),
    invoicesByStatus: dashboard.invoicesByStatus.map(({ status, count, totalMinor }) => ({ status, count, total: amount(totalMinor) })),
    monthly: dashboard.monthly.map(({ month, invoicedMinor, collectedMinor }) => ({ month, invoiced: amount(invoicedMinor), collected: amount(collectedMinor) })),
    overdueInvoices: dashboard.overdueInvoices.map(({ amountDueMinor, ...invoice }) => ({ ...invoice, amountDue: amount(amountDueMinor) })),
    drafts: dashboard.drafts.map(({ totalMinor, ...draft }) => ({ ...draft, total: amount(totalMinor) })),
  };
}

export function dashboardRoutes(app: AppInstance, { pool, clock }: RouteDeps): void {
  app.get('/v1/dashboard', {
    schema: {
      tags: ['reports'],
      summary: 'Receivables at a glance, in the base currency only (other currencies are not counted)',
      description: 'Outstanding and overdue amounts, payments this month, invoices by status, 12 months of invoiced and collected ' +
        'amounts, the most overdue invoices and the newest drafts. Only invoices and payments in the organization\'s base currency count. ' +
        '"Today" and "this month" are in the organization\'s time zone.',
      response: { 200: DashboardResponse },
    },
  }, async (request) => dashboardJson(await getDashboard(pool, clock, organizationOf(request))));
}
