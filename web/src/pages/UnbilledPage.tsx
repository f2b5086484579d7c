import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, post } from '../api/client.ts';
import { useRefreshMoney, useTaxRates } from '../api/queries.ts';
import type { Invoice } from '../api/types.ts';
import { formatMinutes, useRefreshWork, useUnbilled, type UnbilledCustomer } from '../api/work.ts';
import { Dialog, DialogActions, ErrorAlert, EmptyState, Money, PageHeader, PanelSection, useTitle } from '../components/ui.tsx';
import { ListStates } from '../components/lists.tsx';
import { useToast } from '../lib/toast.tsx';

/** /unbilled — time and expenses not on an invoice yet, per customer and project, priced by the server. */
export function UnbilledPage() {
  useTitle('Unbilled work');
  const unbilled = useUnbilled();
  // ?customerId= narrows the page to one customer (links from the billing run's held work).
  const customerId = useSearchParams()[0].get('customerId');
  const rows = customerId ? unbilled.data?.filter((customer) => customer.customerId === customerId) : unbilled.data;
  return (
    <div className="page">
      <PageHeader
        title="Unbilled work"
        subtitle="Time and expenses not invoiced yet, priced as they would be billed."
        actions={customerId ? <Link className="button" to="/unbilled">Show all customers</Link> : undefined}
      />
      <ListStates
        query={unbilled}
        rows={rows}
        what="unbilled work"
        framed
        skeletonRows={5}
        empty={
          <EmptyState icon="coins" title="Nothing left to bill" action={<Link className="button" to="/time">Go to your timesheet</Link>}>
            Time and expenses recorded on projects show here until they are on an invoice.
          </EmptyState>
        }
      >
        {(rows) => (
          <div className="stack">
            {rows.map((customer) => (
              <CustomerWork key={`${customer.customerId}-${customer.currency}`} work={customer} />
            ))}
          </div>
        )}
      </ListStates>
    </div>
  );
}

const WARNING_STYLE = { background: 'var(--warning-soft)', borderColor: 'var(--warning)', color: 'var(--warning)' };
const WARNING_LABELS = { not_to_exceed_exceeded: 'Over not-to-exceed', budget_exceeded: 'Over budget' };

/** The server's refusal to bill past a not-to-exceed amount, without its hint to API clients. */
function overLimitMessage(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'not_to_exceed_exceeded') return null;
  return (error.fieldErrors.allowOverLimit ?? error.detail).replace(/; send allowOverLimit.*$/, '.');
}

