import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { ApiError, fieldErrorsOf, get, post } from '../api/client.ts';
import type { Quote } from '../api/quotes.ts';
import type { InvoiceLine } from '../api/types.ts';
import { DataTable } from '../components/DataTable.tsx';
import { InvoiceTotals } from '../components/InvoiceTotals.tsx';
import { AuthFrame } from '../components/Layout.tsx';
import { DefinitionList, Field, Form, FormError, Loading, Money, useTitle } from '../components/ui.tsx';
import { browserLocale, createFormatter, FormatContext } from '../lib/format.ts';

// The customer's view of a sent quote, through the link's token: no sign-in (src/http/routes/quotes.ts).

type PublicLine = Omit<InvoiceLine, 'id' | 'itemId' | 'taxRateIds'>;
export type PublicQuote = Omit<Quote, 'id' | 'customerId' | 'lines' | 'convertedInvoiceId' | 'createdAt'> & {
  organizationName: string;
  customerName: string;
  terms: string | null;
  notes: string | null;
  lines: PublicLine[];
};

export function PublicQuotePage() {
  const { token = '' } = useParams();
  const path = `/v1/public/quotes/${encodeURIComponent(token)}`;
  const client = useQueryClient();
  const key = ['public-quote', token];
  const quote = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => get<PublicQuote>(path, { signal, quiet401: true }),
    retry: false,
  });
  const [mode, setMode] = useState<'view' | 'accept' | 'decline'>('view');
  const [name, setName] = useState('');
  const [reason, setReason] = useState('');
  const onAnswered = (q: PublicQuote) => {
    client.setQueryData(key, q);
    setMode('view');
  };
  const accept = useMutation({ mutationFn: () => post<PublicQuote>(`${path}/accept`, { name: name.trim() }, { quiet401: true }), onSuccess: onAnswered });
  const decline = useMutation({
    mutationFn: () => post<PublicQuote>(`${path}/decline`, { reason: reason.trim() || null }, { quiet401: true }),
    onSuccess: onAnswered,
  });
  const currency = quote.data?.currency ?? 'EUR';
  const format = useMemo(() => createFormatter(browserLocale(), 'UTC', currency), [currency]);
  useTitle(quote.data ? `Quote ${quote.data.number ?? ''} from ${quote.data.organizationName}` : 'Quote');

  if (quote.isPending) {
    return (
      <AuthFrame title="Quote">
        <Loading label="Opening the quote…" />
      </AuthFrame>
    );
  }
  if (quote.isError) {
    const notFound = quote.error instanceof ApiError && quote.error.status === 404;
    return (
      <AuthFrame title={notFound ? 'Quote not found' : 'We couldn’t open this quote'}>
        <p className="auth-subtitle" role="alert">
          {notFound
            ? 'This link is not valid. Check that you copied all of it, or ask the sender for a new link.'
            : quote.error instanceof ApiError
              ? quote.error.detail
              : 'Try again in a moment.'}
        </p>
        {!notFound && (
          <button type="button" className="button button-block" onClick={() => void quote.refetch()}>
            Try again
          </button>
        )}
      </AuthFrame>
    );
  }

  const q = quote.data;
  const c = q.currency;
  const answerError = accept.error ?? decline.error;
  return (
    <FormatContext.Provider value={format}>
      <AuthFrame
        wide
        title={`Quote ${q.number ?? ''}${q.title ? `: ${q.title}` : ''}`}
        subtitle={
          <>
            From <strong>{q.organizationName}</strong> for <strong>{q.customerName}</strong>
          </>
        }
      >
        <QuoteState quote={q} formatDate={format.date} formatDateTime={format.dateTime} />
        <DefinitionList
          items={[
            ['Quote number', q.number ?? '—'],
            q.title !== null && ['Title', q.title],
            ['Valid until', q.validUntil ? format.date(q.validUntil) : 'No end date'],
          ]}
        />
        <div className="table-scroll">
          <DataTable<PublicLine>
            caption="Lines"
            className="table-rowheads"
            rows={q.lines}
            rowKey={(line) => String(line.position)}
            columns={[
              { header: 'Description', rowHeader: true, cell: (line) => line.description },
              { header: 'Quantity', className: 'num', cell: (line) => format.number(line.quantity) },
              { header: 'Unit price', className: 'num hide-phone', cell: (line) => <Money amount={line.unitPrice} currency={c} /> },
              { header: 'Amount', className: 'num', cell: (line) => <Money amount={line.amount} currency={c} /> },
            ]}
          />
        </div>
        <InvoiceTotals totals={q} className="totals document-totals" />
        {q.notes && (
          <section aria-labelledby="quote-notes">
            <h2 id="quote-notes">Notes</h2>
            <p style={{ whiteSpace: 'pre-line' }}>{q.notes}</p>
          </section>
        )}
        {q.terms && (
          <section aria-labelledby="quote-terms">
            <h2 id="quote-terms">Terms</h2>
            <p style={{ whiteSpace: 'pre-line' }}>{q.terms}</p>
          </section>
        )}

        {q.status === 'sent' && mode === 'view' && (
          <div className="form-actions" style={{ display: 'flex', gap: 'var(--space-3)', flexWrap: 'wrap' }}>
            <button type="button" className="button button-primary button-large" onClick={() => setMode('accept')}>
              Accept
            </button>
            <button type="button" className="button button-large" onClick={() => setMode('decline')}>
              Decline
            </button>
          </div>
        )}
        {q.status === 'sent' && mode === 'accept' && (
          <Form className="form" aria-label="Accept the quote" onSubmit={() => accept.mutate()}>
            <Field label="Your name" error={fieldErrorsOf(accept.error).name} hint={`You accept this quote on behalf of ${q.customerName}.`}>
              <input name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus />
            </Field>
            <FormError error={answerError} fields={['name']} />
            <button type="submit" className="button button-primary button-large button-block" disabled={accept.isPending || !name.trim()}>
              {accept.isPending ? 'Accepting…' : 'Accept quote'}
            </button>
            <button type="button" className="button button-block" onClick={() => setMode('view')}>
              Back
            </button>
          </Form>
        )}
        {q.status === 'sent' && mode === 'decline' && (
          <Form className="form" aria-label="Decline the quote" onSubmit={() => decline.mutate()}>
            <Field label="Reason" optional error={fieldErrorsOf(decline.error).reason}>
              <textarea name="reason" rows={3} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
            </Field>
            <FormError error={answerError} fields={['reason']} />
            <button type="submit" className="button button-danger button-large button-block" disabled={decline.isPending}>
              {decline.isPending ? 'Declining…' : 'Decline quote'}
            </button>
            <button type="button" className="button button-block" onClick={() => setMode('view')}>
              Back
            </button>
          </Form>
        )}
      </AuthFrame>
    </FormatContext.Provider>
  );
}

function QuoteState({ quote: q, formatDate, formatDateTime }: { quote: PublicQuote; formatDate: (d: string | null) => string; formatDateTime: (d: string | null) => string }) {
  if (q.status === 'accepted' || q.status === 'converted') {
    return (
      <p className="alert alert-muted" role="status">
        Accepted{q.acceptedByName ? ` by ${q.acceptedByName}` : ''}
        {q.acceptedAt ? ` on ${formatDateTime(q.acceptedAt)}` : ''}. Thank you!
      </p>
    );
  }
  if (q.status === 'declined') {
    return (
      <p className="alert alert-muted" role="status">
        Declined{q.declinedAt ? ` on ${formatDateTime(q.declinedAt)}` : ''}
        {q.declinedReason ? `: ${q.declinedReason}` : '.'}
      </p>
    );
  }
  if (q.status === 'expired') {
    return (
      <p className="alert alert-muted" role="status">
        This quote expired{q.validUntil ? ` on ${formatDate(q.validUntil)}` : ''} and can no longer be accepted. Ask {q.organizationName} for a new one.
      </p>
    );
  }
  return null;
}
