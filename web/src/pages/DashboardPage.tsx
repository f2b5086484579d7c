import { Link } from 'react-router';
import { useDashboard } from '../api/queries.ts';
import type { Dashboard } from '../api/types.ts';
import { InvoicedCollectedChart } from '../components/BarChart.tsx';
import { Icon } from '../components/Icon.tsx';
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
            <li>
              <Link to="/customers/new">
                <span className="step-number">1</span>
                <span>
                  <strong>Add a customer</strong>
                  <span className="step-note">Who you bill, their currency and payment terms.</span>
                </span>
              </Link>
            </li>
            <li>
              <Link to="/settings/tax-rates">
                <span className="step-number">2</span>
                <span>
                  <strong>Set up tax rates and items</strong>
                  <span className="step-note">VAT or sales tax, and the services you sell.</span>
                </span>
              </Link>
            </li>
            <li>
              <Link to="/invoices/new">
                <span className="step-number">3</span>
                <span>
                  <strong>Create an invoice</strong>
                  <span className="step-note">Totals are calculated exactly as you type.</span>
                </span>
              </Link>
            </li>
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
            <div className="panel">
              <h3 className="panel-title">
                <Icon name="alert" /> Overdue invoices
              </h3>
              {data.overdueInvoices.length === 0 ? (
                <p className="muted">Nothing overdue. Nice.</p>
              ) : (
                <ul className="attention-list">
                  {data.overdueInvoices.map((invoice) => (
                    <li key={invoice.id}>
                      <Link to={`/invoices/${invoice.id}`}>
                        <span className="attention-main">
                          <strong>{invoice.number}</strong> · {invoice.customerName}
                          <span className="attention-sub danger-text">
                            {invoice.daysOverdue === 1 ? '1 day overdue' : `${invoice.daysOverdue} days overdue`} · due {format.date(invoice.dueDate)}
                          </span>
                        </span>
                        <Money amount={invoice.amountDue} currency={c} className="attention-amount" />
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div className="panel">
              <h3 className="panel-title">
                <Icon name="edit" /> Drafts waiting
              </h3>
              {data.drafts.length === 0 ? (
                <p className="muted">No drafts waiting to be issued.</p>
              ) : (
                <ul className="attention-list">
                  {data.drafts.map((draft) => (
                    <li key={draft.id}>
                      <Link to={`/invoices/${draft.id}`}>
                        <span className="attention-main">
                          <strong>{draft.customerName}</strong>
                          <span className="attention-sub">started {format.dateTime(draft.createdAt)}</span>
                        </span>
                        <Money amount={draft.total} currency={c} className="attention-amount" />
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </section>
      )}
    </>
  );
}
