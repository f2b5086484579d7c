import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useDashboard } from '../api/queries.ts';
import type { Dashboard } from '../api/types.ts';
import { InvoicedCollectedChart } from '../components/BarChart.tsx';
import { Icon, type IconName } from '../components/Icon.tsx';
import { ErrorPanel, Money, PageHeader, Skeleton, StatusBadge, useTitle } from '../components/ui.tsx';
import { isZero } from '../lib/decimal.ts';
import { useFormat } from '../lib/format.ts';
import { useSession } from '../lib/session.tsx';

export function DashboardPage() {
  useTitle('Dashboard');
  const session = useSession();
  const format = useFormat();
  const dashboard = useDashboard();
  const firstName = (session.user.name ?? '').split(' ')[0];

  return (
    <div className="page">
      <PageHeader
        title={firstName ? `Hello, ${firstName}` : 'Dashboard'}
        subtitle={`${session.organization.legalName} · ${format.date(format.today(), 'long')}`}
        actions={
          <>
            <Link className="button" to="/payments/new">
              <Icon name="coins" /> Record payment
            </Link>
            <Link className="button button-primary" to="/invoices/new">
              <Icon name="plus" /> New invoice
            </Link>
          </>
        }
      />
      {dashboard.isPending ? (
        <div className="kpis">
          {[0, 1, 2].map((i) => (
            <div key={i} className="kpi">
              <Skeleton rows={2} />
            </div>
          ))}
        </div>
      ) : dashboard.isError ? (
        <ErrorPanel error={dashboard.error} retry={() => dashboard.refetch()} what="dashboard" />
      ) : (
        <DashboardBody data={dashboard.data} />
      )}
    </div>
  );
}

function DashboardBody({ data }: { data: Dashboard }) {
  const format = useFormat();
  const c = data.currency;
  const invoiceCount = data.invoicesByStatus.reduce((sum, s) => sum + s.count, 0);
  const overdueCount = data.invoicesByStatus.find((s) => s.status === 'overdue')?.count ?? 0;

  return (
    <>
      <section className="kpis" aria-label="Key figures">
        <Link to="/invoices" className="kpi">
          <span className="kpi-label">Outstanding</span>
          <Money className="kpi-value" amount={data.outstanding} currency={c} />
          <span className="kpi-note">owed to you on issued invoices</span>
        </Link>
        <Link to="/invoices?status=overdue" className={`kpi${isZero(data.overdue) ? '' : ' kpi-danger'}`}>
          <span className="kpi-label">Overdue</span>
          <Money className="kpi-value" amount={data.overdue} currency={c} />
          <span className="kpi-note">{overdueCount === 1 ? '1 invoice past its due date' : `${overdueCount} invoices past their due date`}</span>
        </Link>
        <Link to="/payments" className="kpi kpi-success">
          <span className="kpi-label">Paid this month</span>
          <Money className="kpi-value" amount={data.paidThisMonth} currency={c} />
          <span className="kpi-note">collected in {format.month(format.today().slice(0, 7), 'long')}</span>
        </Link>
      </section>

      {invoiceCount === 0 ? (
        <section className="panel onboarding">
          <h2>No invoices yet — create your first</h2>
          <p>Three steps and your first invoice is out the door.</p>
          <ol className="steps">
            {STEPS.map((step, index) => (
              <li key={step.to}>
                <Link to={step.to}>
                  <span className="step-number">{index + 1}</span>
                  <span>
                    <strong>{step.title}</strong>
                    <span className="step-note">{step.note}</span>
                  </span>
                </Link>
              </li>
            ))}
          </ol>
        </section>
      ) : (
        <div className="dashboard-grid">
          <section className="panel panel-chart">
            <InvoicedCollectedChart months={data.monthly} currency={c} />
          </section>
          <section className="panel" aria-labelledby="by-status">
            <h2 id="by-status" className="panel-title">
              Invoices by status
            </h2>
            <ul className="status-list">
              {data.invoicesByStatus.map((s) => (
                <li key={s.status}>
                  <Link to={`/invoices?status=${s.status}`} className={s.count === 0 ? 'status-empty' : undefined}>
                    <StatusBadge status={s.status} />
                    <span className="status-count">{s.count === 1 ? '1 invoice' : `${s.count} invoices`}</span>
                    <Money amount={s.total} currency={c} className="status-total" />
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}

      {(data.overdueInvoices.length > 0 || data.drafts.length > 0) && (
        <section aria-labelledby="attention" className="attention">
          <h2 id="attention" className="section-title">
            Needs attention
          </h2>
          <div className="attention-grid">
            <AttentionPanel
              icon="alert"
              title="Overdue invoices"
              empty="Nothing overdue. Nice."
              items={data.overdueInvoices.map((invoice) => ({
                id: invoice.id,
                main: (
                  <>
                    <strong>{invoice.number}</strong> · {invoice.customerName}
                  </>
                ),
                sub: `${invoice.daysOverdue === 1 ? '1 day overdue' : `${invoice.daysOverdue} days overdue`} · due ${format.date(invoice.dueDate)}`,
                danger: true,
                amount: invoice.amountDue,
              }))}
              currency={c}
            />
            <AttentionPanel
              icon="edit"
              title="Drafts waiting"
              empty="No drafts waiting to be issued."
              items={data.drafts.map((draft) => ({
                id: draft.id,
                main: <strong>{draft.customerName}</strong>,
                sub: `started ${format.dateTime(draft.createdAt)}`,
                amount: draft.total,
              }))}
              currency={c}
            />
          </div>
        </section>
      )}
    </>
  );
}

const STEPS = [
  { to: '/customers/new', title: 'Add a customer', note: 'Who you bill, their currency and payment terms.' },
  { to: '/settings/tax-rates', title: 'Set up tax rates and items', note: 'VAT or sales tax, and the services you sell.' },
  { to: '/invoices/new', title: 'Create an invoice', note: 'Totals are calculated exactly as you type.' },
];

/** Invoices that want something done, each a link to it with its amount. */
function AttentionPanel({ icon, title, empty, items, currency }: {
  icon: IconName;
  title: string;
  empty: string;
  items: Array<{ id: string; main: ReactNode; sub: string; danger?: boolean; amount: string }>;
  currency: string;
}) {
  return (
    <div className="panel">
      <h3 className="panel-title">
        <Icon name={icon} /> {title}
      </h3>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="attention-list">
          {items.map((item) => (
            <li key={item.id}>
              <Link to={`/invoices/${item.id}`}>
                <span className="attention-main">
                  {item.main}
                  <span className={`attention-sub${item.danger ? ' danger-text' : ''}`}>{item.sub}</span>
                </span>
                <Money amount={item.amount} currency={currency} className="attention-amount" />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
