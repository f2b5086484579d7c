import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, fieldErrorsOf, post } from '../api/client.ts';
import { useCreditNotes, useInvoice, usePayments, useRefreshMoney } from '../api/queries.ts';
import { PAYMENT_METHODS, type Invoice, type PaymentMethod } from '../api/types.ts';
import { Icon } from '../components/Icon.tsx';
import { Dialog, ErrorPanel, Field, FormError, Money, PageHeader, Skeleton, StatusBadge, useTitle } from '../components/ui.tsx';
import { compareDecimal, isDecimal, isZero, minDecimal, subtractDecimal } from '../lib/decimal.ts';
import { METHOD_LABELS, toApiDecimal, toInputDecimal, useFormat } from '../lib/format.ts';
import { useSession } from '../lib/session.tsx';
import { useToast } from '../lib/toast.tsx';
import { InvoiceEditor } from './InvoiceEditor.tsx';

export function InvoiceEditorPage() {
  const [params] = useSearchParams();
  return <InvoiceEditor initialCustomerId={params.get('customerId') ?? undefined} />;
}

/** /invoices/:id — a draft opens in the editor, an issued invoice read-only. */
export function InvoicePage() {
  const { id = '' } = useParams();
  const invoice = useInvoice(id);
  if (invoice.isPending) {
    return (
      <div className="page">
        <Skeleton rows={10} />
      </div>
    );
  }
  if (invoice.isError) return <ErrorPanel error={invoice.error} what="invoice" retry={() => invoice.refetch()} />;
  if (invoice.data.status === 'draft') return <InvoiceEditor key={invoice.data.id} invoice={invoice.data} />;
  return <InvoiceView invoice={invoice.data} />;
}

type Snapshot = {
  name?: string;
  legalName?: string | null;
  email?: string | null;
  taxId?: string | null;
  address?: { line1: string; line2?: string; city: string; postalCode: string; region?: string; country: string } | null;
};

