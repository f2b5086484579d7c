import { Link, useSearchParams } from 'react-router';
import { useAllCustomers, usePayments } from '../api/queries.ts';
import { Icon } from '../components/Icon.tsx';
import { PaymentTable } from '../components/PaymentTable.tsx';
import { EmptyState, ErrorPanel, Money, PageHeader, Skeleton, useTitle } from '../components/ui.tsx';
import { sumByCurrency } from '../lib/decimal.ts';

export function PaymentsPage() {
  useTitle('Payments');
  const [params, setParams] = useSearchParams();
  const customerId = params.get('customerId') ?? '';
  const customers = useAllCustomers();
  const payments = usePayments({ customerId: customerId || undefined });
  const rows = payments.data?.pages.flatMap((page) => page.data) ?? [];
  const sums = sumByCurrency(rows, (p) => p.currency, (p) => p.amount);

  return (
    <div className="page">
      <PageHeader
        title="Payments"
        subtitle="Money received, the invoices it settled, and what went to customer credit."
        actions={
          <Link className="button button-primary" to={`/payments/new${customerId ? `?customerId=${customerId}` : ''}`}>
            <Icon name="plus" /> Record payment
          </Link>
        }
      />
      <div className="toolbar filters">
        <div className="filter">
          <label htmlFor="payments-customer">Customer</label>
          <select
            id="payments-customer"
            value={customerId}
            onChange={(event) => setParams(event.target.value ? { customerId: event.target.value } : {}, { replace: true })}
          >
            <option value="">All customers</option>
            {(customers.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {payments.isPending ? (
        <div className="panel">
          <Skeleton rows={5} />
        </div>
      ) : payments.isError ? (
        <ErrorPanel error={payments.error} retry={() => payments.refetch()} what="payments" />
      ) : rows.length === 0 ? (
        <EmptyState
          icon="coins"
          title={customerId ? 'No payments from this customer yet' : 'No payments yet'}
          action={
            <Link className="button button-primary" to={`/payments/new${customerId ? `?customerId=${customerId}` : ''}`}>
              Record a payment
            </Link>
          }
        >
          When money arrives, record it here and it settles the customer’s open invoices, oldest first or as you choose.
        </EmptyState>
      ) : (
        <div className="panel panel-flush">
          <PaymentTable payments={rows} hideCustomer={Boolean(customerId)} />
          <div className="table-summary">
            <span>
              {rows.length} {rows.length === 1 ? 'payment' : 'payments'}
              {payments.hasNextPage ? ' shown' : ''}
            </span>
            <span className="summary-figures">
              {sums.map((s) => (
                <span key={s.currency}>
                  Received <Money amount={s.amount} currency={s.currency} className="strong" />
                </span>
              ))}
            </span>
          </div>
          {payments.hasNextPage && (
            <div className="table-footer">
              <button type="button" className="button" onClick={() => payments.fetchNextPage()} disabled={payments.isFetchingNextPage}>
                {payments.isFetchingNextPage ? 'Loading…' : 'Show more'}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
