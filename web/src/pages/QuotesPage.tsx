import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, fieldErrorsOf, post } from '../api/client.ts';
import { useCustomerNames, useInvoice } from '../api/queries.ts';
import { convertQuoteToInvoice, convertQuoteToProject, QUOTE_STATUS_LABELS, useQuote, useQuotes, type Quote, type QuoteStatus } from '../api/quotes.ts';
import type { InvoiceLine } from '../api/types.ts';
import { useProject } from '../api/work.ts';
import { DataTable, RowLink } from '../components/DataTable.tsx';
import { CustomerSelect } from '../components/fields.tsx';
import { Icon } from '../components/Icon.tsx';
import { InvoiceTotals } from '../components/InvoiceTotals.tsx';
import { ListStates } from '../components/lists.tsx';
import { blankPriceLine, PriceLines, priceLinesReady, type PriceLineDraft } from '../components/PriceLines.tsx';
import { DefinitionList, Dialog, DialogActions, EmptyState, ErrorAlert, ErrorPanel, Field, Form, FormError, Money, PageHeader, PanelSection, Skeleton, useTitle } from '../components/ui.tsx';
import { subtractDecimal } from '../lib/decimal.ts';
import { toApiDecimal, useFormat } from '../lib/format.ts';
import { useToast } from '../lib/toast.tsx';

const BADGE: Record<QuoteStatus, string> = { draft: 'draft', sent: 'open', accepted: 'paid', declined: 'overdue', expired: 'void', converted: 'paid' };

function QuoteStatusBadge({ status }: { status: QuoteStatus }) {
  return <span className={`badge badge-${BADGE[status] ?? 'draft'}`}>{QUOTE_STATUS_LABELS[status] ?? status}</span>;
}

const quoteName = (q: Pick<Quote, 'number' | 'title'>) => q.number ?? (q.title ? `Draft: ${q.title}` : 'Draft quote');

/** /quotes — offers to customers, newest first. */
export function QuotesPage() {
  useTitle('Quotes');
  const quotes = useQuotes();
  const customerName = useCustomerNames();
  const format = useFormat();
  const newQuote = (
    <Link className="button button-primary" to="/quotes/new">
      <Icon name="plus" /> New quote
    </Link>
  );
  return (
    <div className="page">
      <PageHeader title="Quotes" subtitle="Offers your customers accept through a link, then invoiced." actions={newQuote} />
      <ListStates
        query={quotes}
        rows={quotes.data}
        what="quotes"
        framed
        skeletonRows={5}
        empty={
          <EmptyState icon="doc" title="No quotes yet — create your first" action={newQuote}>
            A quote lists what you offer. Send it, and the customer accepts or declines it through a link.
          </EmptyState>
        }
      >
        {(rows) => (
          <div className="panel panel-flush">
            <DataTable<Quote>
              caption="Quotes"
              rows={rows}
              rowKey={(q) => q.id}
              rowHref={(q) => `/quotes/${q.id}`}
              busy={quotes.isFetching}
              columns={[
                {
                  header: 'Quote',
                  cell: (q) => (
                    <>
                      <RowLink to={`/quotes/${q.id}`}>{quoteName(q)}</RowLink>
                      <div className="cell-sub">{customerName(q.customerId)}</div>
                    </>
                  ),
                },
                {
                  header: 'Status',
                  cell: (q) => (
                    <>
                      <QuoteStatusBadge status={q.status} />
                      {q.convertedInvoiceId && (
                        <div className="cell-sub">
                          <RowLink to={`/invoices/${q.convertedInvoiceId}`}>Open invoice</RowLink>
                        </div>
                      )}
                      {q.convertedProjectId && (
                        <div className="cell-sub">
                          <RowLink to={`/projects/${q.convertedProjectId}`}>Open project</RowLink>
                        </div>
                      )}
                    </>
                  ),
                },
                { header: 'Valid until', className: 'hide-phone', cellClassName: 'muted', cell: (q) => (q.validUntil ? format.date(q.validUntil) : '—') },
                { header: 'Total', className: 'num', cell: (q) => <Money amount={q.total} currency={q.currency} /> },
              ]}
            />
          </div>
        )}
      </ListStates>
    </div>
  );
}

