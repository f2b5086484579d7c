import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { fieldErrorsOf, post } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { AuthFrame } from '../components/Layout.tsx';
import { CurrencySelect, LocaleSelect, TimeZoneSelect } from '../components/fields.tsx';
import { Field, Form, FormError, useTitle } from '../components/ui.tsx';
import { useFormState } from '../lib/forms.ts';
import { browserLocale, browserTimeZone } from '../lib/format.ts';
import { useStartSession } from '../lib/session.tsx';

const FIELDS = ['organizationName', 'legalName', 'currency', 'timeZone', 'locale', 'name', 'email', 'password'];

/** The first run: creates the organization and its owner, then signs the owner in. */
export function SetupPage() {
  useTitle('Set up Accrue');
  const navigate = useNavigate();
  const startSession = useStartSession();
  const { form, bind } = useFormState(() => ({
    organizationName: '',
    currency: 'EUR',
    timeZone: browserTimeZone(),
    locale: browserLocale(),
    name: '',
    email: '',
    password: '',
  }));
  const setup = useMutation({
    mutationFn: () => post<Session>('/v1/setup', form),
    onSuccess: (session) => {
      startSession(session);
      navigate('/', { replace: true });
    },
  });
  const errors = fieldErrorsOf(setup.error);

  return (
    <AuthFrame title="Welcome to Accrue" subtitle="Set up your firm in a minute. You can change all of this later in Settings." wide>
      <Form className="form" onSubmit={() => setup.mutate()}>
        <fieldset className="form-section">
          <legend>Your firm</legend>
          <Field label="Organization name" error={errors.organizationName ?? errors.legalName} hint="As it should appear on your invoices.">
            <input {...bind('organizationName')} autoComplete="organization" required autoFocus />
          </Field>
          <div className="form-row">
            <Field label="Currency" error={errors.currency ?? errors.baseCurrency} hint="Your books are kept in it.">
              <CurrencySelect {...bind('currency')} />
            </Field>
            <Field label="Language and number format" error={errors.locale}>
              <LocaleSelect {...bind('locale')} />
            </Field>
          </div>
          <Field label="Time zone" error={errors.timeZone} hint="Decides what “today” is for issue and due dates.">
            <TimeZoneSelect {...bind('timeZone')} />
          </Field>
        </fieldset>
        <fieldset className="form-section">
          <legend>Your account</legend>
          <p className="fieldset-hint">You will be the owner; invite your bookkeeper and colleagues afterwards.</p>
          <Field label="Your name" error={errors.name}>
            <input {...bind('name')} autoComplete="name" required />
          </Field>
          <Field label="Email" error={errors.email}>
            <input {...bind('email')} type="email" autoComplete="email" required />
          </Field>
          <Field label="Password" error={errors.password} hint="At least 10 characters; a passphrase is best.">
            <input {...bind('password')} type="password" autoComplete="new-password" required />
          </Field>
        </fieldset>
        <FormError error={setup.error} fields={FIELDS} />
        <button type="submit" className="button button-primary button-large button-block" disabled={setup.isPending}>
          {setup.isPending ? 'Creating your organization…' : 'Create organization'}
        </button>
      </Form>
    </AuthFrame>
  );
}
