import { Link } from 'react-router';
import { useInvoices, type InvoiceFilter } from '../api/queries.ts';
import { INVOICE_STATUSES, type InvoiceStatus } from '../api/types.ts';
import { CustomerSelect } from '../components/fields.tsx';
import { Icon } from '../components/Icon.tsx';
import { InvoiceTable } from '../components/InvoiceTable.tsx';
import { ListStates, SearchField, ShowMore, TableSummary } from '../components/lists.tsx';
import { EmptyState, PageHeader, useTitle } from '../components/ui.tsx';
import { sumByCurrency } from '../lib/decimal.ts';
import { STATUS_LABELS } from '../lib/format.ts';
import { useUrlFilters } from '../lib/hooks.ts';

export function InvoicesPage() {
  useTitle('Invoices');
  const { params, setParam, search, setSearch, debouncedSearch, clear } = useUrlFilters();
  const status = (INVOICE_STATUSES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as InvoiceStatus) : '';
  const filter: InvoiceFilter = {
    status,
    customerId: params.get('customerId') ?? undefined,
    issuedFrom: params.get('from') ?? undefined,
    issuedTo: params.get('to') ?? undefined,
    search: debouncedSearch || undefined,
  };
  const invoices = useInvoices(filter);
  const rows = invoices.rows;
  const filtered = Boolean(status || filter.customerId || filter.issuedFrom || filter.issuedTo || filter.search);
  // Sums of what is listed, exact (bigint decimals): issued invoices, what is owed on them, drafts apart.
  const issued = rows.filter((r) => r.status !== 'void' && r.status !== 'draft');
  const totals = sumByCurrency(issued, (r) => r.currency, (r) => r.total);
  const dues = sumByCurrency(issued, (r) => r.currency, (r) => r.amountDue);
  const drafts = sumByCurrency(rows.filter((r) => r.status === 'draft'), (r) => r.currency, (r) => r.total);
  const newInvoice = (
    <Link className="button button-primary" to="/invoices/new">
      <Icon name="plus" /> New invoice
    </Link>
  );

  return (
    <div className="page">
      <PageHeader title="Invoices" subtitle="Drafts, issued invoices and what is still owed on them." actions={newInvoice} />
      <nav className="tabs" aria-label="Filter by status">
        {(['', ...INVOICE_STATUSES] as Array<InvoiceStatus | ''>).map((s) => (
          <button key={s || 'all'} type="button" className={`tab${status === s ? ' active' : ''}`} aria-pressed={status === s} onClick={() => setParam('status', s)}>
            {s ? STATUS_LABELS[s] : 'All'}
          </button>
        ))}
      </nav>
      <div className="toolbar filters" role="search" aria-label="Filter invoices">
        <SearchField id="invoice-search" label="Search invoices" placeholder="Number, customer or reference" value={search} onChange={setSearch} />
        <div className="filter">
          <label htmlFor="filter-customer">Customer</label>
          <CustomerSelect id="filter-customer" placeholder="All customers" includeArchived value={filter.customerId ?? ''} onChange={(event) => setParam('customerId', event.target.value)} />
        </div>
        <div className="filter">
          <label htmlFor="filter-from">Issued from</label>
          <input id="filter-from" type="date" value={filter.issuedFrom ?? ''} onChange={(event) => setParam('from', event.target.value)} />
        </div>
        <div className="filter">
          <label htmlFor="filter-to">Issued to</label>
          <input id="filter-to" type="date" value={filter.issuedTo ?? ''} onChange={(event) => setParam('to', event.target.value)} />
        </div>
        {filtered && (
          <button type="button" className="button button-ghost" onClick={clear}>
            Clear filters
          </button>
        )}
      </div>

      <ListStates
        query={invoices}
        rows={rows}
        what="invoices"
        skeletonRows={6}
        framed
        empty={
          filtered ? (
            <EmptyState title="No invoices match these filters">Change or clear the filters to see more.</EmptyState>
          ) : (
            <EmptyState title="No invoices yet — create your first" action={newInvoice}>
              Draft it, check the totals the server calculates as you type, then issue it to give it its number.
            </EmptyState>
          )
        }
      >
        {(rows) => (
          <div className="panel panel-flush">
            <InvoiceTable invoices={rows} />
            <TableSummary
              count={rows.length}
              noun={['invoice', 'invoices']}
              partial={invoices.hasNextPage}
              figures={[
                { label: 'In drafts', sums: drafts },
                { label: 'Invoiced', sums: totals },
                { label: 'Still owed', sums: dues },
              ]}
            />
            <ShowMore query={invoices} />
          </div>
        )}
      </ListStates>
    </div>
  );
}
