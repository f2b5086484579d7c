import { Link, useNavigate } from 'react-router';
import { useCustomerNames } from '../api/queries.ts';
import type { Invoice } from '../api/types.ts';
import { useFormat } from '../lib/format.ts';
import { Money, StatusBadge } from './ui.tsx';

export function customerNameOf(invoice: Invoice, names: (id: string) => string): string {
  const snapshot = invoice.customer as { name?: string } | null;
  return snapshot?.name ?? names(invoice.customerId);
}

/** Invoices as a table; a row opens the invoice (drafts open in the editor). */
export function InvoiceTable({ invoices, hideCustomer = false }: { invoices: Invoice[]; hideCustomer?: boolean }) {
  const format = useFormat();
  const navigate = useNavigate();
  const names = useCustomerNames();
  return (
    <table className="table table-clickable">
      <caption className="sr-only">Invoices</caption>
      <thead>
        <tr>
          <th scope="col">Number</th>
          {!hideCustomer && <th scope="col">Customer</th>}
          <th scope="col" className="hide-phone">
            Issued
          </th>
          <th scope="col" className="hide-phone">
            Due
          </th>
          <th scope="col">Status</th>
          <th scope="col" className="num">
            Total
          </th>
          <th scope="col" className="num hide-phone">
            Due now
          </th>
        </tr>
      </thead>
      <tbody>
        {invoices.map((invoice) => (
          <tr key={invoice.id} onClick={() => navigate(`/invoices/${invoice.id}`)}>
            <td>
              <Link to={`/invoices/${invoice.id}`} className="row-link" onClick={(event) => event.stopPropagation()}>
                {invoice.number ?? <span className="muted">Draft</span>}
              </Link>
            </td>
            {!hideCustomer && <td>{customerNameOf(invoice, names)}</td>}
            <td className="hide-phone">{invoice.issueDate ? format.date(invoice.issueDate) : <span className="muted">—</span>}</td>
            <td className="hide-phone">{invoice.dueDate ? format.date(invoice.dueDate) : <span className="muted">—</span>}</td>
            <td>
              <StatusBadge status={invoice.status} />
            </td>
            <td className="num">
              <Money amount={invoice.total} currency={invoice.currency} />
            </td>
            <td className="num hide-phone">
              {invoice.status === 'draft' || invoice.status === 'void' ? (
                <span className="muted">—</span>
              ) : (
                <Money amount={invoice.amountDue} currency={invoice.currency} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
