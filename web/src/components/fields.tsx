import { useMemo, type SelectHTMLAttributes } from 'react';
import { useAllCustomers } from '../api/queries.ts';
import { PAYMENT_METHODS, type Address, type PaymentMethod } from '../api/types.ts';
import { currencyOptions, LOCALE_OPTIONS, METHOD_LABELS, timeZoneOptions } from '../lib/format.ts';
import { Field } from './ui.tsx';

// Controls used by more than one form. Each passes its other props (id, name, aria-*) to its
// <select>, so a Field can label it.

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'children'> & { value: string };

export function CurrencySelect(props: SelectProps) {
  const currencies = useMemo(currencyOptions, []);
  return (
    <select {...props}>
      {currencies.map((c) => (
        <option key={c.code} value={c.code}>
          {c.label}
        </option>
      ))}
    </select>
  );
}

/** The browser's time zones, and the value even if the browser does not know it. */
export function TimeZoneSelect(props: SelectProps) {
  const zones = useMemo(timeZoneOptions, []);
  return (
    <select {...props}>
      {(zones.includes(props.value) ? zones : [props.value, ...zones]).map((zone) => (
        <option key={zone} value={zone}>
          {zone.replaceAll('_', ' ')}
        </option>
      ))}
    </select>
  );
}

export function LocaleSelect(props: SelectProps) {
  const locales = LOCALE_OPTIONS.some((option) => option.value === props.value) ? LOCALE_OPTIONS : [{ value: props.value, label: props.value }, ...LOCALE_OPTIONS];
  return (
    <select {...props}>
      {locales.map((l) => (
        <option key={l.value} value={l.value}>
          {l.label}
        </option>
      ))}
    </select>
  );
}

export function MethodSelect(props: SelectProps) {
  return (
    <select {...props}>
      {PAYMENT_METHODS.map((m) => (
        <option key={m} value={m}>
          {METHOD_LABELS[m]}
        </option>
      ))}
    </select>
  );
}

/**
 * The customers, alphabetical, after a first option with an empty value (`placeholder`). Archived
 * customers only with `includeArchived`, except the one chosen.
 */
export function CustomerSelect({ placeholder, includeArchived = false, ...props }: SelectProps & { placeholder: string; includeArchived?: boolean }) {
  const customers = useAllCustomers();
  return (
    <select {...props}>
      <option value="">{placeholder}</option>
      {(customers.data ?? [])
        .filter((c) => includeArchived || !c.archivedAt || c.id === props.value)
        .map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
    </select>
  );
}

type Bind<K extends string> = (key: K) => { name: string; value: string; onChange: (event: { target: { value: string } }) => void };

/** What a payment's form asks: amount, date received, method and reference (bound with useFormState). */
export function PaymentFields({ bind, errors, currency, amountError, amountHint, autoFocus }: {
  bind: Bind<'amount' | 'date' | 'method' | 'reference'>;
  errors: Record<string, string>;
  currency: string;
  amountError?: string;
  amountHint?: string;
  autoFocus?: boolean;
}) {
  return (
    <>
      <div className="form-row">
        <Field label={`Amount${currency ? ` (${currency})` : ''}`} error={amountError ?? errors.amount} hint={amountHint}>
          <input {...bind('amount')} className="num" inputMode="decimal" placeholder="0.00" autoFocus={autoFocus} autoComplete="off" />
        </Field>
        <Field label="Date received" error={errors.date}>
          <input {...bind('date')} type="date" />
        </Field>
      </div>
      <div className="form-row">
        <Field label="Method" error={errors.method}>
          <MethodSelect {...bind('method')} />
        </Field>
        <Field label="Reference" error={errors.reference} optional hint="Bank reference or cheque number.">
          <input {...bind('reference')} autoComplete="off" />
        </Field>
      </div>
    </>
  );
}

export type PaymentDraft = { amount: string; date: string; method: PaymentMethod; reference: string };

/** Radio buttons drawn as cards, each with a title and a line saying what it does. */
export function RadioCards<T extends string>({ name, label, value, onChange, options }: {
  name: string;
  label: string;
  value: T;
  onChange: (value: T) => void;
  options: Array<{ value: T; title: string; description: string }>;
}) {
  return (
    <div className="radio-cards" role="radiogroup" aria-label={label}>
      {options.map((option) => (
        <label key={option.value} className={`radio-card${value === option.value ? ' checked' : ''}`}>
          <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} />
          <span>
            <strong>{option.title}</strong>
            <span className="muted small">{option.description}</span>
          </span>
        </label>
      ))}
    </div>
  );
}

/** A postal address as a form edits it: every part a string, empty when not given. */
export type AddressDraft = { line1: string; line2: string; postalCode: string; city: string; region: string; country: string };

export function addressDraft(address: Address | null | undefined): AddressDraft {
  return {
    line1: address?.line1 ?? '',
    line2: address?.line2 ?? '',
    postalCode: address?.postalCode ?? '',
    city: address?.city ?? '',
    region: address?.region ?? '',
    country: address?.country ?? '',
  };
}

/** The address the API takes: null when every part is empty. */
export function addressBody(draft: AddressDraft): Address | null {
  if (!Object.values(draft).some((part) => part.trim() !== '')) return null;
  return {
    line1: draft.line1.trim(),
    ...(draft.line2.trim() ? { line2: draft.line2.trim() } : {}),
    city: draft.city.trim(),
    postalCode: draft.postalCode.trim(),
    ...(draft.region.trim() ? { region: draft.region.trim() } : {}),
    country: draft.country.trim().toUpperCase(),
  };
}

/**
 * The fields of a postal address, with the API's errors (`address.city`). `detailed` adds a second
 * line and the region; `autofill` lets the browser fill in the address (one's own, not a customer's).
 */
export function AddressFields({ value, onChange, errors, detailed = false, autofill = false, optional = false }: {
  value: AddressDraft;
  onChange: (value: AddressDraft) => void;
  errors: Record<string, string>;
  detailed?: boolean;
  autofill?: boolean;
  optional?: boolean;
}) {
  const input = (part: keyof AddressDraft, autoComplete: string, extra: { maxLength?: number; className?: string } = {}) => (
    <input name={part} value={value[part]} onChange={(event) => onChange({ ...value, [part]: event.target.value })} autoComplete={autofill ? autoComplete : 'off'} {...extra} />
  );
  const error = (part: keyof AddressDraft) => errors[`address.${part}`] ?? (part === 'line1' ? errors.address : undefined);
  return (
    <>
      <Field label="Street and number" error={error('line1')} optional={optional}>
        {input('line1', 'address-line1')}
      </Field>
      {detailed && (
        <Field label="Address line 2" error={error('line2')} optional>
          {input('line2', 'address-line2')}
        </Field>
      )}
      <div className="form-row form-row-3">
        <Field label="Postal code" error={error('postalCode')}>
          {input('postalCode', 'postal-code')}
        </Field>
        <Field label="City" error={error('city')}>
          {input('city', 'address-level2')}
        </Field>
        <Field label="Country" error={error('country')} hint="Two letters, e.g. DE.">
          {input('country', 'country', { maxLength: 2, className: 'input-short' })}
        </Field>
      </div>
      {detailed && (
        <Field label="Region or state" error={error('region')} optional>
          {input('region', 'address-level1')}
        </Field>
      )}
    </>
  );
}