function InvoiceView({ invoice }: { invoice: Invoice }) {
  const session = useSession();
  const format = useFormat();
  useTitle(`Invoice ${invoice.number ?? ''}`);
  const [dialog, setDialog] = useState<'payment' | 'credit' | 'void' | null>(null);
  const creditNotes = useCreditNotes({ invoiceId: invoice.id });
  const payments = usePayments({ customerId: invoice.customerId });
  const c = invoice.currency;
  const snapshot = (invoice.customer ?? {}) as Snapshot;
  const applied = (payments.data?.pages.flatMap((p) => p.data) ?? []).flatMap((payment) =>
    payment.allocations.filter((a) => a.invoiceId === invoice.id).map((a) => ({ payment, amount: a.amount })),
  );
  const isVoid = invoice.status === 'void';
  const canPay = !isVoid && !isZero(invoice.amountDue) && compareDecimal(invoice.amountDue, '0') > 0;
  const canCredit = !isVoid && compareDecimal(invoice.amountCredited, invoice.total) < 0;
  const canVoid = !isVoid && isZero(invoice.amountPaid) && isZero(invoice.amountCredited);

  return (
    <div className="page page-invoice">
      <PageHeader
        back={{ to: '/invoices', label: 'Invoices' }}
        title={
          <>
            Invoice <span data-testid="invoice-number">{invoice.number}</span> <StatusBadge status={invoice.status} />
          </>
        }
        subtitle={
          <>
            <Link to={`/customers/${invoice.customerId}`}>{snapshot.name ?? 'Customer'}</Link> · issued {format.date(invoice.issueDate)} · due{' '}
            {format.date(invoice.dueDate)}
          </>
        }
        actions={
          <>
            <button type="button" className="button" onClick={() => window.print()}>
              <Icon name="print" /> Print
            </button>
            {canVoid && (
              <button type="button" className="button" onClick={() => setDialog('void')}>
                <Icon name="undo" /> Void
              </button>
            )}
            {canCredit && (
              <button type="button" className="button" onClick={() => setDialog('credit')}>
                <Icon name="receipt" /> Credit note
              </button>
            )}
            {canPay && (
              <button type="button" className="button button-primary" onClick={() => setDialog('payment')}>
                <Icon name="coins" /> Record payment
              </button>
            )}
          </>
        }
      />

      {isVoid && (
        <div className="alert alert-muted" role="note">
          This invoice was voided {format.dateTime(invoice.voidedAt)}
          {invoice.voidReason ? `: ${invoice.voidReason}` : '.'} It keeps its number; its postings were reversed.
        </div>
      )}

      <div className="detail-grid">
        <article className="panel document" aria-label={`Invoice ${invoice.number}`}>
          <header className="document-header">
            <div>
              <p className="document-label">From</p>
              <p className="strong">{session.organization.legalName}</p>
            </div>
            <div>
              <p className="document-label">Bill to</p>
              <p className="strong">{snapshot.legalName || snapshot.name}</p>
              {snapshot.address && (
                <address>
                  {snapshot.address.line1}
                  {snapshot.address.line2 && (
                    <>
                      <br />
                      {snapshot.address.line2}
                    </>
                  )}
                  <br />
                  {snapshot.address.postalCode} {snapshot.address.city}
                  <br />
                  {snapshot.address.country}
                </address>
              )}
              {snapshot.taxId && <p className="muted small">Tax ID {snapshot.taxId}</p>}
            </div>
            <dl className="document-meta">
              <div>
                <dt>Number</dt>
                <dd>{invoice.number}</dd>
              </div>
              <div>
                <dt>Issue date</dt>
                <dd>{format.date(invoice.issueDate)}</dd>
              </div>
              <div>
                <dt>Due date</dt>
                <dd>{format.date(invoice.dueDate)}</dd>
              </div>
              {invoice.purchaseOrder && (
                <div>
                  <dt>PO number</dt>
                  <dd>{invoice.purchaseOrder}</dd>
                </div>
              )}
              {invoice.reference && (
                <div>
                  <dt>Reference</dt>
                  <dd>{invoice.reference}</dd>
                </div>
              )}
            </dl>
          </header>

          <table className="table document-lines">
            <caption className="sr-only">Lines</caption>
            <thead>
              <tr>
                <th scope="col">Description</th>
                <th scope="col" className="num">
                  Qty
                </th>
                <th scope="col" className="num hide-phone">
                  Unit price
                </th>
                <th scope="col" className="hide-phone">
                  Tax
                </th>
                <th scope="col" className="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {invoice.lines.map((line) => (
                <tr key={line.id}>
                  <td>
                    {line.description}
                    {line.discountPercent !== '0' && <div className="cell-sub">less {format.percent(line.discountPercent)} discount</div>}
                  </td>
                  <td className="num">
                    {format.number(line.quantity)}
                    {line.unit ? ` ${line.unit}` : ''}
                  </td>
                  <td className="num hide-phone">{format.money(line.unitPrice, c)}</td>
                  <td className="hide-phone muted">{line.taxes.map((t) => t.name).join(' + ') || '—'}</td>
                  <td className="num">{format.money(line.net, c)}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <dl className="totals document-totals">
            <div>
              <dt>Subtotal</dt>
              <dd>{format.money(invoice.subtotal, c)}</dd>
            </div>
            {!isZero(invoice.discountTotal) && (
              <div>
                <dt>Discount ({format.percent(invoice.discountPercent)})</dt>
                <dd>−{format.money(invoice.discountTotal, c)}</dd>
              </div>
            )}
            {invoice.taxBreakdown.map((tax) => (
              <div key={tax.taxRateId} className="tax-row">
                <dt>
                  {tax.name}
                  <span className="tax-base">on {format.money(tax.taxable, c)}</span>
                </dt>
                <dd>{format.money(tax.tax, c)}</dd>
              </div>
            ))}
            <div className="grand-total">
              <dt>Total</dt>
              <dd data-testid="total">{format.money(invoice.total, c)}</dd>
            </div>
            {!isZero(invoice.amountPaid) && (
              <div>
                <dt>Paid</dt>
                <dd>−{format.money(invoice.amountPaid, c)}</dd>
              </div>
            )}
            {!isZero(invoice.amountCredited) && (
              <div>
                <dt>Credited</dt>
                <dd>−{format.money(invoice.amountCredited, c)}</dd>
              </div>
            )}
            <div className="amount-due">
              <dt>Amount due</dt>
              <dd data-testid="amount-due">{format.money(invoice.amountDue, c)}</dd>
            </div>
          </dl>
          {(invoice.notes || invoice.terms) && (
            <footer className="document-footer">
              {invoice.notes && <p>{invoice.notes}</p>}
              {invoice.terms && <p className="muted">{invoice.terms}</p>}
            </footer>
          )}
        </article>

        <aside className="detail-side">
          <section className="panel" aria-labelledby="activity-title">
            <h2 id="activity-title" className="panel-title">
              Activity
            </h2>
            <ol className="timeline">
              <li>
                <span className="timeline-dot" aria-hidden="true" />
                <span>
                  Issued <span className="muted">{format.dateTime(invoice.issuedAt)}</span>
                </span>
              </li>
              {applied.map(({ payment, amount }) => (
                <li key={payment.id}>
                  <span className="timeline-dot dot-success" aria-hidden="true" />
                  <span>
                    Payment <Money amount={amount} currency={c} className="strong" /> by {METHOD_LABELS[payment.method].toLowerCase()}
                    <span className="muted"> · {format.date(payment.date)}</span>
                    {payment.reference && <span className="muted"> · {payment.reference}</span>}
                  </span>
                </li>
              ))}
              {(creditNotes.data ?? []).map((note) => (
                <li key={note.id}>
                  <span className="timeline-dot dot-info" aria-hidden="true" />
                  <span>
                    Credit note {note.number} <Money amount={note.total} currency={c} className="strong" />
                    <span className="muted"> · {format.date(note.issueDate)}</span>
                    {note.reason && <span className="muted"> · {note.reason}</span>}
                    {!isZero(note.creditedToCustomer) && (
                      <span className="muted">
                        {' '}
                        · <Money amount={note.creditedToCustomer} currency={c} /> to customer credit
                      </span>
                    )}
                  </span>
                </li>
              ))}
              {isVoid && (
                <li>
                  <span className="timeline-dot dot-muted" aria-hidden="true" />
                  <span>
                    Voided <span className="muted">{format.dateTime(invoice.voidedAt)}</span>
                  </span>
                </li>
              )}
            </ol>
          </section>
        </aside>
      </div>

      {dialog === 'payment' && <RecordPaymentDialog invoice={invoice} open onClose={() => setDialog(null)} />}
      {dialog === 'credit' && <CreditNoteDialog invoice={invoice} open onClose={() => setDialog(null)} />}
      {dialog === 'void' && <VoidDialog invoice={invoice} open onClose={() => setDialog(null)} />}
    </div>
  );
}

