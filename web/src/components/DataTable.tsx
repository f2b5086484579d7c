import type { MouseEvent, ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';

export type Column<T> = {
  header: ReactNode;
  /** Classes of the header and of every cell ("num", "hide-phone"). */
  className?: string;
  /** Classes of the cells only ("muted"). */
  cellClassName?: string;
  /** The cells name their row (<th scope="row">). */
  rowHeader?: boolean;
  cell: (row: T) => ReactNode;
};

/**
 * A table of rows by columns. `false` or `null` columns are left out (columns shown only
 * sometimes). With `rowHref` a click anywhere on a row opens it; put a RowLink in one cell for
 * keyboards and screen readers.
 */
export function DataTable<T>({ caption, columns, rows, rowKey, rowHref, rowClassName, className, busy }: {
  caption?: string;
  columns: Array<Column<T> | false | null>;
  rows: T[];
  rowKey: (row: T) => string;
  rowHref?: (row: T) => string;
  rowClassName?: (row: T) => string | undefined;
  className?: string;
  busy?: boolean;
}) {
  const navigate = useNavigate();
  const shown = columns.filter((column): column is Column<T> => Boolean(column));
  const tableClass = ['table', rowHref ? 'table-clickable' : null, className].filter(Boolean).join(' ');
  return (
    <table className={tableClass} aria-busy={busy}>
      {caption && <caption className="sr-only">{caption}</caption>}
      <thead>
        <tr>
          {shown.map((column, index) => (
            <th key={index} scope="col" className={column.className}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} className={rowClassName?.(row)} onClick={rowHref ? () => navigate(rowHref(row)) : undefined}>
            {shown.map((column, index) => {
              const cellClass = [column.className, column.cellClassName].filter(Boolean).join(' ') || undefined;
              return column.rowHeader ? (
                <th key={index} scope="row" className={cellClass}>
                  {column.cell(row)}
                </th>
              ) : (
                <td key={index} className={cellClass}>
                  {column.cell(row)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The link of a clickable row: its own click is not the row's too. */
export function RowLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link to={to} className="row-link" onClick={(event: MouseEvent) => event.stopPropagation()}>
      {children}
    </Link>
  );
}

/** A cell's "nothing here". */
export function Dash() {
  return <span className="muted">—</span>;
}
