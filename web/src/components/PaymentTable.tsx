import { Fragment } from 'react';
import { Link } from 'react-router';
import { useCustomerNames } from '../api/queries.ts';
import type { Payment } from '../api/types.ts';
import { isZero } from '../lib/decimal.ts';
import { METHOD_LABELS, useFormat } from '../lib/format.ts';
import { Dash, DataTable } from './DataTable.tsx';
import { Money } from './ui.tsx';

export function PaymentTable({ payments, hideCustomer = false }: { payments: Payment[]; hideCustomer?: boolean }) {
  const format = useFormat();
  const names = useCustomerNames();
  return (
    <DataTable
      caption="Payments"
      rows={payments}
      rowKey={(payment) => payment.id}
      columns={[
        {
          header: 'Date',
          cell: (payment) => (
            <>
              {format.date(payment.date)}
              {payment.reference && <div className="cell-sub">{payment.reference}</div>}
            </>
          ),
        },
        !hideCustomer && { header: 'Customer', cell: (payment) => <Link to={`/customers/${payment.customerId}`}>{names(payment.customerId)}</Link> },
        { header: 'Method', className: 'hide-phone', cell: (payment) => METHOD_LABELS[payment.method] ?? payment.method },
        {
          header: 'Applied to',
          className: 'hide-phone',
          cell: (payment) =>
            payment.allocations.length === 0 ? (
              <Dash />
            ) : (
              payment.allocations.map((allocation, index) => (
                <Fragment key={allocation.invoiceId}>
                  {index > 0 && ', '}
                  <Link to={`/invoices/${allocation.invoiceId}`}>{allocation.invoiceNumber}</Link>
                </Fragment>
              ))
            ),
        },
        { header: 'Amount', className: 'num', cell: (payment) => <Money amount={payment.amount} currency={payment.currency} className="strong" /> },
        {
          header: 'To credit',
          className: 'num hide-phone',
          cell: (payment) => (isZero(payment.unallocated) ? <Dash /> : <Money amount={payment.unallocated} currency={payment.currency} />),
        },
      ]}
    />
  );
}
