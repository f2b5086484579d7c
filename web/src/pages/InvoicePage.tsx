import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  approverNamesOf, approvesFor, useApproval, type Approval, type ApprovalDecision, type RuleStatus,
} from '../api/approvals.ts';
import { fieldErrorsOf, post } from '../api/client.ts';
import { useCreditNotes, useInvoice, usePayments, useRefreshMoney, useUsers } from '../api/queries.ts';
import type { Address, Invoice } from '../api/types.ts';
import { CreditNoteTable } from '../components/CreditNoteTable.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { PaymentFields, type PaymentDraft } from '../components/fields.tsx';
import { Icon } from '../components/Icon.tsx';
import { InvoiceTotals } from '../components/InvoiceTotals.tsx';
import {
  DefinitionList, Dialog, DialogActions, ErrorAlert, ErrorPanel, Field, Form, FormError, Money, PageHeader, PanelSection, PostalAddress, Skeleton, StatusBadge, useTitle,
} from '../components/ui.tsx';
import { useFormState } from '../lib/forms.ts';
import { compareDecimal, isDecimal, isZero, minDecimal, subtractDecimal } from '../lib/decimal.ts';
import { METHOD_LABELS, toApiDecimal, toInputDecimal, useFormat } from '../lib/format.ts';
import { canManage, useSession } from '../lib/session.tsx';
import { useToast } from '../lib/toast.tsx';
import { CreditNoteDialog } from './CreditNoteDialog.tsx';
import { InvoiceEditor } from './InvoiceEditor.tsx';

export function InvoiceEditorPage() {
  const [params] = useSearchParams();
  return <InvoiceEditor initialCustomerId={params.get('customerId') ?? undefined} />;
}

/** /invoices/:id — a draft opens in the editor, an issued invoice read-only. */
export function InvoicePage() {
  const { id = '' } = useParams();
  const invoice = useInvoice(id);
  if (invoice.isPending) {
    return (
      <div className="page">
        <Skeleton rows={10} />
      </div>
    );
  }
  if (invoice.isError) return <ErrorPanel error={invoice.error} what="invoice" retry={() => invoice.refetch()} />;
  if (invoice.data.status === 'draft') {
    return (
      <>
        <DraftApproval invoice={invoice.data} />
        <InvoiceEditor key={invoice.data.id} invoice={invoice.data} />
      </>
    );
  }
  return <InvoiceView invoice={invoice.data} />;
}

type Snapshot = {
  name?: string;
  legalName?: string | null;
  email?: string | null;
  taxId?: string | null;
  address?: Address | null;
};

function TimelineItem({ dot, children }: { dot?: string; children: ReactNode }) {
  return (
    <li>
      <span className={`timeline-dot${dot ? ` ${dot}` : ''}`} aria-hidden="true" />
      <span>{children}</span>
    </li>
  );
}

