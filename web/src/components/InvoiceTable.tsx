import { useCustomerNames } from '../api/queries.ts';
import type { Invoice } from '../api/types.ts';
import { useFormat } from '../lib/format.ts';
import { Dash, DataTable, RowLink } from './DataTable.tsx';
import { Money, StatusBadge } from './ui.tsx';

export function customerNameOf(invoice: Invoice, names: (id: string) => string): string {
  const snapshot = invoice.customer as { name?: string } | null;
  return snapshot?.name ?? names(invoice.customerId);
}

/** Invoices as a table; a row opens the invoice (drafts open in the editor). */
export function InvoiceTable({ invoices, hideCustomer = false }: { invoices: Invoice[]; hideCustomer?: boolean }) {
  const format = useFormat();
  const names = useCustomerNames();
  return (
    <DataTable
      caption="Invoices"
      rows={invoices}
      rowKey={(invoice) => invoice.id}
      rowHref={(invoice) => `/invoices/${invoice.id}`}
      columns={[
        { header: 'Number', cell: (invoice) => <RowLink to={`/invoices/${invoice.id}`}>{invoice.number ?? <span className="muted">Draft</span>}</RowLink> },
        !hideCustomer && { header: 'Customer', cell: (invoice) => customerNameOf(invoice, names) },
        { header: 'Issued', className: 'hide-phone', cell: (invoice) => (invoice.issueDate ? format.date(invoice.issueDate) : <Dash />) },
        { header: 'Due', className: 'hide-phone', cell: (invoice) => (invoice.dueDate ? format.date(invoice.dueDate) : <Dash />) },
        { header: 'Status', cell: (invoice) => <StatusBadge status={invoice.status} /> },
        { header: 'Total', className: 'num', cell: (invoice) => <Money amount={invoice.total} currency={invoice.currency} /> },
        {
          header: 'Due now',
          className: 'num hide-phone',
          cell: (invoice) => (invoice.status === 'draft' || invoice.status === 'void' ? <Dash /> : <Money amount={invoice.amountDue} currency={invoice.currency} />),
        },
      ]}
    />
  );
}
