import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { setCsrfToken, setUnauthorizedHandler } from './api/client.ts';
import type { Session } from './api/types.ts';
import { Layout } from './components/Layout.tsx';
import { Loading, NotFound } from './components/ui.tsx';
import { createFormatter, FormatContext } from './lib/format.ts';
import { SESSION_KEY, SessionProvider, signOutState, useSessionQuery, useSetupStatus } from './lib/session.tsx';
import { AcceptInvitePage } from './pages/AcceptInvitePage.tsx';
import { CustomerDetailPage } from './pages/CustomerDetailPage.tsx';
import { CustomerFormPage } from './pages/CustomerFormPage.tsx';
import { CustomersPage } from './pages/CustomersPage.tsx';
import { DashboardPage } from './pages/DashboardPage.tsx';
import { ExpensesPage } from './pages/ExpensesPage.tsx';
import { ApprovalsPage } from './pages/ApprovalsPage.tsx';
import { InvoiceEditorPage, InvoicePage } from './pages/InvoicePage.tsx';
import { InvoicesPage } from './pages/InvoicesPage.tsx';
import { PaymentsPage } from './pages/PaymentsPage.tsx';
import { ProjectDetailPage, ProjectFormPage, ProjectsPage } from './pages/ProjectsPage.tsx';
import { TimePage } from './pages/TimePage.tsx';
import { TimeImportPage } from './pages/TimeImportPage.tsx';
import { StockPage } from './pages/StockPage.tsx';
import { UnbilledPage } from './pages/UnbilledPage.tsx';
import { RecordPaymentPage } from './pages/RecordPaymentPage.tsx';
import { BillingRunPage } from './pages/BillingRunPage.tsx';
import { SubscriptionDetailPage, SubscriptionFormPage, SubscriptionsPage } from './pages/SubscriptionsPage.tsx';
import { QuoteDetailPage, QuoteFormPage, QuotesPage } from './pages/QuotesPage.tsx';
import { PublicQuotePage } from './pages/PublicQuotePage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { SetupPage } from './pages/SetupPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';

export function App() {
  const client = useQueryClient();
  const location = useLocation();
  const setup = useSetupStatus();
  const needsSetup = setup.data?.needsSetup;
  const session = useSessionQuery(needsSetup === false);

  // The CSRF token lives in memory only, taken from the session body.
  setCsrfToken(session.data?.csrfToken ?? null, session.data?.user.id ?? null);
  useEffect(() => {
    // A 401 (the session ended) or a session that changed under us: ask the server who is signed in.
    setUnauthorizedHandler(() => void client.invalidateQueries({ queryKey: SESSION_KEY }));
    return () => setUnauthorizedHandler(null);
  }, [client]);

  if (setup.isPending || (needsSetup === false && session.isPending)) {
    return (
      <div className="boot">
        <Loading label="Starting Accrue…" />
      </div>
    );
  }
  if (setup.isError || session.isError) {
    return (
      <div className="boot">
        <div className="panel error-panel" role="alert">
          <h1>Accrue is not reachable</h1>
          <p>The server did not answer. Check that it is running, then try again.</p>
          <button type="button" className="button button-primary" onClick={() => (setup.isError ? setup.refetch() : session.refetch())}>
            Try again
          </button>
        </div>
      </div>
    );
  }

  if (needsSetup) {
    return (
      <Routes>
        <Route path="/setup" element={<SetupPage />} />
        <Route path="*" element={<Navigate to="/setup" replace />} />
      </Routes>
    );
  }

  const signedIn = session.data;
  const next = signOutState.explicit ? '/' : `${location.pathname}${location.search}`;
  return (
    <Routes>
      <Route path="/setup" element={<Navigate to="/" replace />} />
      <Route path="/invite/:token" element={<AcceptInvitePage />} />
      <Route path="/quote/:token" element={<PublicQuotePage />} />
      <Route path="/sign-in" element={signedIn ? <Navigate to={safeNext(location.search)} replace /> : <SignInPage />} />
      {signedIn ? (
        <Route path="*" element={<SignedIn session={signedIn} />} />
      ) : (
        <Route path="*" element={<Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />} />
      )}
    </Routes>
  );
}

function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function SignedIn({ session }: { session: Session }) {
  const { locale, timeZone, baseCurrency } = session.organization;
  const format = useMemo(() => createFormatter(locale, timeZone, baseCurrency), [locale, timeZone, baseCurrency]);
  return (
    <SessionProvider session={session}>
      <FormatContext.Provider value={format}>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<DashboardPage />} />
            <Route path="customers" element={<CustomersPage />} />
            <Route path="customers/new" element={<CustomerFormPage />} />
            <Route path="customers/:id" element={<CustomerDetailPage />} />
            <Route path="customers/:id/edit" element={<CustomerFormPage />} />
            <Route path="invoices" element={<InvoicesPage />} />
            <Route path="invoices/new" element={<InvoiceEditorPage />} />
            <Route path="invoices/:id" element={<InvoicePage />} />
            <Route path="payments" element={<PaymentsPage />} />
            <Route path="payments/new" element={<RecordPaymentPage />} />
            <Route path="quotes" element={<QuotesPage />} />
            <Route path="quotes/new" element={<QuoteFormPage />} />
            <Route path="quotes/:id" element={<QuoteDetailPage />} />
            <Route path="subscriptions" element={<SubscriptionsPage />} />
            <Route path="subscriptions/new" element={<SubscriptionFormPage />} />
            <Route path="subscriptions/:id" element={<SubscriptionDetailPage />} />
            <Route path="billing-runs" element={<BillingRunPage />} />
            <Route path="time" element={<TimePage />} />
            <Route path="time/import" element={<TimeImportPage />} />
            <Route path="stock" element={<StockPage />} />
            <Route path="projects" element={<ProjectsPage />} />
            <Route path="projects/new" element={<ProjectFormPage />} />
            <Route path="projects/:id" element={<ProjectDetailPage />} />
            <Route path="unbilled" element={<UnbilledPage />} />
            <Route path="expenses" element={<ExpensesPage />} />
            <Route path="approvals" element={<ApprovalsPage />} />
            <Route path="settings" element={<Navigate to="/settings/organization" replace />} />
            <Route path="settings/:section" element={<SettingsPage />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </FormatContext.Provider>
    </SessionProvider>
  );
}
