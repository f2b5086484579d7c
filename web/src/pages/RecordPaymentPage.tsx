import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { fieldErrorsOf, post } from '../api/client.ts';
import { useAllCustomers, useCustomer, useOpenInvoices, useRefreshMoney } from '../api/queries.ts';
import type { Invoice, Payment } from '../api/types.ts';
import { Dash, DataTable } from '../components/DataTable.tsx';
import { CustomerSelect, PaymentFields, RadioCards, type PaymentDraft } from '../components/fields.tsx';
import { Field, Form, FormError, Money, PageHeader, Skeleton, StatusBadge, useTitle } from '../components/ui.tsx';
import { useFormState } from '../lib/forms.ts';
import { addDecimal, compareDecimal, isDecimal, isZero, subtractDecimal } from '../lib/decimal.ts';
import { toApiDecimal, toInputDecimal, useFormat } from '../lib/format.ts';
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
  const { form, setForm, bind } = useFormState<PaymentDraft & { notes: string }>({ amount: '', date: format.today(), method: 'bank_transfer', reference: '', notes: '' });
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
  const choosing = mode === 'choose';
  const toggle = (invoice: Invoice, checked: boolean) =>
    setChosen((current) => {
      const next = { ...current };
      if (checked) next[invoice.id] = toInputDecimal(invoice.amountDue, format.locale);
      else delete next[invoice.id];
      return next;
    });

  return (
    <div className="page page-narrow">
      <PageHeader title="Record a payment" back={{ to: '/payments', label: 'Payments' }} subtitle="Money you received: it settles open invoices, and any rest becomes customer credit." />
      <Form className="form panel" onSubmit={() => record.mutate()}>
        <fieldset className="form-section">
          <legend>Payment</legend>
          <Field label="Customer" error={errors.customerId}>
            <CustomerSelect
              name="customerId"
              placeholder="Choose a customer…"
              value={customerId}
              onChange={(e) => {
                setCustomerId(e.target.value);
                setChosen({});
              }}
              autoFocus={!customerId}
            />
          </Field>
          <PaymentFields bind={bind} errors={errors} currency={currency} amountError={errors.amount ?? errors.currency} autoFocus={Boolean(customerId)} />
        </fieldset>

        {customerId && (
          <fieldset className="form-section">
            <legend>Apply to</legend>
            {customer.data && !isZero(customer.data.creditBalance ?? '0') && (
              <p className="hint">
                {customer.data.name} already has <Money amount={customer.data.creditBalance} currency={currency} className="strong" /> of credit.
              </p>
            )}
            <RadioCards
              name="mode"
              label="How to apply the payment"
              value={mode}
              onChange={setMode}
              options={[
                { value: 'auto', title: 'Oldest invoices first', description: 'Settles open invoices by due date; the rest becomes credit.' },
                { value: 'choose', title: 'Let me choose', description: 'Pick the invoices and amounts yourself.' },
              ]}
            />
            {openInvoices.isPending ? (
              <Skeleton rows={2} />
            ) : (openInvoices.data ?? []).length === 0 ? (
              <p className="muted">No open invoices: the whole payment becomes {customer.data?.name ?? 'the customer'}’s credit.</p>
            ) : (
              <DataTable
                caption="Open invoices"
                className="table-compact allocation-table"
                rows={openInvoices.data!}
                rowKey={(invoice) => invoice.id}
                columns={[
                  choosing && {
                    header: <span className="sr-only">Apply</span>,
                    cell: (invoice) => (
                      <input type="checkbox" aria-label={`Apply to ${invoice.number}`} checked={invoice.id in chosen} onChange={(e) => toggle(invoice, e.target.checked)} />
                    ),
                  },
                  {
                    header: 'Invoice',
                    cell: (invoice) => (
                      <>
                        <Link to={`/invoices/${invoice.id}`}>{invoice.number}</Link> <StatusBadge status={invoice.status} />
                      </>
                    ),
                  },
                  { header: 'Due', className: 'hide-phone', cell: (invoice) => format.date(invoice.dueDate) },
                  { header: 'Owed', className: 'num', cell: (invoice) => <Money amount={invoice.amountDue} currency={invoice.currency} /> },
                  choosing && {
                    header: 'Apply',
                    className: 'num',
                    cell: (invoice) => {
                      if (!(invoice.id in chosen)) return <Dash />;
                      const error = errors[`allocations.${allocations.findIndex((a) => a.invoiceId === invoice.id)}.amount`];
                      return (
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
                      );
                    },
                  },
                ]}
              />
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
          <textarea {...bind('notes')} rows={2} />
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
      </Form>
    </div>
  );
}
