import { Link, useNavigate, useSearchParams } from 'react-router';
import { useState } from 'react';
import { useCustomers } from '../api/queries.ts';
import { Icon } from '../components/Icon.tsx';
import { EmptyState, ErrorPanel, Money, PageHeader, Skeleton, useTitle } from '../components/ui.tsx';
import { useDebounced } from '../lib/hooks.ts';
import { isZero } from '../lib/decimal.ts';

export function CustomersPage() {
  useTitle('Customers');
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('search') ?? '');
  const includeArchived = params.get('archived') === '1';
  const debounced = useDebounced(search.trim(), 250);
  const customers = useCustomers({ search: debounced || undefined, includeArchived });
  const rows = customers.data?.pages.flatMap((page) => page.data) ?? [];
  const filtering = Boolean(debounced) || includeArchived;
  // Balances come with the list when the server includes them; otherwise the column is left out.
  const withBalances = rows.some((customer) => customer.balance !== undefined);

  const updateParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <div className="page">
      <PageHeader
        title="Customers"
        subtitle="Who you bill, what they owe, and the credit they have with you."
        actions={
          <Link className="button button-primary" to="/customers/new">
            <Icon name="plus" /> New customer
          </Link>
        }
      />
      <div className="toolbar" role="search">
        <div className="search-field">
          <Icon name="search" />
          <label htmlFor="customer-search" className="sr-only">
            Search customers
          </label>
          <input
            id="customer-search"
            type="search"
            placeholder="Search by name, email or tax ID"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              updateParam('search', event.target.value || null);
            }}
          />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={includeArchived} onChange={(event) => updateParam('archived', event.target.checked ? '1' : null)} />
          Show archived
        </label>
      </div>

      {customers.isPending ? (
        <div className="panel">
          <Skeleton rows={6} />
        </div>
      ) : customers.isError ? (
        <ErrorPanel error={customers.error} retry={() => customers.refetch()} what="customers" />
      ) : rows.length === 0 ? (
        filtering ? (
          <EmptyState icon="people" title="No customers match">
            Try another name, or clear the search.
          </EmptyState>
        ) : (
          <EmptyState
            icon="people"
            title="No customers yet — add your first"
            action={
              <Link className="button button-primary" to="/customers/new">
                <Icon name="plus" /> New customer
              </Link>
            }
          >
            Customers carry their currency and payment terms to every invoice you draft for them.
          </EmptyState>
        )
      ) : (
        <div className="panel panel-flush">
          <table className="table table-clickable" aria-busy={customers.isFetching}>
            <caption className="sr-only">Customers</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="hide-phone">
                  Email
                </th>
                <th scope="col" className="hide-phone">
                  Terms
                </th>
                <th scope="col" className="hide-phone">
                  Currency
                </th>
                {withBalances && (
                  <>
                    <th scope="col" className="num">
                      Balance
                    </th>
                    <th scope="col" className="num hide-phone">
                      Credit
                    </th>
                  </>
                )}
              </tr>
            </thead>
            <tbody>
              {rows.map((customer) => (
                <tr key={customer.id} onClick={() => navigate(`/customers/${customer.id}`)}>
                  <td>
                    <Link to={`/customers/${customer.id}`} className="row-link" onClick={(e) => e.stopPropagation()}>
                      {customer.name}
                    </Link>
                    {customer.archivedAt && <span className="badge badge-void badge-inline">Archived</span>}
                    {customer.legalName && customer.legalName !== customer.name && <div className="cell-sub">{customer.legalName}</div>}
                  </td>
                  <td className="hide-phone muted">{customer.email ?? '—'}</td>
                  <td className="hide-phone muted">
                    {customer.paymentTermsType === 'end_of_month' ? `End of month + ${customer.paymentTermsDays}` : `Net ${customer.paymentTermsDays}`}
                  </td>
                  <td className="hide-phone muted">{customer.currency}</td>
                  {withBalances && (
                    <>
                      <td className="num">
                        {customer.balance === undefined ? (
                          <span className="muted">—</span>
                        ) : (
                          <Money amount={customer.balance} currency={customer.currency} className={isZero(customer.balance) ? 'muted' : 'strong'} />
                        )}
                      </td>
                      <td className="num hide-phone">
                        {customer.creditBalance && !isZero(customer.creditBalance) ? <Money amount={customer.creditBalance} currency={customer.currency} /> : <span className="muted">—</span>}
                      </td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {customers.hasNextPage && (
            <div className="table-footer">
              <button type="button" className="button" onClick={() => customers.fetchNextPage()} disabled={customers.isFetchingNextPage}>
                {customers.isFetchingNextPage ? 'Loading…' : 'Show more'}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