function CustomerWork({ work }: { work: UnbilledCustomer }) {
  const navigate = useNavigate();
  const toast = useToast();
  const refreshMoney = useRefreshMoney();
  const refreshWork = useRefreshWork();
  const taxRates = useTaxRates(true);
  // The server's message while asking whether to bill past a not-to-exceed amount.
  const [confirmOverLimit, setConfirmOverLimit] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (allowOverLimit: boolean) => post<Invoice>('/v1/invoices/from-unbilled', { customerId: work.customerId, ...(allowOverLimit ? { allowOverLimit } : {}) }),
    onSuccess: async (invoice) => {
      await Promise.all([refreshMoney(), refreshWork()]);
      toast(`Draft invoice for ${work.customerName} created`);
      navigate(`/invoices/${invoice.id}`);
    },
    onError: (error) => setConfirmOverLimit(overLimitMessage(error)),
  });
  const id = `unbilled-${work.customerId}`;
  const unpriced = work.unpricedTimeEntryIds.length;
  const taxNames = (ids: string[]) => ids.map((rateId) => taxRates.data?.find((rate) => rate.id === rateId)?.name ?? '…').join(' + ');
  return (
    <PanelSection
      id={id}
      className="unbilled-customer"
      title={<Link to={`/customers/${work.customerId}`}>{work.customerName}</Link>}
      actions={
        <div className="unbilled-total">
          <span>
            Total <Money amount={work.total} currency={work.currency} className="strong" />
          </span>
          <button type="button" className="button button-primary button-small" onClick={() => create.mutate(false)} disabled={create.isPending || unpriced > 0} aria-label={`Create invoice for ${work.customerName}`}>
            {create.isPending ? 'Creating…' : 'Create invoice'}
          </button>
        </div>
      }
    >
      {unpriced > 0 && (
        <div className="alert alert-muted" style={{ margin: '0 var(--space-4) var(--space-3)' }}>
          {unpriced === 1 ? '1 time entry has' : `${unpriced} time entries have`} no rate. Set a rate on the project or task before invoicing.
        </div>
      )}
      {work.warnings.length > 0 && (
        <div className="alert" style={{ ...WARNING_STYLE, margin: '0 var(--space-4) var(--space-3)' }} data-testid="unbilled-warnings">
          <strong>{work.warnings.length === 1 ? 'A project is over its limit' : 'Projects are over their limits'}</strong>
          <ul style={{ margin: 'var(--space-1) 0 0', paddingLeft: 'var(--space-4)' }}>
            {work.warnings.map((warning) => (
              <li key={`${warning.code}-${warning.projectId}`}>{warning.message}</li>
            ))}
          </ul>
        </div>
      )}
      <div style={{ padding: '0 var(--space-4)' }}>{!overLimitMessage(create.error) && <ErrorAlert error={create.error} />}</div>
      <Dialog
        open={confirmOverLimit !== null}
        onClose={() => setConfirmOverLimit(null)}
        title="Bill past the not-to-exceed amount?"
        size="sm"
        footer={<DialogActions onCancel={() => setConfirmOverLimit(null)} label="Bill anyway" pendingLabel="Creating…" pending={create.isPending} danger onConfirm={() => create.mutate(true)} />}
      >
        <p>{confirmOverLimit}</p>
        <p className="muted">The draft invoice bills all of {work.customerName}’s unbilled work, including what goes past the cap.</p>
      </Dialog>
      <div className="table-scroll">
        <table className="table table-compact table-rowheads" aria-labelledby={id}>
          <thead>
            <tr>
              <th scope="col">Project</th>
              <th scope="col" className="num hide-phone">
                Hours
              </th>
              <th scope="col" className="num hide-phone">
                Time
              </th>
              <th scope="col" className="num hide-phone">
                Expenses
              </th>
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {work.projects.map((project) => {
              const minutes = project.timeEntries.reduce((sum, entry) => sum + entry.billedMinutes, 0);
              return (
                <tr key={project.projectId}>
                  <th scope="row">
                    <Link className="row-link" to={`/projects/${project.projectId}`}>
                      {project.name}
                    </Link>
                    {work.warnings
                      .filter((warning) => warning.projectId === project.projectId)
                      .map((warning) => (
                        <span key={warning.code} className={`badge badge-inline ${warning.code === 'not_to_exceed_exceeded' ? 'badge-overdue' : 'badge-partially_paid'}`}>
                          {WARNING_LABELS[warning.code]}
                        </span>
                      ))}
                    <div className="cell-sub">
                      {project.timeEntries.length} {project.timeEntries.length === 1 ? 'time entry' : 'time entries'}, {project.expenses.length}{' '}
                      {project.expenses.length === 1 ? 'expense' : 'expenses'}
                    </div>
                  </th>
                  <td className="num hide-phone">{formatMinutes(minutes)}</td>
                  <td className="num hide-phone">
                    <Money amount={project.timeTotal} currency={work.currency} />
                  </td>
                  <td className="num hide-phone">
                    <Money amount={project.expenseTotal} currency={work.currency} />
                  </td>
                  <td className="num strong">
                    <Money amount={project.total} currency={work.currency} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {work.lines.length > 0 && (
        <details className="unbilled-lines" style={{ padding: 'var(--space-3) var(--space-4)', borderTop: '1px solid var(--border)' }}>
          <summary>Invoice lines it would create ({work.lines.length})</summary>
          <ul className="muted small">
            {work.lines.map((line, index) => (
              <li key={index}>
                {line.description}: {line.quantity}
                {line.unit ? ` ${line.unit}` : ''} × <Money amount={line.unitPrice} currency={work.currency} /> = <Money amount={line.amount} currency={work.currency} />
                {line.taxRateIds.length > 0 && ` + ${taxNames(line.taxRateIds)}`}
              </li>
            ))}
          </ul>
        </details>
      )}
    </PanelSection>
  );
}
