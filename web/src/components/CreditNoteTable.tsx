import { Link } from 'react-router';
import type { CreditNote } from '../api/types.ts';
import { isZero } from '../lib/decimal.ts';
import { useFormat, type Formatter } from '../lib/format.ts';
import { DataTable } from './DataTable.tsx';
import { Money } from './ui.tsx';

/** What a credit note credits: "2 hour Consulting; 1 Travel", or that it credits an amount. */
export function creditedText(note: CreditNote, format: Formatter): string {
  const byLine = note.lines.filter((line) => line.invoiceLineId);
  if (byLine.length === 0) return 'An amount, across the invoice’s tax rates';
  return byLine.map((line) => `${format.number(line.quantity)}${line.unit ? ` ${line.unit}` : ''} × ${line.description}`).join('; ');
}

/**
 * Credit notes as a table. On a customer each number opens its invoice; on the invoice itself
 * (`onInvoice`) the table says what each one credited and what went to customer credit.
 */
export function CreditNoteTable({ notes, onInvoice = false }: { notes: CreditNote[]; onInvoice?: boolean }) {
  const format = useFormat();
  return (
    <DataTable
      caption="Credit notes"
      rows={notes}
      rowKey={(note) => note.id}
      columns={[
        {
          header: 'Number',
          cell: (note) => (
            <>
              {onInvoice ? <span className="strong">{note.number}</span> : <Link to={`/invoices/${note.invoiceId}`}>{note.number}</Link>}
              <div className="cell-sub show-phone">{format.date(note.issueDate)}</div>
            </>
          ),
        },
        { header: 'Date', className: 'hide-phone', cell: (note) => format.date(note.issueDate) },
        onInvoice
          ? {
              header: 'Credits',
              cell: (note) => (
                <>
                  {creditedText(note, format)}
                  {note.reason && <div className="cell-sub">{note.reason}</div>}
                </>
              ),
            }
          : { header: 'Reason', className: 'hide-phone', cellClassName: 'muted', cell: (note) => note.reason ?? '—' },
        {
          header: 'Total',
          className: 'num',
          cell: (note) => (
            <>
              <Money amount={note.total} currency={note.currency} />
              {onInvoice && !isZero(note.creditedToCustomer) && (
                <div className="cell-sub">
                  <Money amount={note.creditedToCustomer} currency={note.currency} /> to customer credit
                </div>
              )}
            </>
          ),
        },
      ]}
    />
  );
}
