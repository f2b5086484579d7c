import { useMutation } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { fieldErrorsOf, post } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { AuthFrame } from '../components/Layout.tsx';
import { Field, FormError, useTitle } from '../components/ui.tsx';
import { browserLocale, browserTimeZone, currencyOptions, LOCALE_OPTIONS, timeZoneOptions } from '../lib/format.ts';
import { useStartSession } from '../lib/session.tsx';

const FIELDS = ['organizationName', 'legalName', 'currency', 'timeZone', 'locale', 'name', 'email', 'password'];

/** The first run: creates the organization and its owner, then signs the owner in. */
export function SetupPage() {
  useTitle('Set up Accrue');
  const navigate = useNavigate();
  const startSession = useStartSession();
  const currencies = useMemo(currencyOptions, []);
  const zones = useMemo(timeZoneOptions, []);
  const initialLocale = browserLocale();
  const locales = LOCALE_OPTIONS.some((option) => option.value === initialLocale)
    ? LOCALE_OPTIONS
    : [{ value: initialLocale, label: initialLocale }, ...LOCALE_OPTIONS];
  const [form, setForm] = useState({
    organizationName: '',
    currency: 'EUR',
    timeZone: browserTimeZone(),
    locale: initialLocale,
    name: '',
    email: '',
    password: '',
  });
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });
  const setup = useMutation({
    mutationFn: () => post<Session>('/v1/setup', form),
    onSuccess: (session) => {
      startSession(session);
      navigate('/', { replace: true });
    },
  });
  const errors = fieldErrorsOf(setup.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setup.mutate();
  };

  return (
    <AuthFrame title="Welcome to Accrue" subtitle="Set up your firm in a minute. You can change all of this later in Settings." wide>
      <form className="form" onSubmit={submit} noValidate>
        <fieldset className="form-section">
          <legend>Your firm</legend>
          <Field label="Organization name" error={errors.organizationName ?? errors.legalName} hint="As it should appear on your invoices.">
            <input name="organizationName" autoComplete="organization" value={form.organizationName} onChange={set('organizationName')} required autoFocus />
          </Field>
          <div className="form-row">
            <Field label="Currency" error={errors.currency ?? errors.baseCurrency} hint="Your books are kept in it.">
              <select name="currency" value={form.currency} onChange={set('currency')}>
                {currencies.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Language and number format" error={errors.locale}>
              <select name="locale" value={form.locale} onChange={set('locale')}>
                {locales.map((l) => (
                  <option key={l.value} value={l.value}>
                    {l.label}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <Field label="Time zone" error={errors.timeZone} hint="Decides what “today” is for issue and due dates.">
            <select name="timeZone" value={form.timeZone} onChange={set('timeZone')}>
              {(zones.includes(form.timeZone) ? zones : [form.timeZone, ...zones]).map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          </Field>
        </fieldset>
        <fieldset className="form-section">
          <legend>Your account</legend>
          <p className="fieldset-hint">You will be the owner; invite your bookkeeper and colleagues afterwards.</p>
          <Field label="Your name" error={errors.name}>
            <input name="name" autoComplete="name" value={form.name} onChange={set('name')} required />
          </Field>
          <Field label="Email" error={errors.email}>
            <input name="email" type="email" autoComplete="email" value={form.email} onChange={set('email')} required />
          </Field>
          <Field label="Password" error={errors.password} hint="At least 10 characters; a passphrase is best.">
            <input name="password" type="password" autoComplete="new-password" value={form.password} onChange={set('password')} required />
          </Field>
        </fieldset>
        <FormError error={setup.error} fields={FIELDS} />
        <button type="submit" className="button button-primary button-large button-block" disabled={setup.isPending}>
          {setup.isPending ? 'Creating your organization…' : 'Create organization'}
        </button>
      </form>
    </AuthFrame>
  );
}
