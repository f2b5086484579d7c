import { Fragment } from 'react';
import { Link } from 'react-router';
import { useCustomerNames } from '../api/queries.ts';
import type { Payment } from '../api/types.ts';
import { isZero } from '../lib/decimal.ts';
import { METHOD_LABELS, useFormat } from '../lib/format.ts';
import { Money } from './ui.tsx';

export function PaymentTable({ payments, hideCustomer = false }: { payments: Payment[]; hideCustomer?: boolean }) {
  const format = useFormat();
  const names = useCustomerNames();
  return (
    <table className="table">
      <caption className="sr-only">Payments</caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          {!hideCustomer && <th scope="col">Customer</th>}
          <th scope="col" className="hide-phone">
            Method
          </th>
          <th scope="col" className="hide-phone">
            Applied to
          </th>
          <th scope="col" className="num">
            Amount
          </th>
          <th scope="col" className="num hide-phone">
            To credit
          </th>
        </tr>
      </thead>
      <tbody>
        {payments.map((payment) => (
          <tr key={payment.id}>
            <td>
              {format.date(payment.date)}
              {payment.reference && <div className="cell-sub">{payment.reference}</div>}
            </td>
            {!hideCustomer && (
              <td>
                <Link to={`/customers/${payment.customerId}`}>{names(payment.customerId)}</Link>
              </td>
            )}
            <td className="hide-phone">{METHOD_LABELS[payment.method] ?? payment.method}</td>
            <td className="hide-phone">
              {payment.allocations.length === 0 ? (
                <span className="muted">—</span>
              ) : (
                payment.allocations.map((allocation, index) => (
                  <Fragment key={allocation.invoiceId}>
                    {index > 0 && ', '}
                    <Link to={`/invoices/${allocation.invoiceId}`}>{allocation.invoiceNumber}</Link>
                  </Fragment>
                ))
              )}
            </td>
            <td className="num">
              <Money amount={payment.amount} currency={payment.currency} className="strong" />
            </td>
            <td className="num hide-phone">{isZero(payment.unallocated) ? <span className="muted">—</span> : <Money amount={payment.unallocated} currency={payment.currency} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