function InvoiceView({ invoice }: { invoice: Invoice }) {
  const session = useSession();
  const format = useFormat();
  useTitle(`Invoice ${invoice.number ?? ''}`);
  const [dialog, setDialog] = useState<'payment' | 'credit' | 'void' | null>(null);
  const creditNotes = useCreditNotes({ invoiceId: invoice.id });
  const payments = usePayments({ customerId: invoice.customerId });
  const c = invoice.currency;
  const snapshot = (invoice.customer ?? {}) as Snapshot;
  const applied = payments.rows.flatMap((payment) =>
    payment.allocations.filter((a) => a.invoiceId === invoice.id).map((a) => ({ payment, amount: a.amount })),
  );
  const isVoid = invoice.status === 'void';
  const canPay = !isVoid && !isZero(invoice.amountDue) && compareDecimal(invoice.amountDue, '0') > 0;
  const canCredit = !isVoid && compareDecimal(invoice.amountCredited, invoice.total) < 0;
  const canVoid = !isVoid && isZero(invoice.amountPaid) && isZero(invoice.amountCredited);

  return (
    <div className="page page-invoice">
      <PageHeader
        back={{ to: '/invoices', label: 'Invoices' }}
        title={
          <>
            Invoice <span data-testid="invoice-number">{invoice.number}</span> <StatusBadge status={invoice.status} />
          </>
        }
        subtitle={
          <>
            <Link to={`/customers/${invoice.customerId}`}>{snapshot.name ?? 'Customer'}</Link> · issued {format.date(invoice.issueDate)} · due{' '}
            {format.date(invoice.dueDate)}
          </>
        }
        actions={
          <>
            <button type="button" className="button" onClick={() => window.print()}>
              <Icon name="print" /> Print
            </button>
            {canVoid && (
              <button type="button" className="button" onClick={() => setDialog('void')}>
                <Icon name="undo" /> Void
              </button>
            )}
            {canCredit && (
              <button type="button" className="button" onClick={() => setDialog('credit')}>
                <Icon name="receipt" /> Credit note
              </button>
            )}
            {canPay && (
              <button type="button" className="button button-primary" onClick={() => setDialog('payment')}>
                <Icon name="coins" /> Record payment
              </button>
            )}
          </>
        }
      />

      {isVoid && (
        <div className="alert alert-muted" role="note">
          This invoice was voided {format.dateTime(invoice.voidedAt)}
          {invoice.voidReason ? `: ${invoice.voidReason}` : '.'} It keeps its number; its postings were reversed.
        </div>
      )}

      <div className="detail-grid">
        <div className="detail-main">
          <article className="panel document" aria-label={`Invoice ${invoice.number}`}>
            <header className="document-header">
              <div>
                <p className="document-label">From</p>
                <p className="strong">{session.organization.legalName}</p>
              </div>
              <div>
                <p className="document-label">Bill to</p>
                <p className="strong">{snapshot.legalName || snapshot.name}</p>
                {snapshot.address && <PostalAddress address={snapshot.address} />}
                {snapshot.taxId && <p className="muted small">Tax ID {snapshot.taxId}</p>}
              </div>
              <DefinitionList
                className="document-meta"
                items={[
                  ['Number', invoice.number],
                  ['Issue date', format.date(invoice.issueDate)],
                  ['Due date', format.date(invoice.dueDate)],
                  invoice.purchaseOrder ? ['PO number', invoice.purchaseOrder] : null,
                  invoice.reference ? ['Reference', invoice.reference] : null,
                ]}
              />
            </header>

            <DataTable
              caption="Lines"
              className="document-lines"
              rows={invoice.lines}
              rowKey={(line) => line.id}
              columns={[
                {
                  header: 'Description',
                  cell: (line) => (
                    <>
                      {line.description}
                      {line.discountPercent !== '0' && <div className="cell-sub">less {format.percent(line.discountPercent)} discount</div>}
                    </>
                  ),
                },
                { header: 'Qty', className: 'num', cell: (line) => `${format.number(line.quantity)}${line.unit ? ` ${line.unit}` : ''}` },
                { header: 'Unit price', className: 'num hide-phone', cell: (line) => format.money(line.unitPrice, c) },
                { header: 'Tax', className: 'hide-phone', cellClassName: 'muted', cell: (line) => line.taxes.map((t) => t.name).join(' + ') || '—' },
                { header: 'Amount', className: 'num', cell: (line) => format.money(line.net, c) },
              ]}
            />

            <InvoiceTotals totals={invoice} className="totals document-totals" discountLabel={`Discount (${format.percent(invoice.discountPercent)})`}>
              {!isZero(invoice.amountPaid) && (
                <div>
                  <dt>Paid</dt>
                  <dd>−{format.money(invoice.amountPaid, c)}</dd>
                </div>
              )}
              {!isZero(invoice.amountCredited) && (
                <div>
                  <dt>Credited</dt>
                  <dd>−{format.money(invoice.amountCredited, c)}</dd>
                </div>
              )}
              <div className="amount-due">
                <dt>Amount due</dt>
                <dd data-testid="amount-due">{format.money(invoice.amountDue, c)}</dd>
              </div>
            </InvoiceTotals>
            {(invoice.notes || invoice.terms) && (
              <footer className="document-footer">
                {invoice.notes && <p>{invoice.notes}</p>}
                {invoice.terms && <p className="muted">{invoice.terms}</p>}
              </footer>
            )}
          </article>

          {(creditNotes.data?.length ?? 0) > 0 && (
            <PanelSection id="invoice-credit-notes" title="Credit notes" className="print-hidden">
              <CreditNoteTable notes={creditNotes.data!} onInvoice />
            </PanelSection>
          )}
        </div>

        <aside className="detail-side">
          <section className="panel" aria-labelledby="activity-title">
            <h2 id="activity-title" className="panel-title">
              Activity
            </h2>
            <ol className="timeline">
              <TimelineItem>
                Issued <span className="muted">{format.dateTime(invoice.issuedAt)}</span>
              </TimelineItem>
              {applied.map(({ payment, amount }) => (
                <TimelineItem key={payment.id} dot="dot-success">
                  Payment <Money amount={amount} currency={c} className="strong" /> by {METHOD_LABELS[payment.method].toLowerCase()}
                  <span className="muted"> · {format.date(payment.date)}</span>
                  {payment.reference && <span className="muted"> · {payment.reference}</span>}
                </TimelineItem>
              ))}
              {(creditNotes.data ?? []).map((note) => (
                <TimelineItem key={note.id} dot="dot-info">
                  Credit note {note.number} <Money amount={note.total} currency={c} className="strong" />
                  <span className="muted"> · {format.date(note.issueDate)}</span>
                  {note.reason && <span className="muted"> · {note.reason}</span>}
                  {!isZero(note.creditedToCustomer) && (
                    <span className="muted">
                      {' '}
                      · <Money amount={note.creditedToCustomer} currency={c} /> to customer credit
                    </span>
                  )}
                </TimelineItem>
              ))}
              <ApprovalTimeline invoiceId={invoice.id} />
              {isVoid && (
                <TimelineItem dot="dot-muted">
                  Voided <span className="muted">{format.dateTime(invoice.voidedAt)}</span>
                </TimelineItem>
              )}
            </ol>
          </section>
        </aside>
      </div>

      {dialog === 'payment' && <RecordPaymentDialog invoice={invoice} open onClose={() => setDialog(null)} />}
      {dialog === 'credit' && <CreditNoteDialog invoice={invoice} onClose={() => setDialog(null)} />}
      {dialog === 'void' && <VoidDialog invoice={invoice} open onClose={() => setDialog(null)} />}
    </div>
  );
}