/** /quotes/new — a draft quote: customer, title, lines. */
export function QuoteFormPage() {
  useTitle('New quote');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const format = useFormat();
  const toast = useToast();
  const client = useQueryClient();
  const [customerId, setCustomerId] = useState(params.get('customerId') ?? '');
  const [title, setTitle] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [lines, setLines] = useState<PriceLineDraft[]>(() => [blankPriceLine()]);
  const dec = (text: string) => toApiDecimal(text, format.locale);
  const create = useMutation({
    mutationFn: () =>
      post<Quote>('/v1/quotes', {
        customerId,
        title: title.trim() || null,
        validUntil: validUntil || null,
        lines: lines.map((line) => ({ description: line.description.trim(), unitPrice: dec(line.unitPrice), quantity: dec(line.quantity) })),
      }),
    onSuccess: async (quote) => {
      await client.invalidateQueries({ queryKey: ['quotes'] });
      toast('Draft quote created');
      navigate(`/quotes/${quote.id}`);
    },
  });
  const errors = fieldErrorsOf(create.error);
  return (
    <div className="page page-narrow">
      <PageHeader title="New quote" back={{ to: '/quotes', label: 'Quotes' }} />
      <Form className="form panel" onSubmit={() => create.mutate()}>
        <fieldset className="form-section">
          <legend>Quote</legend>
          <Field label="Customer" error={errors.customerId}>
            <CustomerSelect name="customerId" placeholder="Choose a customer…" value={customerId} onChange={(event) => setCustomerId(event.target.value)} autoFocus={!customerId} />
          </Field>
          <div className="form-row collapse-phone">
            <Field label="Title" error={errors.title} optional>
              <input value={title} onChange={(event) => setTitle(event.target.value)} autoComplete="off" />
            </Field>
            <Field label="Valid until" error={errors.validUntil} optional>
              <input type="date" value={validUntil} onChange={(event) => setValidUntil(event.target.value)} />
            </Field>
          </div>
        </fieldset>
        <fieldset className="form-section">
          <legend>Lines</legend>
          <PriceLines lines={lines} onChange={setLines} errors={errors} errorPrefix="lines" noun="line" max={100} />
        </fieldset>
        <FormError error={create.error} fields={['customerId', 'title', 'validUntil', ...lines.flatMap((_, i) => [`lines.${i}.description`, `lines.${i}.unitPrice`, `lines.${i}.quantity`])]} />
        <div className="form-actions">
          <button type="button" className="button" onClick={() => navigate(-1)}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending || !customerId || !priceLinesReady(lines)}>
            {create.isPending ? 'Creating…' : 'Create quote'}
          </button>
        </div>
      </Form>
    </div>
  );
}

/** /quotes/:id — lines and totals; send (shows the customer's link) and convert once accepted. */
export function QuoteDetailPage() {
  const { id } = useParams();
  const quote = useQuote(id);
  const customerName = useCustomerNames();
  const format = useFormat();
  const toast = useToast();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [publicUrl, setPublicUrl] = useState<string | null>(null);
  const [confirmProject, setConfirmProject] = useState(false);
  const send = useMutation({
    mutationFn: () => post<Quote & { publicUrl: string }>(`/v1/quotes/${encodeURIComponent(id!)}/send`),
    onSuccess: async ({ publicUrl: url, ...sent }) => {
      client.setQueryData(['quotes', 'one', id], sent);
      setPublicUrl(new URL(url, window.location.origin).toString());
      await client.invalidateQueries({ queryKey: ['quotes', 'list'] });
      toast(`Quote ${sent.number ?? ''} sent`);
    },
  });
  const convert = useMutation({
    mutationFn: () => convertQuoteToInvoice(id!),
    onSuccess: async (invoice) => {
      await Promise.all(['quotes', 'invoices'].map((key) => client.invalidateQueries({ queryKey: [key] })));
      toast('Draft invoice created from the quote');
      navigate(`/invoices/${invoice.id}`);
    },
  });
  const convertToProject = useMutation({
    mutationFn: () => convertQuoteToProject(id!),
    onSuccess: async (project) => {
      await Promise.all(['quotes', 'projects'].map((key) => client.invalidateQueries({ queryKey: [key] })));
      toast(`Project ${project.name} created from the quote`);
      navigate(`/projects/${project.id}`);
    },
  });
  useTitle(quote.data ? quoteName(quote.data) : 'Quote');
  if (quote.isPending) return <Skeleton rows={6} />;
  if (quote.isError) return <ErrorPanel error={quote.error} retry={() => void quote.refetch()} what="quote" />;
  const q = quote.data;
  const actions = (
    <>
      {q.status === 'draft' && (
        <button type="button" className="button button-primary" disabled={send.isPending} onClick={() => send.mutate()}>
          <Icon name="send" /> {send.isPending ? 'Sending…' : 'Send quote'}
        </button>
      )}
      {q.status === 'accepted' && !q.convertedInvoiceId && !q.convertedProjectId && (
        <>
          <button
            type="button"
            className="button"
            disabled={convert.isPending || convertToProject.isPending}
            onClick={() => {
              convertToProject.reset();
              setConfirmProject(true);
            }}
          >
            Convert to project
          </button>
          <button type="button" className="button button-primary" disabled={convert.isPending || convertToProject.isPending} onClick={() => convert.mutate()}>
            {convert.isPending ? 'Converting…' : 'Convert to invoice'}
          </button>
        </>
      )}
      {q.convertedInvoiceId && (
        <Link className="button" to={`/invoices/${q.convertedInvoiceId}`}>
          Open invoice
        </Link>
      )}
      {q.convertedProjectId && (
        <Link className="button" to={`/projects/${q.convertedProjectId}`}>
          Open project
        </Link>
      )}
    </>
  );
  return (
    <div className="page">
      <PageHeader
        title={quoteName(q)}
        back={{ to: '/quotes', label: 'Quotes' }}
        subtitle={
          <>
            <Link to={`/customers/${q.customerId}`}>{customerName(q.customerId)}</Link> · <QuoteStatusBadge status={q.status} />
          </>
        }
        actions={actions}
      />
      <FormError error={send.error ?? convert.error} />
      {publicUrl && (
        <div className="panel" role="status">
          <Field label="Link for the customer" hint="Shown only now: copy it into your message. The customer accepts or declines the quote there.">
            <input readOnly value={publicUrl} onFocus={(event) => event.target.select()} />
          </Field>
        </div>
      )}
      <div className="panel">
        <DefinitionList
          items={[
            q.title !== null && ['Title', q.title],
            ['Valid until', q.validUntil ? format.date(q.validUntil) : 'No end date'],
            q.sentAt !== null && ['Sent', format.dateTime(q.sentAt)],
            q.acceptedAt !== null && ['Accepted', `${format.dateTime(q.acceptedAt)}${q.acceptedByName ? ` by ${q.acceptedByName}` : ''}`],
            q.declinedAt !== null && ['Declined', `${format.dateTime(q.declinedAt)}${q.declinedReason ? `: ${q.declinedReason}` : ''}`],
            q.convertedInvoiceId !== null && ['Converted into', <ConvertedInvoice key="invoice" invoiceId={q.convertedInvoiceId} />],
            q.convertedProjectId !== null && ['Converted into', <ConvertedProject key="project" projectId={q.convertedProjectId} />],
          ]}
        />
      </div>
      <PanelSection id="lines-title" title="Lines">
        <DataTable<InvoiceLine>
          caption="Lines"
          className="table-rowheads"
          rows={q.lines}
          rowKey={(line) => line.id}
          columns={[
            { header: 'Description', rowHeader: true, cell: (line) => line.description },
            { header: 'Quantity', className: 'num', cell: (line) => format.number(line.quantity) },
            { header: 'Unit price', className: 'num hide-phone', cell: (line) => <Money amount={line.unitPrice} currency={q.currency} /> },
            { header: 'Amount', className: 'num', cell: (line) => <Money amount={line.amount} currency={q.currency} /> },
          ]}
        />
        <div style={{ padding: 'var(--space-4)' }}>
          <InvoiceTotals totals={q} className="totals document-totals" />
        </div>
      </PanelSection>
      {confirmProject && (
        <ConvertToProjectDialog
          quote={q}
          customer={customerName(q.customerId)}
          conversion={convertToProject}
          convertToInvoice={() => {
            setConfirmProject(false);
            convert.mutate();
          }}
          onClose={() => setConfirmProject(false)}
        />
      )}
    </div>
  );
}

