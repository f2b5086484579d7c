import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { fieldErrorsOf, post } from '../api/client.ts';
import { useAllCustomers, useCustomer, useOpenInvoices, useRefreshMoney } from '../api/queries.ts';
import { PAYMENT_METHODS, type Payment, type PaymentMethod } from '../api/types.ts';
import { Field, FormError, Money, PageHeader, Skeleton, StatusBadge, useTitle } from '../components/ui.tsx';
import { addDecimal, compareDecimal, isDecimal, isZero, subtractDecimal } from '../lib/decimal.ts';
import { METHOD_LABELS, toApiDecimal, toInputDecimal, useFormat } from '../lib/format.ts';
import { useToast } from '../lib/toast.tsx';

export function RecordPaymentPage() {
  useTitle('Record payment');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const format = useFormat();
  const toast = useToast();
  const refresh = useRefreshMoney();
  const customers = useAllCustomers();
  const [customerId, setCustomerId] = useState(params.get('customerId') ?? '');
  const customer = useCustomer(customerId || undefined);
  const openInvoices = useOpenInvoices(customerId || undefined);
  const [form, setForm] = useState({ amount: '', date: format.today(), method: 'bank_transfer' as PaymentMethod, reference: '', notes: '' });
  const [mode, setMode] = useState<'auto' | 'choose'>(params.get('invoiceId') ? 'choose' : 'auto');
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const currency = customer.data?.currency ?? customers.data?.find((c) => c.id === customerId)?.currency ?? '';

  // An invoice named in the link starts chosen for what it still owes.
  useEffect(() => {
    const invoiceId = params.get('invoiceId');
    const invoice = openInvoices.data?.find((i) => i.id === invoiceId);
    if (invoice) {
      setChosen({ [invoice.id]: toInputDecimal(invoice.amountDue, format.locale) });
      setForm((f) => (f.amount ? f : { ...f, amount: toInputDecimal(invoice.amountDue, format.locale) }));
    }
  }, [openInvoices.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const amount = toApiDecimal(form.amount, format.locale);
  const allocations = Object.entries(chosen).map(([invoiceId, typed]) => ({ invoiceId, amount: toApiDecimal(typed, format.locale) }));
  const allocatable = allocations.every((a) => isDecimal(a.amount));
  const allocated = allocatable && allocations.length ? addDecimal(...allocations.map((a) => a.amount)) : '0';
  const amountValid = isDecimal(amount);
  const toCredit = mode === 'choose' && amountValid && allocatable ? subtractDecimal(amount, allocated) : null;
  const openTotal = openInvoices.data?.length ? addDecimal(...openInvoices.data.map((i) => i.amountDue)) : '0';
  const autoCredit = mode === 'auto' && amountValid && compareDecimal(amount, openTotal) > 0 ? subtractDecimal(amount, openTotal) : null;

  const record = useMutation({
    mutationFn: () =>
      post<Payment>('/v1/payments', {
        customerId,
        amount,
        currency,
        date: form.date,
        method: form.method,
        reference: form.reference.trim() || null,
        notes: form.notes.trim() || null,
        ...(mode === 'choose' ? { allocations } : {}),
      }),
    onSuccess: async (payment) => {
      await refresh();
      const settled = payment.allocations.map((a) => a.invoiceNumber).join(', ');
      toast(`Payment of ${format.money(payment.amount, payment.currency)} recorded${settled ? ` against ${settled}` : ''}`);
      navigate(`/customers/${payment.customerId}`);
    },
  });
  const errors = fieldErrorsOf(record.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    record.mutate();
  };
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });

  return (
    <div className="page page-narrow">
      <PageHeader title="Record a payment" back={{ to: '/payments', label: 'Payments' }} subtitle="Money you received: it settles open invoices, and any rest becomes customer credit." />
      <form className="form panel" onSubmit={submit} noValidate>
        <fieldset className="form-section">
          <legend>Payment</legend>
          <Field label="Customer" error={errors.customerId}>
            <select
              name="customerId"
              value={customerId}
              onChange={(e) => {
                setCustomerId(e.target.value);
                setChosen({});
              }}
              autoFocus={!customerId}
            >
              <option value="">Choose a customer…</option>
              {(customers.data ?? [])
                .filter((c) => !c.archivedAt)
                .map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
            </select>
          </Field>
          <div className="form-row">
            <Field label={`Amount${currency ? ` (${currency})` : ''}`} error={errors.amount ?? errors.currency}>
              <input name="amount" className="num" inputMode="decimal" placeholder="0.00" value={form.amount} onChange={set('amount')} autoFocus={Boolean(customerId)} autoComplete="off" />
            </Field>
            <Field label="Date received" error={errors.date}>
              <input name="date" type="date" value={form.date} onChange={set('date')} />
            </Field>
          </div>
          <div className="form-row">
            <Field label="Method" error={errors.method}>
              <select name="method" value={form.method} onChange={set('method')}>
                {PAYMENT_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {METHOD_LABELS[m]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Reference" error={errors.reference} optional hint="Bank reference or cheque number.">
              <input name="reference" value={form.reference} onChange={set('reference')} autoComplete="off" />
            </Field>
          </div>
        </fieldset>

        {customerId && (
          <fieldset className="form-section">
            <legend>Apply to</legend>
            {customer.data && !isZero(customer.data.creditBalance ?? '0') && (
              <p className="hint">
                {customer.data.name} already has <Money amount={customer.data.creditBalance} currency={currency} className="strong" /> of credit.
              </p>
            )}
            <div className="radio-cards" role="radiogroup" aria-label="How to apply the payment">
              <label className={`radio-card${mode === 'auto' ? ' checked' : ''}`}>
                <input type="radio" name="mode" value="auto" checked={mode === 'auto'} onChange={() => setMode('auto')} />
                <span>
                  <strong>Oldest invoices first</strong>
                  <span className="muted small">Settles open invoices by due date; the rest becomes credit.</span>
                </span>
              </label>
              <label className={`radio-card${mode === 'choose' ? ' checked' : ''}`}>
                <input type="radio" name="mode" value="choose" checked={mode === 'choose'} onChange={() => setMode('choose')} />
                <span>
                  <strong>Let me choose</strong>
                  <span className="muted small">Pick the invoices and amounts yourself.</span>
                </span>
              </label>
            </div>
            {openInvoices.isPending ? (
              <Skeleton rows={2} />
            ) : (openInvoices.data ?? []).length === 0 ? (
              <p className="muted">No open invoices: the whole payment becomes {customer.data?.name ?? 'the customer'}’s credit.</p>
            ) : (
              <table className="table table-compact allocation-table">
                <caption className="sr-only">Open invoices</caption>
                <thead>
                  <tr>
                    {mode === 'choose' && (
                      <th scope="col">
                        <span className="sr-only">Apply</span>
                      </th>
                    )}
                    <th scope="col">Invoice</th>
                    <th scope="col" className="hide-phone">
                      Due
                    </th>
                    <th scope="col" className="num">
                      Owed
                    </th>
                    {mode === 'choose' && (
                      <th scope="col" className="num">
                        Apply
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {openInvoices.data!.map((invoice) => {
                    const checked = invoice.id in chosen;
                    const error = errors[`allocations.${allocations.findIndex((a) => a.invoiceId === invoice.id)}.amount`];
                    return (
                      <tr key={invoice.id}>
                        {mode === 'choose' && (
                          <td>
                            <input
                              type="checkbox"
                              aria-label={`Apply to ${invoice.number}`}
                              checked={checked}
                              onChange={(e) =>
                                setChosen((current) => {
                                  const next = { ...current };
                                  if (e.target.checked) next[invoice.id] = toInputDecimal(invoice.amountDue, format.locale);
                                  else delete next[invoice.id];
                                  return next;
                                })
                              }
                            />
                          </td>
                        )}
                        <td>
                          <Link to={`/invoices/${invoice.id}`}>{invoice.number}</Link> <StatusBadge status={invoice.status} />
                        </td>
                        <td className="hide-phone">{format.date(invoice.dueDate)}</td>
                        <td className="num">
                          <Money amount={invoice.amountDue} currency={invoice.currency} />
                        </td>
                        {mode === 'choose' && (
                          <td className="num">
                            {checked ? (
                              <>
                                <input
                                  className="num input-amount"
                                  inputMode="decimal"
                                  aria-label={`Amount applied to ${invoice.number}`}
                                  aria-invalid={error ? true : undefined}
                                  value={chosen[invoice.id]}
                                  onChange={(e) => setChosen((current) => ({ ...current, [invoice.id]: e.target.value }))}
                                />
                                {error && <p className="field-error">{error}</p>}
                              </>
                            ) : (
                              <span className="muted">—</span>
                            )}
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
            <div className="allocation-summary" aria-live="polite">
              {mode === 'choose' && amountValid && allocatable && (
                <>
                  <span>
                    Applied to invoices <Money amount={allocated} currency={currency} className="strong" />
                  </span>
                  {toCredit && compareDecimal(toCredit, '0') >= 0 ? (
                    <span>
                      To customer credit <Money amount={toCredit} currency={currency} className="strong" />
                    </span>
                  ) : (
                    <span className="danger-text">The invoices chosen add up to more than the payment.</span>
                  )}
                </>
              )}
              {autoCredit && (
                <span>
                  To customer credit after settling all open invoices <Money amount={autoCredit} currency={currency} className="strong" />
                </span>
              )}
            </div>
            {errors.allocations && <p className="field-error">{errors.allocations}</p>}
          </fieldset>
        )}

        <Field label="Notes" error={errors.notes} optional>
          <textarea name="notes" rows={2} value={form.notes} onChange={set('notes')} />
        </Field>

        <FormError error={record.error} fields={['customerId', 'amount', 'currency', 'date', 'method', 'reference', 'notes', 'allocations']} />
        <div className="form-actions">
          <button type="button" className="button" onClick={() => navigate(-1)}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={record.isPending || !customerId}>
            {record.isPending ? 'Recording…' : 'Record payment'}
          </button>
        </div>
      </form>
    </div>
  );
}
