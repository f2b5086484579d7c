import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { post } from '../api/client.ts';
import { useCreditNotes, useCustomer, useInvoices, usePayments, useRefreshMoney } from '../api/queries.ts';
import type { Customer } from '../api/types.ts';
import { Icon } from '../components/Icon.tsx';
import { CreditNoteTable } from '../components/CreditNoteTable.tsx';
import { InvoiceTable } from '../components/InvoiceTable.tsx';
import { ListStates, ShowMore } from '../components/lists.tsx';
import { PaymentTable } from '../components/PaymentTable.tsx';
import {
  DefinitionList, Dialog, DialogActions, EmptyState, ErrorAlert, ErrorPanel, Money, PageHeader, PanelSection, PostalAddress, Skeleton, useTitle,
} from '../components/ui.tsx';
import { isZero } from '../lib/decimal.ts';
import { useFormat } from '../lib/format.ts';
import { useToast } from '../lib/toast.tsx';

export function CustomerDetailPage() {
  const { id = '' } = useParams();
  const customer = useCustomer(id);
  useTitle(customer.data?.name ?? 'Customer');
  if (customer.isPending) {
    return (
      <div className="page">
        <Skeleton rows={8} />
      </div>
    );
  }
  if (customer.isError) return <ErrorPanel error={customer.error} what="customer" retry={() => customer.refetch()} />;
  return <CustomerDetail customer={customer.data} />;
}