function RecordPaymentDialog({ invoice, open, onClose }: { invoice: Invoice; open: boolean; onClose: () => void }) {
  const format = useFormat();
  const toast = useToast();
  const refresh = useRefreshMoney();
  const [form, setForm] = useState({ amount: toInputDecimal(invoice.amountDue, format.locale), date: format.today(), method: 'bank_transfer' as PaymentMethod, reference: '' });
  const amount = toApiDecimal(form.amount, format.locale);
  const record = useMutation({
    mutationFn: () => {
      const allocation = isDecimal(amount) ? minDecimal(amount, invoice.amountDue) : amount;
      return post('/v1/payments', {
        customerId: invoice.customerId,
        amount,
        currency: invoice.currency,
        date: form.date,
        method: form.method,
        reference: form.reference.trim() || null,
        allocations: [{ invoiceId: invoice.id, amount: allocation }],
      });
    },
    onSuccess: async () => {
      onClose();
      await refresh();
      toast(`Payment of ${format.money(amount, invoice.currency)} recorded`);
    },
  });
  const errors = fieldErrorsOf(record.error);
  const excess = isDecimal(amount) && compareDecimal(amount, invoice.amountDue) > 0 ? subtractDecimal(amount, invoice.amountDue) : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    record.mutate();
  };
  return (
    <Dialog open={open} onClose={onClose} title={`Record a payment for ${invoice.number}`}>
      <form className="form" onSubmit={submit} noValidate id="payment-form">
        <p className="muted">
          Still owed: <Money amount={invoice.amountDue} currency={invoice.currency} className="strong" />
        </p>
        <div className="form-row">
          <Field label={`Amount (${invoice.currency})`} error={errors.amount ?? errors['allocations.0.amount']} hint={excess ? `${format.money(excess, invoice.currency)} more than owed becomes customer credit.` : undefined}>
            <input name="amount" className="num" inputMode="decimal" value={form.amount} onChange={(e) => setForm({ ...form, amount: e.target.value })} autoFocus />
          </Field>
          <Field label="Date received" error={errors.date}>
            <input name="date" type="date" value={form.date} onChange={(e) => setForm({ ...form, date: e.target.value })} />
          </Field>
        </div>
        <div className="form-row">
          <Field label="Method" error={errors.method}>
            <select name="method" value={form.method} onChange={(e) => setForm({ ...form, method: e.target.value as PaymentMethod })}>
              {PAYMENT_METHODS.map((m) => (
                <option key={m} value={m}>
                  {METHOD_LABELS[m]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Reference" error={errors.reference} optional hint="Bank reference or cheque number.">
            <input name="reference" value={form.reference} onChange={(e) => setForm({ ...form, reference: e.target.value })} autoComplete="off" />
          </Field>
        </div>
        <FormError error={record.error} fields={['amount', 'allocations', 'date', 'method', 'reference']} />
        <div className="dialog-footer dialog-footer-inline">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={record.isPending}>
            {record.isPending ? 'Recording…' : 'Record payment'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function CreditNoteDialog({ invoice, open, onClose }: { invoice: Invoice; open: boolean; onClose: () => void }) {
  const format = useFormat();
  const toast = useToast();
  const refresh = useRefreshMoney();
  const left = subtractDecimal(invoice.total, invoice.amountCredited);
  const [typed, setTyped] = useState(toInputDecimal(isZero(invoice.amountDue) ? left : minDecimal(invoice.amountDue, left), format.locale));
  const amount = toApiDecimal(typed, format.locale);
  const [reason, setReason] = useState('');
  const create = useMutation({
    mutationFn: () => post<{ number: string; total: string }>('/v1/credit-notes', { invoiceId: invoice.id, amount, reason: reason.trim() || null }),
    onSuccess: async (note) => {
      onClose();
      await refresh();
      toast(`Credit note ${note.number} issued for ${format.money(note.total, invoice.currency)}`);
    },
  });
  const errors = fieldErrorsOf(create.error);
  const toCredit = isDecimal(amount) && compareDecimal(amount, invoice.amountDue) > 0 ? subtractDecimal(amount, invoice.amountDue) : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Dialog open={open} onClose={onClose} title={`Credit note for ${invoice.number}`}>
      <form className="form" onSubmit={submit} noValidate>
        <p className="muted">
          A credit note reduces what {invoice.number} still owes; anything beyond that becomes customer credit. Up to{' '}
          <Money amount={left} currency={invoice.currency} className="strong" /> can still be credited.
        </p>
        <Field
          label={`Amount including tax (${invoice.currency})`}
          error={errors.amount}
          hint={toCredit ? `${format.money(toCredit, invoice.currency)} goes to the customer’s credit.` : 'Split across the invoice’s tax rates in proportion.'}
        >
          <input name="amount" className="num" inputMode="decimal" value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus />
        </Field>
        <Field label="Reason" error={errors.reason} optional hint="Printed on the credit note.">
          <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" />
        </Field>
        <FormError error={create.error} fields={['amount', 'reason']} />
        <div className="dialog-footer dialog-footer-inline">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Issuing…' : 'Issue credit note'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function VoidDialog({ invoice, open, onClose }: { invoice: Invoice; open: boolean; onClose: () => void }) {
  const toast = useToast();
  const refresh = useRefreshMoney();
  const [reason, setReason] = useState('');
  const voidIt = useMutation({
    mutationFn: () => post<Invoice>(`/v1/invoices/${invoice.id}/void`, reason.trim() ? { reason: reason.trim() } : {}),
    onSuccess: async () => {
      onClose();
      await refresh();
      toast(`Invoice ${invoice.number} voided`);
    },
  });
  const errors = fieldErrorsOf(voidIt.error);
  return (
    <Dialog open={open} onClose={onClose} title={`Void ${invoice.number}?`} size="sm">
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          voidIt.mutate();
        }}
        noValidate
      >
        <p>The invoice keeps its number and its postings are reversed. Use a credit note instead if part of it stands.</p>
        <Field label="Reason" error={errors.reason} optional>
          <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} autoFocus autoComplete="off" />
        </Field>
        {voidIt.error instanceof ApiError && !errors.reason && (
          <div className="alert alert-error" role="alert">
            {voidIt.error.detail}
          </div>
        )}
        <div className="dialog-footer dialog-footer-inline">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-danger-solid" disabled={voidIt.isPending}>
            {voidIt.isPending ? 'Voiding…' : 'Void invoice'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
