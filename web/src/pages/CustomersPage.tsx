import { Link } from 'react-router';
import { useCustomers } from '../api/queries.ts';
import type { Customer } from '../api/types.ts';
import { Dash, DataTable, RowLink } from '../components/DataTable.tsx';
import { Icon } from '../components/Icon.tsx';
import { ListStates, SearchField, ShowMore } from '../components/lists.tsx';
import { EmptyState, Money, PageHeader, useTitle } from '../components/ui.tsx';
import { isZero } from '../lib/decimal.ts';
import { useUrlFilters } from '../lib/hooks.ts';

export function CustomersPage() {
  useTitle('Customers');
  const { params, setParam, search, setSearch, debouncedSearch } = useUrlFilters();
  const includeArchived = params.get('archived') === '1';
  const customers = useCustomers({ search: debouncedSearch || undefined, includeArchived });
  const filtering = Boolean(debouncedSearch) || includeArchived;
  // Balances come with the list when the server includes them; otherwise the column is left out.
  const withBalances = customers.rows.some((customer) => customer.balance !== undefined);
  const newCustomer = (
    <Link className="button button-primary" to="/customers/new">
      <Icon name="plus" /> New customer
    </Link>
  );

  return (
    <div className="page">
      <PageHeader title="Customers" subtitle="Who you bill, what they owe, and the credit they have with you." actions={newCustomer} />
      <div className="toolbar" role="search">
        <SearchField id="customer-search" label="Search customers" placeholder="Search by name, email or tax ID" value={search} onChange={setSearch} />
        <label className="checkbox">
          <input type="checkbox" checked={includeArchived} onChange={(event) => setParam('archived', event.target.checked ? '1' : null)} />
          Show archived
        </label>
      </div>

      <ListStates
        query={customers}
        rows={customers.rows}
        what="customers"
        skeletonRows={6}
        framed
        empty={
          filtering ? (
            <EmptyState icon="people" title="No customers match">
              Try another name, or clear the search.
            </EmptyState>
          ) : (
            <EmptyState icon="people" title="No customers yet — add your first" action={newCustomer}>
              Customers carry their currency and payment terms to every invoice you draft for them.
            </EmptyState>
          )
        }
      >
        {(rows) => (
          <div className="panel panel-flush">
            <DataTable<Customer>
              caption="Customers"
              rows={rows}
              rowKey={(customer) => customer.id}
              rowHref={(customer) => `/customers/${customer.id}`}
              busy={customers.isFetching}
              columns={[
                {
                  header: 'Name',
                  cell: (customer) => (
                    <>
                      <RowLink to={`/customers/${customer.id}`}>{customer.name}</RowLink>
                      {customer.archivedAt && <span className="badge badge-void badge-inline">Archived</span>}
                      {customer.legalName && customer.legalName !== customer.name && <div className="cell-sub">{customer.legalName}</div>}
                    </>
                  ),
                },
                { header: 'Email', className: 'hide-phone', cellClassName: 'muted', cell: (customer) => customer.email ?? '—' },
                {
                  header: 'Terms',
                  className: 'hide-phone',
                  cellClassName: 'muted',
                  cell: (customer) => (customer.paymentTermsType === 'end_of_month' ? `End of month + ${customer.paymentTermsDays}` : `Net ${customer.paymentTermsDays}`),
                },
                { header: 'Currency', className: 'hide-phone', cellClassName: 'muted', cell: (customer) => customer.currency },
                withBalances && {
                  header: 'Balance',
                  className: 'num',
                  cell: (customer) =>
                    customer.balance === undefined ? (
                      <Dash />
                    ) : (
                      <Money amount={customer.balance} currency={customer.currency} className={isZero(customer.balance) ? 'muted' : 'strong'} />
                    ),
                },
                withBalances && {
                  header: 'Credit',
                  className: 'num hide-phone',
                  cell: (customer) =>
                    customer.creditBalance && !isZero(customer.creditBalance) ? <Money amount={customer.creditBalance} currency={customer.currency} /> : <Dash />,
                },
              ]}
            />
            <ShowMore query={customers} />
          </div>
        )}
      </ListStates>
    </div>
  );
}