function CustomerDetail({ customer }: { customer: Customer }) {
  const format = useFormat();
  const toast = useToast();
  const refresh = useRefreshMoney();
  const invoices = useInvoices({ customerId: customer.id });
  const payments = usePayments({ customerId: customer.id });
  const creditNotes = useCreditNotes({ customerId: customer.id });
  const [confirmArchive, setConfirmArchive] = useState(false);
  const c = customer.currency;
  const balance = customer.balance ?? '0';
  const credit = customer.creditBalance ?? '0';
  const hasOpen = invoices.rows.some((i) => i.status === 'open' || i.status === 'partially_paid' || i.status === 'overdue');
  const otherBalances = (customer.balances ?? []).filter((b) => b.currency !== c && (!isZero(b.balance) || !isZero(b.creditBalance)));

  const applyCredit = useMutation({
    mutationFn: () => post<{ applied: string; currency: string; invoices: Array<{ invoiceNumber: string }> }>(`/v1/customers/${customer.id}/apply-credit`, {}),
    onSuccess: async (result) => {
      await refresh();
      toast(`Applied ${format.money(result.applied, result.currency)} of credit to ${result.invoices.map((i) => i.invoiceNumber).join(', ')}`);
    },
  });
  const archive = useMutation({
    mutationFn: () => post<Customer>(`/v1/customers/${customer.id}/${customer.archivedAt ? 'unarchive' : 'archive'}`, {}),
    onSuccess: async (saved) => {
      setConfirmArchive(false);
      await refresh();
      toast(saved.archivedAt ? `${saved.name} archived` : `${saved.name} restored`);
    },
  });

  const terms = customer.paymentTermsType === 'end_of_month' ? `End of month + ${customer.paymentTermsDays} days` : `Net ${customer.paymentTermsDays} days`;
  const address = customer.address;

  return (
    <div className="page">
      <PageHeader
        back={{ to: '/customers', label: 'Customers' }}
        title={
          <>
            {customer.name} {customer.archivedAt && <span className="badge badge-void">Archived</span>}
          </>
        }
        subtitle={[customer.email, terms, c].filter(Boolean).join(' · ')}
        actions={
          <>
            <Link className="button" to={`/customers/${customer.id}/edit`}>
              <Icon name="edit" /> Edit
            </Link>
            <button type="button" className="button" onClick={() => setConfirmArchive(true)}>
              <Icon name="archive" /> {customer.archivedAt ? 'Restore' : 'Archive'}
            </button>
            <Link className="button" to={`/payments/new?customerId=${customer.id}`}>
              <Icon name="coins" /> Record payment
            </Link>
            {!customer.archivedAt && (
              <Link className="button button-primary" to={`/invoices/new?customerId=${customer.id}`}>
                <Icon name="plus" /> New invoice
              </Link>
            )}
          </>
        }
      />

      <section className="kpis kpis-2" aria-label="Balance">
        <div className={`kpi kpi-static${isZero(balance) ? '' : ' kpi-accent'}`}>
          <span className="kpi-label">Balance owed</span>
          <Money className="kpi-value" amount={balance} currency={c} />
          <span className="kpi-note">on issued invoices</span>
        </div>
        <div className="kpi kpi-static">
          <span className="kpi-label">Credit</span>
          <Money className="kpi-value" amount={credit} currency={c} />
          <span className="kpi-note">
            {isZero(credit) ? (
              'overpayments and credit notes land here'
            ) : hasOpen ? (
              <button type="button" className="link-button" onClick={() => applyCredit.mutate()} disabled={applyCredit.isPending}>
                {applyCredit.isPending ? 'Applying…' : 'Apply to open invoices'}
              </button>
            ) : (
              'no open invoices to apply it to'
            )}
          </span>
        </div>
      </section>
      <ErrorAlert error={applyCredit.error} />
      {otherBalances.length > 0 && (
        <p className="muted">
          Also in other currencies:{' '}
          {otherBalances.map((b) => `${format.money(b.balance, b.currency)} owed, ${format.money(b.creditBalance, b.currency)} credit`).join('; ')}
        </p>
      )}

      <div className="detail-grid">
        <div className="detail-main">
          <PanelSection id="customer-invoices" title="Invoices">
            <ListStates
              query={invoices}
              rows={invoices.rows}
              what="invoices"
              empty={
                <EmptyState
                  title="No invoices for this customer yet"
                  action={
                    !customer.archivedAt && (
                      <Link className="button button-primary" to={`/invoices/new?customerId=${customer.id}`}>
                        Create the first invoice
                      </Link>
                    )
                  }
                />
              }
            >
              {(rows) => (
                <>
                  <InvoiceTable invoices={rows} hideCustomer />
                  <ShowMore query={invoices} />
                </>
              )}
            </ListStates>
          </PanelSection>

          <PanelSection id="customer-payments" title="Payments">
            <ListStates query={payments} rows={payments.rows} what="payments" skeletonRows={2} empty={<p className="panel-empty muted">No payments recorded yet.</p>}>
              {(rows) => (
                <>
                  <PaymentTable payments={rows} hideCustomer />
                  <ShowMore query={payments} />
                </>
              )}
            </ListStates>
          </PanelSection>

          {(creditNotes.data?.length ?? 0) > 0 && (
            <PanelSection id="customer-credit-notes" title="Credit notes">
              <CreditNoteTable notes={creditNotes.data!} />
            </PanelSection>
          )}
        </div>

        <aside className="panel detail-side" aria-label="Details">
          <h2 className="panel-title">Details</h2>
          <DefinitionList
            items={[
              customer.legalName ? ['Legal name', customer.legalName] : null,
              ['Email', customer.email ?? '—'],
              customer.contacts.length > 0 && [
                'Contacts',
                <ul className="plain-list" aria-label="Contacts">
                  {customer.contacts.map((contact) => (
                    <li key={contact.id}>
                      {contact.name ?? contact.email}
                      <div className="cell-sub">
                        {[contact.name && contact.email, contact.receivesInvoices && 'receives invoices'].filter(Boolean).join(' · ')}
                      </div>
                    </li>
                  ))}
                </ul>,
              ],
              customer.taxId ? ['Tax ID', customer.taxId] : null,
              customer.legalId ? ['Registration', customer.legalId] : null,
              [
                'Address',
                address ? <PostalAddress address={address} /> : '—',
              ],
              ['Currency', c],
              ['Payment terms', terms],
              ['Tax treatment', customer.taxTreatment.replace('_', ' ')],
              ['Billing run', customer.invoiceGrouping === 'per_contract' ? 'One invoice per contract' : 'One invoice per currency (combined)'],
              customer.notes ? ['Notes', customer.notes] : null,
              ['Customer since', format.dateTime(customer.createdAt)],
            ]}
          />
        </aside>
      </div>

      <Dialog
        open={confirmArchive}
        onClose={() => setConfirmArchive(false)}
        title={customer.archivedAt ? `Restore ${customer.name}?` : `Archive ${customer.name}?`}
        size="sm"
        footer={<DialogActions onCancel={() => setConfirmArchive(false)} label={customer.archivedAt ? 'Restore' : 'Archive'} onConfirm={() => archive.mutate()} pending={archive.isPending} />}
      >
        <p>
          {customer.archivedAt
            ? 'They will appear in lists again and you can invoice them.'
            : 'Archived customers are hidden from lists and cannot get new invoices. Their invoices and payments stay as they are.'}
        </p>
        <ErrorAlert error={archive.error} />
      </Dialog>
    </div>
  );
}
