import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useAllCustomers, useInvoices, type InvoiceFilter } from '../api/queries.ts';
import { INVOICE_STATUSES, type InvoiceStatus } from '../api/types.ts';
import { Icon } from '../components/Icon.tsx';
import { InvoiceTable } from '../components/InvoiceTable.tsx';
import { EmptyState, ErrorPanel, Money, PageHeader, Skeleton, useTitle } from '../components/ui.tsx';
import { sumByCurrency } from '../lib/decimal.ts';
import { STATUS_LABELS } from '../lib/format.ts';
import { useDebounced } from '../lib/hooks.ts';

export function InvoicesPage() {
  useTitle('Invoices');
  const [params, setParams] = useSearchParams();
  const customers = useAllCustomers();
  const status = (INVOICE_STATUSES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as InvoiceStatus) : '';
  const [search, setSearch] = useState(params.get('search') ?? '');
  const debouncedSearch = useDebounced(search.trim(), 250);
  const filter: InvoiceFilter = {
    status,
    customerId: params.get('customerId') ?? undefined,
    issuedFrom: params.get('from') ?? undefined,
    issuedTo: params.get('to') ?? undefined,
    search: debouncedSearch || undefined,
  };
  const invoices = useInvoices(filter);
  const rows = invoices.data?.pages.flatMap((page) => page.data) ?? [];
  const filtered = Boolean(status || filter.customerId || filter.issuedFrom || filter.issuedTo || filter.search);
  // Sums of what is listed, exact (bigint decimals): issued invoices, what is owed on them, drafts apart.
  const issued = rows.filter((r) => r.status !== 'void' && r.status !== 'draft');
  const totals = sumByCurrency(issued, (r) => r.currency, (r) => r.total);
  const dues = sumByCurrency(issued, (r) => r.currency, (r) => r.amountDue);
  const drafts = sumByCurrency(rows.filter((r) => r.status === 'draft'), (r) => r.currency, (r) => r.total);

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <div className="page">
      <PageHeader
        title="Invoices"
        subtitle="Drafts, issued invoices and what is still owed on them."
        actions={
          <Link className="button button-primary" to="/invoices/new">
            <Icon name="plus" /> New invoice
          </Link>
        }
      />
      <nav className="tabs" aria-label="Filter by status">
        {(['', ...INVOICE_STATUSES] as Array<InvoiceStatus | ''>).map((s) => (
          <button key={s || 'all'} type="button" className={`tab${status === s ? ' active' : ''}`} aria-pressed={status === s} onClick={() => setParam('status', s)}>
            {s ? STATUS_LABELS[s] : 'All'}
          </button>
        ))}
      </nav>
      <div className="toolbar filters" role="search" aria-label="Filter invoices">
        <div className="search-field">
          <Icon name="search" />
          <label htmlFor="invoice-search" className="sr-only">
            Search invoices
          </label>
          <input
            id="invoice-search"
            type="search"
            placeholder="Number, customer or reference"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              setParam('search', event.target.value);
            }}
          />
        </div>
        <div className="filter">
          <label htmlFor="filter-customer">Customer</label>
          <select id="filter-customer" value={filter.customerId ?? ''} onChange={(event) => setParam('customerId', event.target.value)}>
            <option value="">All customers</option>
            {(customers.data ?? []).map((customer) => (
              <option key={customer.id} value={customer.id}>
                {customer.name}
              </option>
            ))}
          </select>
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
          <button
            type="button"
            className="button button-ghost"
            onClick={() => {
              setSearch('');
              setParams(new URLSearchParams(), { replace: true });
            }}
          >
            Clear filters
          </button>
        )}
      </div>

      {invoices.isPending ? (
        <div className="panel">
          <Skeleton rows={6} />
        </div>
      ) : invoices.isError ? (
        <ErrorPanel error={invoices.error} retry={() => invoices.refetch()} what="invoices" />
      ) : rows.length === 0 ? (
        filtered ? (
          <EmptyState title="No invoices match these filters">Change or clear the filters to see more.</EmptyState>
        ) : (
          <EmptyState
            title="No invoices yet — create your first"
            action={
              <Link className="button button-primary" to="/invoices/new">
                <Icon name="plus" /> New invoice
              </Link>
            }
          >
            Draft it, check the totals the server calculates as you type, then issue it to give it its number.
          </EmptyState>
        )
      ) : (
        <div className="panel panel-flush">
          <InvoiceTable invoices={rows} />
          <div className="table-summary" aria-live="polite">
            <span>
              {rows.length} {rows.length === 1 ? 'invoice' : 'invoices'}
              {invoices.hasNextPage ? ' shown' : ''}
            </span>
            <span className="summary-figures">
              {drafts.map((d) => (
                <span key={`draft-${d.currency}`}>
                  In drafts <Money amount={d.amount} currency={d.currency} className="strong" />
                </span>
              ))}
              {totals.map((t) => (
                <span key={`total-${t.currency}`}>
                  Invoiced <Money amount={t.amount} currency={t.currency} className="strong" />
                </span>
              ))}
              {dues.map((d) => (
                <span key={`due-${d.currency}`}>
                  Still owed <Money amount={d.amount} currency={d.currency} className="strong" />
                </span>
              ))}
            </span>
          </div>
          {invoices.hasNextPage && (
            <div className="table-footer">
              <button type="button" className="button" onClick={() => invoices.fetchNextPage()} disabled={invoices.isFetchingNextPage}>
                {invoices.isFetchingNextPage ? 'Loading…' : 'Show more'}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
