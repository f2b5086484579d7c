import { Link } from 'react-router';
import { usePayments } from '../api/queries.ts';
import { CustomerSelect } from '../components/fields.tsx';
import { Icon } from '../components/Icon.tsx';
import { ListStates, ShowMore, TableSummary } from '../components/lists.tsx';
import { PaymentTable } from '../components/PaymentTable.tsx';
import { EmptyState, PageHeader, useTitle } from '../components/ui.tsx';
import { sumByCurrency } from '../lib/decimal.ts';
import { useUrlFilters } from '../lib/hooks.ts';

export function PaymentsPage() {
  useTitle('Payments');
  const { params, setParam } = useUrlFilters();
  const customerId = params.get('customerId') ?? '';
  const payments = usePayments({ customerId: customerId || undefined });
  const recordLink = `/payments/new${customerId ? `?customerId=${customerId}` : ''}`;

  return (
    <div className="page">
      <PageHeader
        title="Payments"
        subtitle="Money received, the invoices it settled, and what went to customer credit."
        actions={
          <Link className="button button-primary" to={recordLink}>
            <Icon name="plus" /> Record payment
          </Link>
        }
      />
      <div className="toolbar filters">
        <div className="filter">
          <label htmlFor="payments-customer">Customer</label>
          <CustomerSelect id="payments-customer" placeholder="All customers" includeArchived value={customerId} onChange={(event) => setParam('customerId', event.target.value)} />
        </div>
      </div>
      <ListStates
        query={payments}
        rows={payments.rows}
        what="payments"
        skeletonRows={5}
        framed
        empty={
          <EmptyState
            icon="coins"
            title={customerId ? 'No payments from this customer yet' : 'No payments yet'}
            action={
              <Link className="button button-primary" to={recordLink}>
                Record a payment
              </Link>
            }
          >
            When money arrives, record it here and it settles the customer’s open invoices, oldest first or as you choose.
          </EmptyState>
        }
      >
        {(rows) => (
          <div className="panel panel-flush">
            <PaymentTable payments={rows} hideCustomer={Boolean(customerId)} />
            <TableSummary
              count={rows.length}
              noun={['payment', 'payments']}
              partial={payments.hasNextPage}
              figures={[{ label: 'Received', sums: sumByCurrency(rows, (p) => p.currency, (p) => p.amount) }]}
            />
            <ShowMore query={payments} />
          </div>
        )}
      </ListStates>
    </div>
  );
}
