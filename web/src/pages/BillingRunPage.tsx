import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { fieldErrorsOf, post } from '../api/client.ts';
import { useCustomerNames } from '../api/queries.ts';
import type { BillingRunResult, HeldWork, SkipReason } from '../api/subscriptions.ts';
import { useRefreshWork } from '../api/work.ts';
import { DataTable, RowLink } from '../components/DataTable.tsx';
import { Field, Form, FormError, Money, PageHeader, PanelSection, useTitle } from '../components/ui.tsx';
import { periodRange, useFormat } from '../lib/format.ts';
import { useToast } from '../lib/toast.tsx';

type RunInvoice = BillingRunResult['invoices'][number];

/** Why a charge was left for a later run, in words. */
const SKIP_REASONS: Record<SkipReason, string> = {
  customer_archived: 'the customer is archived',
  currency_mismatch: 'the charge is in another currency than the customer’s',
  net_credit: 'credit waits for the next charges (it is more than what is due)',
};

/** /billing-runs — bill what is due on a date: preview first (nothing is written), then create the drafts. */
export function BillingRunPage() {
  useTitle('Billing run');
  const format = useFormat();
  const toast = useToast();
  const client = useQueryClient();
  const customerName = useCustomerNames();
  const refreshWork = useRefreshWork();
  const [date, setDate] = useState(() => format.today());
  const [result, setResult] = useState<BillingRunResult | null>(null);

  const run = useMutation({
    mutationFn: (dryRun: boolean) => post<BillingRunResult>('/v1/billing-runs', { date, dryRun }),
    onSuccess: async (outcome) => {
      setResult(outcome);
      if (!outcome.dryRun) {
        // Work carried on recurring invoices is billed now: the unbilled page and timesheets change too.
        await Promise.all([...['invoices', 'subscriptions', 'dashboard', 'customers', 'projects'].map((key) => client.invalidateQueries({ queryKey: [key] })), refreshWork()]);
        toast(outcome.invoicesCreated === 1 ? '1 draft invoice created' : `${outcome.invoicesCreated} draft invoices created`);
      }
    },
  });
  const errors = fieldErrorsOf(run.error);
  const pending = run.isPending ? run.variables : null;

  return (
    <div className="page">
      <PageHeader title="Billing run" subtitle="Bill every subscription, retainer and schedule charge due on a date: one draft invoice per customer and currency, or per contract when the customer asks." back={{ to: '/subscriptions', label: 'Subscriptions' }} />
      <Form className="form panel" onSubmit={() => run.mutate(true)}>
        <div className="form-row collapse-phone">
          <Field label="Bill charges due on" error={errors.date}>
            <input
              type="date"
              name="date"
              value={date}
              required
              className="input-date"
              onChange={(event) => {
                setDate(event.target.value);
                setResult(null);
              }}
            />
          </Field>
        </div>
        <FormError error={run.error} fields={['date']} />
        <div className="form-actions" style={{ justifyContent: 'flex-start' }}>
          <button type="submit" className="button" disabled={run.isPending || !date}>
            {pending === true ? 'Previewing…' : 'Preview'}
          </button>
          <button type="button" className="button button-primary" disabled={run.isPending || !date} onClick={() => run.mutate(false)}>
            {pending === false ? 'Running…' : 'Run'}
          </button>
        </div>
      </Form>
      {result && (
        <PanelSection
          id="run-result-title"
          title={result.dryRun ? `Preview for ${format.date(result.date)}` : `Billed on ${format.date(result.date)}`}
        >
          <p className="panel-empty muted" role="status" style={{ textAlign: 'left' }}>
            {result.dryRun
              ? result.invoices.length === 0
                ? 'Nothing is due on this date.'
                : `${result.invoices.length === 1 ? '1 invoice' : `${result.invoices.length} invoices`} would be created, for ${result.chargesBilled === 1 ? '1 charge' : `${result.chargesBilled} charges`}. Nothing has been written yet.`
              : result.invoicesCreated === 0
                ? 'Nothing was due: no invoices were created.'
                : `${result.invoicesCreated === 1 ? '1 draft invoice' : `${result.invoicesCreated} draft invoices`} created, for ${result.chargesBilled === 1 ? '1 charge' : `${result.chargesBilled} charges`}.`}
          </p>
          {result.invoices.length > 0 && (
            <DataTable<RunInvoice>
              caption={result.dryRun ? 'Invoices this run would create' : 'Invoices created'}
              rows={result.invoices}
              rowKey={(invoice) => invoice.invoiceId ?? `${invoice.customerId}-${invoice.currency}`}
              rowHref={result.dryRun ? undefined : (invoice) => `/invoices/${invoice.invoiceId ?? ''}`}
              columns={[
                {
                  header: 'Customer',
                  cell: (invoice) => (
                    <>
                      {invoice.invoiceId ? (
                        <RowLink to={`/invoices/${invoice.invoiceId}`}>
                          {customerName(invoice.customerId)}
                        </RowLink>
                      ) : (
                        customerName(invoice.customerId)
                      )}
                      <div className="cell-sub">
                        {invoice.charges.map((charge) => periodRange(format, charge.periodStart, charge.periodEnd)).join(', ')}
                      </div>
                    </>
                  ),
                },
                { header: 'Lines', className: 'num hide-phone', cell: (invoice) => invoice.lineCount },
                { header: 'Subtotal', className: 'num hide-phone', cell: (invoice) => <Money amount={invoice.subtotal} currency={invoice.currency} /> },
                { header: 'Tax', className: 'num hide-phone', cell: (invoice) => <Money amount={invoice.taxTotal} currency={invoice.currency} /> },
                { header: 'Total', className: 'num', cell: (invoice) => <Money amount={invoice.total} currency={invoice.currency} /> },
              ]}
            />
          )}
          {result.skipped.length > 0 && (
            <div style={{ padding: 'var(--space-4)' }}>
              <h3 className="panel-title">Skipped</h3>
              <p className="muted small">These charges are not billed yet: they stay due for a later run.</p>
              <ul>
                {result.skipped.map((skip) => (
                  <li key={`${skip.contractId}-${skip.periodStart}`}>
                    {customerName(skip.customerId)}, {periodRange(format, skip.periodStart, skip.periodEnd)}: {SKIP_REASONS[skip.reason] ?? skip.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {result.credits.length > 0 && (
            <section aria-labelledby="run-credits-title" style={{ padding: 'var(--space-4)', borderTop: '1px solid var(--border)' }}>
              <h3 id="run-credits-title" className="panel-title">Credits</h3>
              <p className="muted small">
                Net credits of contracts that ended with them: nothing will follow to reduce, so {result.dryRun ? 'they would be' : 'they were'} credited
                with a credit note on the contract’s last issued invoice.
              </p>
              <ul>
                {result.credits.map((credit) => (
                  <li key={`${credit.invoiceId}-${credit.charges[0]?.contractId}`}>
                    {customerName(credit.customerId)}: <Money amount={credit.total} currency={credit.currency} /> on{' '}
                    <Link to={`/invoices/${credit.invoiceId}`}>its last invoice</Link>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {result.heldWork.length > 0 && <HeldWorkList held={result.heldWork} dryRun={result.dryRun} customerName={customerName} />}
          {!result.dryRun && result.invoicesCreated > 0 && (
            <div style={{ padding: 'var(--space-4)', borderTop: '1px solid var(--border)' }}>
              <Link to="/invoices?status=draft">All draft invoices</Link>
            </div>
          )}
        </PanelSection>
      )}
    </div>
  );
}

/**
 * Unbilled work the run leaves off (or left off) its invoices because it would take a project past
 * its not-to-exceed amount. A run never bills past a cap; a person does, from the unbilled page.
 */
function HeldWorkList({ held, dryRun, customerName }: { held: HeldWork[]; dryRun: boolean; customerName: (id: string) => string }) {
  return (
    <section className="held-work" aria-labelledby="held-work-title" data-testid="held-work" style={{ padding: 'var(--space-4)', borderTop: '1px solid var(--border)' }}>
      <h3 id="held-work-title" className="panel-title">
        Work held back
      </h3>
      <p className="muted small">
        {dryRun ? 'This run would leave' : 'This run left'} unbilled work off the invoices because billing it would take a project past its not-to-exceed amount.
        The work stays unbilled: a person bills it from Unbilled work, where creating the customer’s invoice asks before billing past the cap.
      </p>
      <ul>
        {held.map((work) => (
          <li key={`${work.customerId}-${work.projectId}-${work.code}`}>
            <span className="strong">{customerName(work.customerId)}</span> — {work.message}.{' '}
            {/* The unbilled page shows just this customer. */}
            <Link to={`/unbilled?customerId=${encodeURIComponent(work.customerId)}`}>
              Bill from unbilled work<span className="sr-only"> for {customerName(work.customerId)}</span>
            </Link>
            {' · '}
            <Link to={`/projects/${work.projectId}`}>Open project</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