/** The refusal of a quote whose lines have different tax rates: a project has one set of rates. */
const isMixedTaxRates = (error: unknown) => error instanceof ApiError && error.code === 'quote_mixed_tax_rates';

/**
 * What converting into a project does, asked before it happens (a quote converts once). The
 * server's refusal shows here, with the way out: an invoice takes lines with different tax rates.
 */
function ConvertToProjectDialog({ quote, customer, conversion, convertToInvoice, onClose }: {
  quote: Quote;
  customer: string;
  conversion: { mutate: () => void; isPending: boolean; error: unknown };
  convertToInvoice: () => void;
  onClose: () => void;
}) {
  const net = subtractDecimal(quote.total, quote.taxTotal);
  const refusedForTaxes = isMixedTaxRates(conversion.error);
  return (
    <Dialog
      open
      onClose={onClose}
      title="Convert to a fixed-price project?"
      size="sm"
      footer={
        refusedForTaxes ? (
          <DialogActions onCancel={onClose} label="Convert to invoice instead" onConfirm={convertToInvoice} />
        ) : (
          <DialogActions onCancel={onClose} label="Create project" pendingLabel="Creating…" pending={conversion.isPending} onConfirm={() => conversion.mutate()} />
        )
      }
    >
      <p>
        A fixed-price project for {customer} of <Money amount={net} currency={quote.currency} className="strong" /> before tax, with the quote’s tax rates.
        Its schedule gets one milestone per line; the billing run bills each milestone once it is marked complete.
      </p>
      <p className="muted">A quote is converted once: afterwards it cannot also become an invoice.</p>
      {refusedForTaxes ? (
        <div className="alert alert-error" role="alert" data-testid="convert-refused">
          <strong>This quote cannot become a project.</strong> {(conversion.error as ApiError).detail}
        </div>
      ) : (
        <ErrorAlert error={conversion.error} />
      )}
    </Dialog>
  );
}

function ConvertedInvoice({ invoiceId }: { invoiceId: string }) {
  const invoice = useInvoice(invoiceId);
  const number = invoice.data?.number;
  return <Link to={`/invoices/${invoiceId}`}>{number ? `Invoice ${number}` : invoice.data ? 'Draft invoice' : 'Invoice'}</Link>;
}

function ConvertedProject({ projectId }: { projectId: string }) {
  const project = useProject(projectId);
  return <Link to={`/projects/${projectId}`}>{project.data ? `Project ${project.data.name}` : 'Project'}</Link>;
}
