import type { ReactNode } from 'react';
import { Icon } from './Icon.tsx';
import { ErrorPanel, Money, Skeleton } from './ui.tsx';

type Loadable = { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };

/**
 * A loaded list's states: a skeleton while it loads (in a panel when `framed`), the error with a
 * retry (or `errorView`), `empty` when there are no rows, else `children(rows)`.
 */
export function ListStates<T>({ query, rows, what, empty, skeletonRows = 3, framed = false, errorView, children }: {
  query: Loadable;
  rows: T[] | undefined;
  /** What failed to load, for the error: "invoices". */
  what: string;
  empty: ReactNode;
  skeletonRows?: number;
  framed?: boolean;
  errorView?: ReactNode;
  children: (rows: T[]) => ReactNode;
}) {
  if (query.isPending) {
    const skeleton = <Skeleton rows={skeletonRows} />;
    return framed ? <div className="panel">{skeleton}</div> : skeleton;
  }
  if (query.isError) return <>{errorView ?? <ErrorPanel error={query.error} retry={() => void query.refetch()} what={what} />}</>;
  if (!rows || rows.length === 0) return <>{empty}</>;
  return <>{children(rows)}</>;
}

/** "Show more" below a paged list, while the API has more pages. */
export function ShowMore({ query }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  if (!query.hasNextPage) return null;
  return (
    <div className="table-footer">
      <button type="button" className="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
        {query.isFetchingNextPage ? 'Loading…' : 'Show more'}
      </button>
    </div>
  );
}

/** The line below a table: how many rows, and sums of what they list, per currency. */
export function TableSummary({ count, noun, partial, figures }: {
  count: number;
  /** Singular and plural: ['invoice', 'invoices']. */
  noun: [string, string];
  /** More rows than these exist. */
  partial: boolean;
  figures: Array<{ label: string; sums: Array<{ currency: string; amount: string }> }>;
}) {
  return (
    <div className="table-summary" aria-live="polite">
      <span>
        {count} {count === 1 ? noun[0] : noun[1]}
        {partial ? ' shown' : ''}
      </span>
      <span className="summary-figures">
        {figures.flatMap(({ label, sums }) =>
          sums.map((sum) => (
            <span key={`${label}-${sum.currency}`}>
              {label} <Money amount={sum.amount} currency={sum.currency} className="strong" />
            </span>
          )),
        )}
      </span>
    </div>
  );
}

export function SearchField({ id, label, placeholder, value, onChange }: { id: string; label: string; placeholder: string; value: string; onChange: (text: string) => void }) {
  return (
    <div className="search-field">
      <Icon name="search" />
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input id={id} type="search" placeholder={placeholder} value={value} onChange={(event) => onChange(event.target.value)} />
    </div>
  );
}