function RecordPaymentDialog({ invoice, open, onClose }: { invoice: Invoice; open: boolean; onClose: () => void }) {
  const format = useFormat();
  const toast = useToast();
  const refresh = useRefreshMoney();
  const { form, bind } = useFormState<PaymentDraft>({ amount: toInputDecimal(invoice.amountDue, format.locale), date: format.today(), method: 'bank_transfer', reference: '' });
  const amount = toApiDecimal(form.amount, format.locale);
  const record = useMutation({
    mutationFn: () => {
      const allocation = isDecimal(amount) ? minDecimal(amount, invoice.amountDue) : amount;
      return post('/v1/payments', {
        customerId: invoice.customerId,
        amount,
        currency: invoice.currency,
        date: form.date,
        method: form.method,
        reference: form.reference.trim() || null,
        allocations: [{ invoiceId: invoice.id, amount: allocation }],
      });
    },
    onSuccess: async () => {
      onClose();
      await refresh();
      toast(`Payment of ${format.money(amount, invoice.currency)} recorded`);
    },
  });
  const errors = fieldErrorsOf(record.error);
  const excess = isDecimal(amount) && compareDecimal(amount, invoice.amountDue) > 0 ? subtractDecimal(amount, invoice.amountDue) : null;
  return (
    <Dialog open={open} onClose={onClose} title={`Record a payment for ${invoice.number}`}>
      <Form className="form" onSubmit={() => record.mutate()} id="payment-form">
        <p className="muted">
          Still owed: <Money amount={invoice.amountDue} currency={invoice.currency} className="strong" />
        </p>
        <PaymentFields
          bind={bind}
          errors={errors}
          currency={invoice.currency}
          amountError={errors.amount ?? errors['allocations.0.amount']}
          amountHint={excess ? `${format.money(excess, invoice.currency)} more than owed becomes customer credit.` : undefined}
          autoFocus
        />
        <FormError error={record.error} fields={['amount', 'allocations', 'date', 'method', 'reference']} />
        <div className="dialog-footer dialog-footer-inline">
          <DialogActions onCancel={onClose} label="Record payment" pendingLabel="Recording…" pending={record.isPending} />
        </div>
      </Form>
    </Dialog>
  );
}

