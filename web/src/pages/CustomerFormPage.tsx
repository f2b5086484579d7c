import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { fieldErrorsOf, patch, post } from '../api/client.ts';
import { useCustomer } from '../api/queries.ts';
import type { Customer, InvoiceGrouping } from '../api/types.ts';
import { AddressFields, addressBody, addressDraft, CurrencySelect, type AddressDraft } from '../components/fields.tsx';
import { Icon } from '../components/Icon.tsx';
import { ErrorPanel, Field, Form, FormError, Loading, PageHeader, useTitle } from '../components/ui.tsx';
import { useFormState } from '../lib/forms.ts';
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
  invoiceGrouping: InvoiceGrouping;
  address: AddressDraft;
  notes: string;
  contacts: ContactDraft[];
};

/** A contact row of the form; `key` names the row while contacts are added and removed. */
type ContactDraft = { key: string; name: string; email: string; receivesInvoices: boolean };

let contactCounter = 0;
const contactKey = () => `contact-${++contactCounter}`;

function isBlankContact(contact: ContactDraft): boolean {
  return contact.name.trim() === '' && contact.email.trim() === '';
}

const FIELDS = [
  'name', 'legalName', 'email', 'taxId', 'legalId', 'currency', 'paymentTermsType', 'paymentTermsDays', 'language', 'taxTreatment', 'invoiceGrouping', 'address', 'notes', 'contacts',
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
    invoiceGrouping: customer?.invoiceGrouping ?? 'combined',
    address: addressDraft(customer?.address),
    notes: customer?.notes ?? '',
    contacts: (customer?.contacts ?? []).map((contact) => ({
      key: contactKey(),
      name: contact.name ?? '',
      email: contact.email,
      receivesInvoices: contact.receivesInvoices,
    })),
  };
}

/**
 * The request body, and which form row each of its contacts came from (rows left blank are not
 * sent). The API replaces a customer's contacts with the list sent.
 */
