import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { del, fieldErrorsOf, post, put } from '../api/client.ts';
import { APPROVAL_RULES_KEY, approverNamesOf, useApprovalRules, type ApprovalRule, type ApprovalRuleInput } from '../api/approvals.ts';
import { useAllCustomers, useUsers } from '../api/queries.ts';
import { DataTable } from '../components/DataTable.tsx';
import { CurrencySelect } from '../components/fields.tsx';
import { Icon } from '../components/Icon.tsx';
import { ListStates } from '../components/lists.tsx';
import { EmptyState, ErrorAlert, Field, Form, FormError, PanelSection } from '../components/ui.tsx';
import { useFormState } from '../lib/forms.ts';
import { ROLE_LABELS, toApiDecimal, toInputDecimal, useFormat } from '../lib/format.ts';
import { useSession } from '../lib/session.tsx';
import { useToast } from '../lib/toast.tsx';

type RuleForm = { name: string; minimumTotal: string; currency: string; customerIds: string[]; approverIds: string[] };

/**
 * Rules that make drafts need approval before they can be issued, and who approves for each: the
 * people a rule names (any role), or any owner or admin when it names none. A rule is edited in
 * the same form it was added with, and saved whole.
 */
export function ApprovalRuleSettings() {
  const session = useSession();
  const rules = useApprovalRules();
  const customers = useAllCustomers();
  const users = useUsers();
  const client = useQueryClient();
  const toast = useToast();
  const format = useFormat();
  const empty: RuleForm = { name: '', minimumTotal: '', currency: session.organization.baseCurrency, customerIds: [], approverIds: [] };
  const { form, setForm, bind } = useFormState(empty);
  const [editing, setEditing] = useState<ApprovalRule | null>(null);
  const save = useMutation({
    mutationFn: () => {
      // The amount and its currency go together; no customers means every customer; no approvers
      // means any owner or admin. A PUT replaces the rule whole, with the same body.
      const body: ApprovalRuleInput = {
        name: form.name.trim(),
        ...(form.minimumTotal.trim() ? { minimumTotal: toApiDecimal(form.minimumTotal, format.locale), currency: form.currency } : {}),
        ...(form.customerIds.length > 0 ? { customerIds: form.customerIds } : {}),
        ...(form.approverIds.length > 0 ? { approverIds: form.approverIds } : {}),
      };
      return editing ? put<ApprovalRule>(`/v1/approval-rules/${encodeURIComponent(editing.id)}`, body) : post<ApprovalRule>('/v1/approval-rules', body);
    },
    onSuccess: async (rule) => {
      const edited = editing !== null;
      setForm(empty);
      setEditing(null);
      await client.invalidateQueries({ queryKey: APPROVAL_RULES_KEY });
      // Who may decide on drafts changes with the rule.
      void client.invalidateQueries({ queryKey: ['invoices', 'approval'] });
      toast(edited ? `Approval rule ${rule.name} saved` : `Approval rule ${rule.name} added`);
    },
  });
  const remove = useMutation({
    mutationFn: (rule: ApprovalRule) => del(`/v1/approval-rules/${rule.id}`).then(() => rule),
    onSuccess: async (rule) => {
      if (editing?.id === rule.id) stopEditing();
      await client.invalidateQueries({ queryKey: APPROVAL_RULES_KEY });
      toast(`Approval rule ${rule.name} deleted`);
    },
  });
  const startEditing = (rule: ApprovalRule) => {
    save.reset();
    setEditing(rule);
    setForm({
      name: rule.name,
      minimumTotal: rule.minimumTotal === null ? '' : toInputDecimal(rule.minimumTotal, format.locale),
      currency: rule.currency ?? session.organization.baseCurrency,
      customerIds: rule.customerIds ?? [],
      approverIds: rule.approverIds ?? [],
    });
    const formElement = document.getElementById('approval-rule-form');
    formElement?.scrollIntoView({ block: 'start' });
    formElement?.querySelector<HTMLInputElement>('input[name="name"]')?.focus({ preventScroll: true });
  };
  function stopEditing() {
    save.reset();
    setEditing(null);
    setForm(empty);
  }
  const customerName = (id: string) => customers.data?.find((c) => c.id === id)?.name ?? '…';
  const condition = (rule: ApprovalRule) =>
    [
      rule.minimumTotal !== null && `total of ${format.money(rule.minimumTotal, rule.currency ?? undefined)} or more`,
      rule.customerIds && `for ${rule.customerIds.map(customerName).join(', ')}`,
    ]
      .filter(Boolean)
      .join(', ');
  const approvedBy = (rule: ApprovalRule) => approverNamesOf(rule, users.data)?.join(', ') ?? 'Any owner or admin';
  const toggle = (key: 'customerIds' | 'approverIds', id: string, on: boolean) =>
    setForm((f) => ({ ...f, [key]: on ? [...f[key], id] : f[key].filter((other) => other !== id) }));
  const errors = fieldErrorsOf(save.error);
  // Archived customers and people no longer listed stay choosable while a rule being edited names them.
  const customerChoices = (customers.data ?? []).filter((customer) => !customer.archivedAt || form.customerIds.includes(customer.id));
  return (
    <div className="stack">
      <PanelSection id="approval-rules-title" title="Invoice approval rules">
        <ListStates
          query={rules}
          rows={rules.data}
          what="approval rules"
          empty={
            <EmptyState icon="doc" title="No approval rules">
              Every draft can be issued at once. Add a rule to have large invoices, or those of some customers, approved first.
            </EmptyState>
          }
        >
          {(rows) => (
            <DataTable
              caption="Approval rules"
              className="table-rowheads"
              rows={rows}
              rowKey={(rule) => rule.id}
              columns={[
                {
                  header: 'Name',
                  rowHeader: true,
                  cell: (rule) => (
                    <>
                      {rule.name}
                      <div className="cell-sub show-phone">{condition(rule)}</div>
                      <div className="cell-sub show-phone">Approvers: {approvedBy(rule)}</div>
                    </>
                  ),
                },
                { header: 'Applies to drafts with', className: 'hide-phone', cell: condition },
                { header: 'Approvers', className: 'hide-phone', cell: approvedBy },
                {
                  header: <span className="sr-only">Actions</span>,
                  cellClassName: 'actions-cell',
                  cell: (rule) => (
                    <>
                      <button type="button" className="button button-ghost button-small" onClick={() => startEditing(rule)} aria-label={`Edit rule ${rule.name}`}>
                        <Icon name="edit" /> <span className="hide-phone">Edit</span>
                      </button>
                      <button type="button" className="button button-ghost button-small" onClick={() => remove.mutate(rule)} disabled={remove.isPending} aria-label={`Delete rule ${rule.name}`}>
                        <Icon name="trash" /> <span className="hide-phone">Delete</span>
                      </button>
                    </>
                  ),
                },
              ]}
            />
          )}
        </ListStates>
        <ErrorAlert error={remove.error} />
      </PanelSection>
      <Form id="approval-rule-form" className="form panel" onSubmit={() => save.mutate()} aria-labelledby="approval-rule-form-title">
        <h2 id="approval-rule-form-title" className="panel-title">
          {editing ? `Edit rule ${editing.name}` : 'Add an approval rule'}
        </h2>
        <p className="muted">
          A draft that matches a rule is issued only after someone who approves for that rule approves it as it stands; a draft that
          matches several rules needs each of them. Give an amount, customers, or both.
        </p>
        <Field label="Name" error={errors.name} hint='Shown on drafts that need approval, e.g. "Large invoices".'>
          <input {...bind('name')} autoComplete="off" />
        </Field>
        <div className="form-row">
          <Field label="Minimum total" error={errors.minimumTotal} hint="The invoice total, tax included, from which approval is needed." optional>
            <input {...bind('minimumTotal')} className="num" inputMode="decimal" autoComplete="off" />
          </Field>
          <Field label="Currency" error={errors.currency}>
            <CurrencySelect {...bind('currency')} />
          </Field>
        </div>
        <fieldset className="form-section">
          <legend>Customers (optional)</legend>
          <p className="fieldset-hint">Only drafts for these customers; none chosen means every customer.</p>
          <div className="checkbox-list">
            {customerChoices.map((customer) => (
              <label key={customer.id} className="checkbox">
                <input type="checkbox" checked={form.customerIds.includes(customer.id)} onChange={(e) => toggle('customerIds', customer.id, e.target.checked)} /> {customer.name}
              </label>
            ))}
          </div>
          {errors.customerIds && <p className="field-error">{errors.customerIds}</p>}
        </fieldset>
        <fieldset className="form-section" aria-describedby="approvers-hint">
          <legend>Approvers (optional)</legend>
          <p className="fieldset-hint" id="approvers-hint">
            The people who approve drafts for this rule, of any role; none chosen means any owner or admin.
          </p>
          <div className="checkbox-list">
            {(users.data ?? []).map((user) => (
              <label key={user.id} className="checkbox">
                <input type="checkbox" checked={form.approverIds.includes(user.id)} onChange={(e) => toggle('approverIds', user.id, e.target.checked)} />{' '}
                {user.name ?? user.email} <span className="muted">({ROLE_LABELS[user.role] ?? user.role})</span>
              </label>
            ))}
          </div>
          {errors.approverIds && <p className="field-error">{errors.approverIds}</p>}
        </fieldset>
        <FormError error={save.error} fields={['name', 'minimumTotal', 'currency', 'customerIds', 'approverIds']} />
        <div className="form-actions">
          {editing && (
            <button type="button" className="button button-ghost" onClick={stopEditing} disabled={save.isPending}>
              Cancel
            </button>
          )}
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {editing ? (
              <>
                <Icon name="check" /> {save.isPending ? 'Saving…' : 'Save rule'}
              </>
            ) : (
              <>
                <Icon name="plus" /> {save.isPending ? 'Adding…' : 'Add rule'}
              </>
            )}
          </button>
        </div>
      </Form>
    </div>
  );
}
