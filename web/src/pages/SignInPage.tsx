import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ApiError, fieldErrorsOf, post } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { AuthFrame } from '../components/Layout.tsx';
import { Field, Form, useTitle } from '../components/ui.tsx';
import { useStartSession } from '../lib/session.tsx';

export function SignInPage() {
  useTitle('Sign in');
  const navigate = useNavigate();
  const location = useLocation();
  const startSession = useStartSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => post<Session>('/v1/session', { email, password }, { quiet401: true }),
    onSuccess: (session) => {
      startSession(session);
      const next = new URLSearchParams(location.search).get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    },
  });
  const errors = fieldErrorsOf(signIn.error);
  const failed = signIn.error instanceof ApiError && !errors.email && !errors.password ? signIn.error.detail : null;

  return (
    <AuthFrame title="Sign in" subtitle="Welcome back. Sign in to your firm’s books.">
      <Form className="form" onSubmit={() => signIn.mutate()}>
        <Field label="Email" error={errors.email}>
          <input name="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
        </Field>
        <Field label="Password" error={errors.password}>
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </Field>
        <div aria-live="assertive">
          {failed && (
            <div className="alert alert-error" role="alert">
              {failed}
            </div>
          )}
        </div>
        <button type="submit" className="button button-primary button-large button-block" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="form-note">New to this firm’s Accrue? Ask an owner for an invitation link.</p>
      </Form>
    </AuthFrame>
  );
}
