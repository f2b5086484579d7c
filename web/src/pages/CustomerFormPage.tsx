import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { fieldErrorsOf, patch, post } from '../api/client.ts';
import { useCustomer } from '../api/queries.ts';
import type { Customer } from '../api/types.ts';
import { ErrorPanel, Field, FormError, Loading, PageHeader, useTitle } from '../components/ui.tsx';
import { currencyOptions } from '../lib/format.ts';
import { useSession } from '../lib/session.tsx';
import { useToast } from '../lib/toast.tsx';

type FormState = {
  name: string;
  legalName: string;
  email: string;
  taxId: string;
  legalId: string;
  currency: string;
  paymentTermsType: 'net' | 'end_of_month';
  paymentTermsDays: string;
  language: string;
  taxTreatment: string;
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  region: string;
  country: string;
  notes: string;
};

const FIELDS = [
  'name', 'legalName', 'email', 'taxId', 'legalId', 'currency', 'paymentTermsType', 'paymentTermsDays', 'language', 'taxTreatment', 'address', 'notes',
];

function fromCustomer(customer: Customer | undefined, baseCurrency: string): FormState {
  return {
    name: customer?.name ?? '',
    legalName: customer?.legalName ?? '',
    email: customer?.email ?? '',
    taxId: customer?.taxId ?? '',
    legalId: customer?.legalId ?? '',
    currency: customer?.currency ?? baseCurrency,
    paymentTermsType: customer?.paymentTermsType ?? 'net',
    paymentTermsDays: String(customer?.paymentTermsDays ?? 14),
    language: customer?.language ?? 'en',
    taxTreatment: customer?.taxTreatment ?? 'standard',
    line1: customer?.address?.line1 ?? '',
    line2: customer?.address?.line2 ?? '',
    postalCode: customer?.address?.postalCode ?? '',
    city: customer?.address?.city ?? '',
    region: customer?.address?.region ?? '',
    country: customer?.address?.country ?? '',
    notes: customer?.notes ?? '',
  };
}

function toBody(form: FormState) {
  const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
  const hasAddress = [form.line1, form.line2, form.postalCode, form.city, form.region, form.country].some((v) => v.trim() !== '');
  return {
    name: form.name.trim(),
    legalName: orNull(form.legalName),
    email: orNull(form.email),
    taxId: orNull(form.taxId),
    legalId: orNull(form.legalId),
    currency: form.currency,
    paymentTermsType: form.paymentTermsType,
    paymentTermsDays: /^\d+$/.test(form.paymentTermsDays.trim()) ? Number(form.paymentTermsDays.trim()) : form.paymentTermsDays,
    language: form.language.trim() || 'en',
    taxTreatment: form.taxTreatment,
    address: hasAddress
      ? {
          line1: form.line1.trim(),
          ...(form.line2.trim() ? { line2: form.line2.trim() } : {}),
          city: form.city.trim(),
          postalCode: form.postalCode.trim(),
          ...(form.region.trim() ? { region: form.region.trim() } : {}),
          country: form.country.trim().toUpperCase(),
        }
      : null,
    notes: orNull(form.notes),
  };
}

export function CustomerFormPage() {
  const { id } = useParams();
  const customer = useCustomer(id);
  if (id && customer.isPending) return <Loading />;
  if (id && customer.isError) return <ErrorPanel error={customer.error} what="customer" retry={() => customer.refetch()} />;
  return <CustomerForm customer={customer.data} key={customer.data?.id ?? 'new'} />;
}

