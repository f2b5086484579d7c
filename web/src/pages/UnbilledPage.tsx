import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { post } from '../api/client.ts';
import { useRefreshMoney } from '../api/queries.ts';
import type { Invoice } from '../api/types.ts';
import { formatMinutes, useRefreshWork, useUnbilled, type UnbilledCustomer } from '../api/work.ts';
import { ErrorAlert, EmptyState, Money, PageHeader, PanelSection, useTitle } from '../components/ui.tsx';
import { ListStates } from '../components/lists.tsx';
import { useToast } from '../lib/toast.tsx';

/** /unbilled — time and expenses not on an invoice yet, per customer and project, priced by the server. */
export function UnbilledPage() {
  useTitle('Unbilled work');
  const unbilled = useUnbilled();
  return (
    <div className="page">
      <PageHeader title="Unbilled work" subtitle="Time and expenses not invoiced yet, priced as they would be billed." />
      <ListStates
        query={unbilled}
        rows={unbilled.data}
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

function CustomerWork({ work }: { work: UnbilledCustomer }) {
  const navigate = useNavigate();
  const toast = useToast();
  const refreshMoney = useRefreshMoney();
  const refreshWork = useRefreshWork();
  const create = useMutation({
    mutationFn: () => post<Invoice>('/v1/invoices/from-unbilled', { customerId: work.customerId }),
    onSuccess: async (invoice) => {
      await Promise.all([refreshMoney(), refreshWork()]);
      toast(`Draft invoice for ${work.customerName} created`);
      navigate(`/invoices/${invoice.id}`);
    },
  });
  const id = `unbilled-${work.customerId}`;
  const unpriced = work.unpricedTimeEntryIds.length;
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
          <button type="button" className="button button-primary button-small" onClick={() => create.mutate()} disabled={create.isPending || unpriced > 0} aria-label={`Create invoice for ${work.customerName}`}>
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
      <div style={{ padding: '0 var(--space-4)' }}>
        <ErrorAlert error={create.error} />
      </div>
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
              </li>
            ))}
          </ul>
        </details>
      )}
    </PanelSection>
  );
}