function VoidDialog({ invoice, open, onClose }: { invoice: Invoice; open: boolean; onClose: () => void }) {
  const toast = useToast();
  const refresh = useRefreshMoney();
  const [reason, setReason] = useState('');
  const voidIt = useMutation({
    mutationFn: () => post<Invoice>(`/v1/invoices/${invoice.id}/void`, reason.trim() ? { reason: reason.trim() } : {}),
    onSuccess: async () => {
      onClose();
      await refresh();
      toast(`Invoice ${invoice.number} voided`);
    },
  });
  const errors = fieldErrorsOf(voidIt.error);
  return (
    <Dialog open={open} onClose={onClose} title={`Void ${invoice.number}?`} size="sm">
      <Form className="form" onSubmit={() => voidIt.mutate()}>
        <p>The invoice keeps its number and its postings are reversed. Use a credit note instead if part of it stands.</p>
        <Field label="Reason" error={errors.reason} optional>
          <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} autoFocus autoComplete="off" />
        </Field>
        {!errors.reason && <ErrorAlert error={voidIt.error} />}
        <div className="dialog-footer dialog-footer-inline">
          <DialogActions onCancel={onClose} label="Void invoice" pendingLabel="Voiding…" pending={voidIt.isPending} danger />
        </div>
      </Form>
    </Dialog>
  );
}

/** Who made a decision: a person's name from the people list. */
function useDeciderName(): (decision: ApprovalDecision) => string {
  const users = useUsers();
  return (decision) => {
    if (!decision.userId) return 'an API key';
    const user = users.data?.find((u) => u.id === decision.userId);
    return user ? (user.name ?? user.email) : 'a colleague';
  };
}

/**
 * The decisions on a draft, oldest first: who, when, and the comment. On a draft, those made on an
 * earlier version are marked (issuing makes a new version too, so not on issued invoices).
 */
function DecisionItems({ decisions, draft = false }: { decisions: ApprovalDecision[]; draft?: boolean }) {
  const format = useFormat();
  const who = useDeciderName();
  return (
    <>
      {decisions.map((decision, index) => (
        <TimelineItem key={index} dot={decision.decision === 'approved' ? 'dot-success' : 'dot-muted'}>
          {decision.decision === 'approved' ? 'Approved' : 'Rejected'} by {who(decision)} <span className="muted">· {format.dateTime(decision.decidedAt)}</span>
          {decision.comment && <span className="muted"> · “{decision.comment}”</span>}
          {draft && !decision.current && <span className="muted"> · on an earlier version of the draft</span>}
        </TimelineItem>
      ))}
    </>
  );
}

const APPROVAL_TITLE: Record<Approval['status'], string> = { not_required: '', pending: 'Needs approval', approved: 'Approved', rejected: 'Rejected' };

const APPROVAL_TEXT: Record<Approval['status'], string> = {
  not_required: '',
  pending: 'This draft needs approval before it can be issued.',
  approved: 'Approved as it stands: issue it with the button below. Saving any change to the draft needs a new approval.',
  rejected: 'Rejected: change the draft or ask for another decision before issuing it.',
};

const RULE_STATUS_LABEL: Record<RuleStatus['status'], string> = { pending: 'Pending', approved: 'Approved', rejected: 'Rejected' };
const RULE_STATUS_BADGE: Record<RuleStatus['status'], string> = { pending: 'badge-partially_paid', approved: 'badge-paid', rejected: 'badge-overdue' };

/**
 * Above a draft that a rule makes need approval: where it stands, each matching rule's own status
 * and who approves for it, the decisions, and Approve / Reject for whoever approves for at least
 * one of the rules (named by the rule, or an owner or admin when it names no one). Issuing from
 * here does not save the draft first: saving makes a new version of it, which an earlier approval
 * does not cover.
 */