function toBody(form: FormState) {
  const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
  const contacts = form.contacts.filter((contact) => !isBlankContact(contact));
  const body = {
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
    invoiceGrouping: form.invoiceGrouping,
    address: addressBody(form.address),
    notes: orNull(form.notes),
    contacts: contacts.map((contact) => ({ name: orNull(contact.name), email: contact.email.trim(), receivesInvoices: contact.receivesInvoices })),
  };
  return { body, contactKeys: contacts.map((contact) => contact.key) };
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
  const { form, setForm, bind } = useFormState<FormState>(() => fromCustomer(customer, session.organization.baseCurrency));
  const [showAddress, setShowAddress] = useState(Boolean(customer?.address));
  useEffect(() => setForm(fromCustomer(customer, session.organization.baseCurrency)), [customer, session.organization.baseCurrency]);

  const save = useMutation({
    mutationFn: ({ body }: ReturnType<typeof toBody>) => (editing ? patch<Customer>(`/v1/customers/${customer!.id}`, body) : post<Customer>('/v1/customers', body)),
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['customers'] });
      toast(editing ? `${saved.name} saved` : `${saved.name} added`);
      navigate(`/customers/${saved.id}`, { replace: !editing });
    },
  });
  const errors = fieldErrorsOf(save.error);
  // The API names a contact by its place in the list sent ("contacts.1.email").
  const contactError = (key: string, field: 'name' | 'email') => {
    const index = save.variables?.contactKeys.indexOf(key) ?? -1;
    return index >= 0 ? errors[`contacts.${index}.${field}`] : undefined;
  };
  const setContacts = (update: (contacts: ContactDraft[]) => ContactDraft[]) => setForm((f) => ({ ...f, contacts: update(f.contacts) }));
  const updateContact = (key: string, changes: Partial<ContactDraft>) =>
    setContacts((contacts) => contacts.map((contact) => (contact.key === key ? { ...contact, ...changes } : contact)));
  // After adding or removing a contact, focus goes to a contact's name or to "Add a contact".
  const contactsRef = useRef<HTMLFieldSetElement>(null);
  const focusRequest = useRef<string | null>(null);
  useEffect(() => {
    if (!focusRequest.current) return;
    const target = contactsRef.current?.querySelector<HTMLElement>(`[data-focus-key="${focusRequest.current}"]`);
    focusRequest.current = null;
    target?.focus();
  });
  const addContact = () => {
    const contact = { key: contactKey(), name: '', email: '', receivesInvoices: true };
    focusRequest.current = contact.key;
    setContacts((contacts) => [...contacts, contact]);
  };
  const removeContact = (key: string) => {
    const index = form.contacts.findIndex((contact) => contact.key === key);
    const rest = form.contacts.filter((contact) => contact.key !== key);
    focusRequest.current = rest[Math.min(index, rest.length - 1)]?.key ?? 'add-contact';
    setContacts(() => rest);
  };
  useEffect(() => {
    if (Object.keys(errors).some((f) => f.startsWith('address'))) setShowAddress(true);
  }, [save.error]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div className="page page-narrow">
      <PageHeader
        title={editing ? `Edit ${customer!.name}` : 'New customer'}
        back={editing ? { to: `/customers/${customer!.id}`, label: customer!.name } : { to: '/customers', label: 'Customers' }}
      />
      <Form className="form panel" onSubmit={() => save.mutate(toBody(form))}>
        <fieldset className="form-section">
          <legend>Customer</legend>
          <Field label="Name" error={errors.name} hint="How you refer to them; shown in lists.">
            <input {...bind('name')} required autoFocus={!editing} autoComplete="off" />
          </Field>
          <div className="form-row">
            <Field label="Legal name" error={errors.legalName} optional hint="If it differs, printed on invoices.">
              <input {...bind('legalName')} autoComplete="off" />
            </Field>
            <Field label="Billing email" error={errors.email} optional>
              <input {...bind('email')} type="email" autoComplete="off" />
            </Field>
          </div>
          <div className="form-row">
            <Field label="Tax ID" error={errors.taxId} optional hint="VAT number, e.g. DE123456789.">
              <input {...bind('taxId')} autoComplete="off" />
            </Field>
            <Field label="Company registration" error={errors.legalId} optional>
              <input {...bind('legalId')} autoComplete="off" />
            </Field>
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>Billing</legend>
          <div className="form-row form-row-3">
            <Field label="Currency" error={errors.currency} hint="Their invoices are in it.">
              <CurrencySelect {...bind('currency')} />
            </Field>
            <Field label="Payment terms" error={errors.paymentTermsType}>
              <select {...bind('paymentTermsType')}>
                <option value="net">Days after issue</option>
                <option value="end_of_month">Days after end of month</option>
              </select>
            </Field>
            <Field label="Days" error={errors.paymentTermsDays}>
              <input {...bind('paymentTermsDays')} inputMode="numeric" />
            </Field>
          </div>
          <div className="form-row">
            <Field label="Tax treatment" error={errors.taxTreatment}>
              <select {...bind('taxTreatment')}>
                <option value="standard">Standard</option>
                <option value="reverse_charge">Reverse charge</option>
                <option value="exempt">Exempt</option>
              </select>
            </Field>
            <Field label="Invoice language" error={errors.language} hint='A language tag like "en" or "de".'>
              <input {...bind('language')} autoComplete="off" />
            </Field>
          </div>
          <Field label="Invoices from the billing run" error={errors.invoiceGrouping} hint="What subscriptions, retainers and schedules bill on the same day.">
            <select {...bind('invoiceGrouping')}>
              <option value="combined">One per currency (combined)</option>
              <option value="per_contract">One per contract</option>
            </select>
          </Field>
        </fieldset>

        <fieldset className="form-section">
          <legend>Address</legend>
          {!showAddress ? (
            <button type="button" className="button button-ghost" onClick={() => setShowAddress(true)}>
              Add a postal address
            </button>
          ) : (
            <AddressFields value={form.address} onChange={(address) => setForm((f) => ({ ...f, address }))} errors={errors} detailed />
          )}
        </fieldset>

        <fieldset className="form-section" ref={contactsRef}>
          <legend>Contacts</legend>
          <p className="fieldset-hint">People who get the invoices by email. With none ticked, invoices go to the billing email.</p>
          {form.contacts.length > 0 && (
            <ul className="contact-list">
              {form.contacts.map((contact, index) => {
                const who = <span className="sr-only">Contact {index + 1} </span>;
                return (
                  <li key={contact.key} className="contact-row">
                    <Field
                      label={
                        <>
                          {who}Name
                        </>
                      }
                      error={contactError(contact.key, 'name')}
                      optional
                    >
                      <input
                        name={`contacts.${index}.name`}
                        value={contact.name}
                        onChange={(e) => updateContact(contact.key, { name: e.target.value })}
                        autoComplete="off"
                        data-focus-key={contact.key}
                      />
                    </Field>
                    <Field
                      label={
                        <>
                          {who}Email
                        </>
                      }
                      error={contactError(contact.key, 'email')}
                    >
                      <input
                        name={`contacts.${index}.email`}
                        type="email"
                        value={contact.email}
                        onChange={(e) => updateContact(contact.key, { email: e.target.value })}
                        autoComplete="off"
                      />
                    </Field>
                    <label className="checkbox contact-receives">
                      <input type="checkbox" checked={contact.receivesInvoices} onChange={(e) => updateContact(contact.key, { receivesInvoices: e.target.checked })} />
                      <span>
                        {who}Receives invoices
                      </span>
                    </label>
                    <button type="button" className="icon-button contact-remove" aria-label={`Remove contact ${index + 1}`} onClick={() => removeContact(contact.key)}>
                      <Icon name="trash" size={16} />
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          {errors.contacts && <p className="field-error">{errors.contacts}</p>}
          <button type="button" className="button button-ghost" onClick={addContact} data-focus-key="add-contact">
            <Icon name="plus" /> Add a contact
          </button>
        </fieldset>

        <fieldset className="form-section">
          <legend>Notes</legend>
          <Field label="Internal notes" error={errors.notes} optional hint="Only you see these.">
            <textarea {...bind('notes')} rows={3} />
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
      </Form>
    </div>
  );
}
