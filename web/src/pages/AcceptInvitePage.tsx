import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, fieldErrorsOf, get, post } from '../api/client.ts';
import type { Role, Session } from '../api/types.ts';
import { AuthFrame } from '../components/Layout.tsx';
import { Field, Form, FormError, Loading, useTitle } from '../components/ui.tsx';
import { ROLE_LABELS } from '../lib/format.ts';
import { useStartSession } from '../lib/session.tsx';

type InvitationInfo = { email: string; role: Role; organizationName: string };

export function AcceptInvitePage() {
  useTitle('Accept invitation');
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const startSession = useStartSession();
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: ({ signal }) => get<InvitationInfo>(`/v1/invitations/${encodeURIComponent(token)}`, { signal, quiet401: true }),
    retry: false,
  });
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const accept = useMutation({
    mutationFn: () => post<Session>(`/v1/invitations/${encodeURIComponent(token)}/accept`, { name, password }, { quiet401: true }),
    onSuccess: (session) => {
      startSession(session);
      navigate('/', { replace: true });
    },
  });
  const errors = fieldErrorsOf(accept.error);

  if (invitation.isPending) {
    return (
      <AuthFrame title="Accept invitation">
        <Loading label="Checking your invitation…" />
      </AuthFrame>
    );
  }
  if (invitation.isError) {
    const gone = invitation.error instanceof ApiError && (invitation.error.status === 404 || invitation.error.status === 410);
    return (
      <AuthFrame title={gone ? 'This invitation is no longer valid' : 'We couldn’t check this invitation'}>
        <p className="auth-subtitle">
          {gone
            ? 'It may have been used already or have expired. Ask the person who invited you for a new link.'
            : invitation.error instanceof ApiError
              ? invitation.error.detail
              : 'Try again in a moment.'}
        </p>
        <Link className="button button-block" to="/sign-in">
          Go to sign-in
        </Link>
      </AuthFrame>
    );
  }
  const info = invitation.data;
  return (
    <AuthFrame
      title={`Join ${info.organizationName}`}
      subtitle={
        <>
          You were invited as <strong>{ROLE_LABELS[info.role] ?? info.role}</strong> with <strong>{info.email}</strong>. Choose your name and a password.
        </>
      }
    >
      <Form className="form" onSubmit={() => accept.mutate()}>
        <Field label="Email">
          <input name="email" type="email" autoComplete="username" value={info.email} readOnly />
        </Field>
        <Field label="Your name" error={errors.name}>
          <input name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
        </Field>
        <Field label="Password" error={errors.password} hint="At least 10 characters; a passphrase is best.">
          <input name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </Field>
        <FormError error={accept.error} fields={['name', 'password']} />
        <button type="submit" className="button button-primary button-large button-block" disabled={accept.isPending}>
          {accept.isPending ? 'Joining…' : `Join ${info.organizationName}`}
        </button>
      </Form>
    </AuthFrame>
  );
}