function CustomerForm({ customer }: { customer: Customer | undefined }) {
  const session = useSession();
  const navigate = useNavigate();
  const client = useQueryClient();
  const toast = useToast();
  const editing = Boolean(customer);
  useTitle(editing ? `Edit ${customer!.name}` : 'New customer');
  const currencies = useMemo(currencyOptions, []);
  const [form, setForm] = useState<FormState>(() => fromCustomer(customer, session.organization.baseCurrency));
  const [showAddress, setShowAddress] = useState(Boolean(customer?.address));
  useEffect(() => setForm(fromCustomer(customer, session.organization.baseCurrency)), [customer, session.organization.baseCurrency]);

  const save = useMutation({
    mutationFn: () => (editing ? patch<Customer>(`/v1/customers/${customer!.id}`, toBody(form)) : post<Customer>('/v1/customers', toBody(form))),
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['customers'] });
      toast(editing ? `${saved.name} saved` : `${saved.name} added`);
      navigate(`/customers/${saved.id}`, { replace: !editing });
    },
  });
  const errors = fieldErrorsOf(save.error);
  const addressError = (field: string) => errors[`address.${field}`] ?? (field === 'line1' ? errors.address : undefined);
  useEffect(() => {
    if (Object.keys(errors).some((f) => f.startsWith('address'))) setShowAddress(true);
  }, [save.error]); // eslint-disable-line react-hooks/exhaustive-deps

  const set = (key: keyof FormState) => (event: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: event.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <div className="page page-narrow">
      <PageHeader
        title={editing ? `Edit ${customer!.name}` : 'New customer'}
        back={editing ? { to: `/customers/${customer!.id}`, label: customer!.name } : { to: '/customers', label: 'Customers' }}
      />
      <form className="form panel" onSubmit={submit} noValidate>
        <fieldset className="form-section">
          <legend>Customer</legend>
          <Field label="Name" error={errors.name} hint="How you refer to them; shown in lists.">
            <input name="name" value={form.name} onChange={set('name')} required autoFocus={!editing} autoComplete="off" />
          </Field>
          <div className="form-row">
            <Field label="Legal name" error={errors.legalName} optional hint="If it differs, printed on invoices.">
              <input name="legalName" value={form.legalName} onChange={set('legalName')} autoComplete="off" />
            </Field>
            <Field label="Billing email" error={errors.email} optional>
              <input name="email" type="email" value={form.email} onChange={set('email')} autoComplete="off" />
            </Field>
          </div>
          <div className="form-row">
            <Field label="Tax ID" error={errors.taxId} optional hint="VAT number, e.g. DE123456789.">
              <input name="taxId" value={form.taxId} onChange={set('taxId')} autoComplete="off" />
            </Field>
            <Field label="Company registration" error={errors.legalId} optional>
              <input name="legalId" value={form.legalId} onChange={set('legalId')} autoComplete="off" />
            </Field>
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>Billing</legend>
          <div className="form-row form-row-3">
            <Field label="Currency" error={errors.currency} hint="Their invoices are in it.">
              <select name="currency" value={form.currency} onChange={set('currency')}>
                {currencies.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Payment terms" error={errors.paymentTermsType}>
              <select name="paymentTermsType" value={form.paymentTermsType} onChange={set('paymentTermsType')}>
                <option value="net">Days after issue</option>
                <option value="end_of_month">Days after end of month</option>
              </select>
            </Field>
            <Field label="Days" error={errors.paymentTermsDays}>
              <input name="paymentTermsDays" inputMode="numeric" value={form.paymentTermsDays} onChange={set('paymentTermsDays')} />
            </Field>
          </div>
          <div className="form-row">
            <Field label="Tax treatment" error={errors.taxTreatment}>
              <select name="taxTreatment" value={form.taxTreatment} onChange={set('taxTreatment')}>
                <option value="standard">Standard</option>
                <option value="reverse_charge">Reverse charge</option>
                <option value="exempt">Exempt</option>
              </select>
            </Field>
            <Field label="Invoice language" error={errors.language} hint='A language tag like "en" or "de".'>
              <input name="language" value={form.language} onChange={set('language')} autoComplete="off" />
            </Field>
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>Address</legend>
          {!showAddress ? (
            <button type="button" className="button button-ghost" onClick={() => setShowAddress(true)}>
              Add a postal address
            </button>
          ) : (
            <>
              <Field label="Street and number" error={addressError('line1')}>
                <input name="line1" value={form.line1} onChange={set('line1')} autoComplete="off" />
              </Field>
              <Field label="Address line 2" error={addressError('line2')} optional>
                <input name="line2" value={form.line2} onChange={set('line2')} autoComplete="off" />
              </Field>
              <div className="form-row form-row-3">
                <Field label="Postal code" error={addressError('postalCode')}>
                  <input name="postalCode" value={form.postalCode} onChange={set('postalCode')} autoComplete="off" />
                </Field>
                <Field label="City" error={addressError('city')}>
                  <input name="city" value={form.city} onChange={set('city')} autoComplete="off" />
                </Field>
                <Field label="Country" error={addressError('country')} hint="Two letters, e.g. DE.">
                  <input name="country" value={form.country} onChange={set('country')} maxLength={2} autoComplete="off" className="input-short" />
                </Field>
              </div>
              <Field label="Region or state" error={addressError('region')} optional>
                <input name="region" value={form.region} onChange={set('region')} autoComplete="off" />
              </Field>
            </>
          )}
        </fieldset>

        <fieldset className="form-section">
          <legend>Notes</legend>
          <Field label="Internal notes" error={errors.notes} optional hint="Only you see these.">
            <textarea name="notes" rows={3} value={form.notes} onChange={set('notes')} />
          </Field>
        </fieldset>

        <FormError error={save.error} fields={FIELDS} />
        <div className="form-actions">
          <button type="button" className="button" onClick={() => navigate(-1)}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : editing ? 'Save changes' : 'Add customer'}
          </button>
        </div>
      </form>
    </div>
  );
}