function DraftApproval({ invoice }: { invoice: Invoice }) {
  const session = useSession();
  const approval = useApproval(invoice.id);
  const users = useUsers();
  const client = useQueryClient();
  const refresh = useRefreshMoney();
  const toast = useToast();
  const [comment, setComment] = useState('');
  // The editor saves the draft (a new version, which earlier decisions no longer cover) before it
  // issues, also when issuing is then refused: ask again after anything is sent.
  useEffect(
    () =>
      client.getMutationCache().subscribe((event) => {
        if (event.type === 'updated' && (event.action.type === 'success' || event.action.type === 'error')) {
          void client.invalidateQueries({ queryKey: ['invoices', 'approval', invoice.id] });
        }
      }),
    [client, invoice.id],
  );
  const decide = useMutation({
    mutationFn: (action: 'approve' | 'reject') => post<Approval>(`/v1/invoices/${invoice.id}/${action}`, comment.trim() ? { comment: comment.trim() } : {}),
    onSuccess: (result, action) => {
      client.setQueryData(['invoices', 'approval', invoice.id], result);
      setComment('');
      toast(action === 'approve' ? 'Draft approved' : 'Draft rejected');
    },
  });
  const issue = useMutation({
    mutationFn: () => post<Invoice>(`/v1/invoices/${invoice.id}/issue`, {}),
    onSuccess: async (issued) => {
      client.setQueryData(['invoices', 'one', issued.id], issued);
      await refresh();
      toast(`Invoice ${issued.number} issued`);
    },
  });
  if (!approval.data?.required) return null;
  const { status, decisions } = approval.data;
  const { ruleStatuses } = approval.data;
  // The rules the signed-in person's decision counts for (the server checks the same).
  const mine = ruleStatuses.filter((rule) => approvesFor(rule, session.user));
  const approver = mine.length > 0;
  const ownersAndAdmins = (users.data ?? []).filter((user) => user.role === 'owner' || user.role === 'admin').map((user) => user.name ?? user.email);
  const whoApproves = (rule: RuleStatus) => {
    const names = approverNamesOf(rule, users.data);
    if (names) return `Approver${names.length > 1 ? 's' : ''}: ${names.join(', ')}`;
    return `Approvers: any owner or admin${ownersAndAdmins.length > 0 ? ` (${ownersAndAdmins.join(', ')})` : ''}`;
  };
  return (
    <div className="page invoice-approval-page">
      <section className={`panel invoice-approval invoice-approval-${status}`} aria-labelledby="approval-title" data-testid="approval-panel">
        <div className="panel-head">
          <h2 id="approval-title" className="panel-title">
            <Icon name={status === 'approved' ? 'check' : 'alert'} size={18} /> {APPROVAL_TITLE[status]}
          </h2>
        </div>
        <p role="status">{APPROVAL_TEXT[status]}</p>
        <ul className="approval-rule-statuses" aria-label="Approval rules">
          {ruleStatuses.map((ruleStatus) => (
            <li key={ruleStatus.ruleId} className="approval-rule-status">
              <span className="approval-rule-name">{ruleStatus.name}</span>
              <span className={`badge ${RULE_STATUS_BADGE[ruleStatus.status]}`}>{RULE_STATUS_LABEL[ruleStatus.status]}</span>
              <span className="muted small">{whoApproves(ruleStatus)}</span>
            </li>
          ))}
        </ul>
        {decisions.length > 0 && (
          <ol className="timeline" aria-label="Approval decisions">
            <DecisionItems decisions={decisions} draft />
          </ol>
        )}
        {approver && status !== 'approved' && (
          <div className="invoice-approval-actions">
            <Field
              label="Comment"
              optional
              hint={`Kept with your decision; say why when you reject. Your decision counts for ${mine.map((rule) => rule.name).join(', ')}.`}
            >
              <input name="approvalComment" value={comment} onChange={(e) => setComment(e.target.value)} autoComplete="off" />
            </Field>
            <div className="invoice-approval-buttons">
              <button type="button" className="button button-primary" onClick={() => decide.mutate('approve')} disabled={decide.isPending}>
                <Icon name="check" /> Approve
              </button>
              <button type="button" className="button button-danger" onClick={() => decide.mutate('reject')} disabled={decide.isPending}>
                <Icon name="close" /> Reject
              </button>
            </div>
          </div>
        )}
        {!approver && status !== 'approved' && (
          <p className="muted">You do not approve for {ruleStatuses.length > 1 ? 'these rules' : 'this rule'}: the approvers named above decide.</p>
        )}
        {status === 'approved' && (
          <div className="invoice-approval-buttons">
            <button type="button" className="button button-primary" onClick={() => issue.mutate()} disabled={issue.isPending}>
              <Icon name="send" /> {issue.isPending ? 'Issuing…' : 'Issue approved invoice'}
            </button>
          </div>
        )}
        <ErrorAlert error={decide.error ?? issue.error} />
      </section>
    </div>
  );
}

/** On an issued invoice: the approval decisions it had, in its activity. */
function ApprovalTimeline({ invoiceId }: { invoiceId: string }) {
  const approval = useApproval(invoiceId);
  return <DecisionItems decisions={approval.data?.decisions ?? []} />;
}
