import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { NavLink, useParams } from 'react-router';
import { ApiError, fieldErrorsOf, patch, post, put } from '../api/client.ts';
import { useItems, useNumberSeries, useOrganization, useTaxRates, useUsers } from '../api/queries.ts';
import type { StockItem } from '../api/stock.ts';
import type { Invitation, Item, NumberSeries, Organization, Role, TaxRate } from '../api/types.ts';
import { Dash, DataTable } from '../components/DataTable.tsx';
import { AddressFields, addressBody, addressDraft, LocaleSelect, TimeZoneSelect } from '../components/fields.tsx';
import { Icon } from '../components/Icon.tsx';
import { ListStates } from '../components/lists.tsx';
import { TaxPicker } from '../components/TaxPicker.tsx';
import {
  Dialog, DialogActions, EmptyState, ErrorPanel, Field, Form, FormError, NotFound, PageHeader, PanelSection, Skeleton, useTitle,
} from '../components/ui.tsx';
import { useFormState } from '../lib/forms.ts';
import { ROLE_LABELS, toApiDecimal, toInputDecimal, useFormat } from '../lib/format.ts';
import { canManage, SESSION_KEY, useSession } from '../lib/session.tsx';
import { useToast } from '../lib/toast.tsx';
import { ApprovalRuleSettings } from './ApprovalRuleSettings.tsx';

const SECTIONS = [
  { id: 'organization', label: 'Organization' },
  { id: 'numbering', label: 'Numbering' },
  { id: 'tax-rates', label: 'Tax rates' },
  { id: 'items', label: 'Items' },
  { id: 'approvals', label: 'Invoice approval' },
  { id: 'users', label: 'Users' },
] as const;

export function SettingsPage() {
  const { section = 'organization' } = useParams();
  const current = SECTIONS.find((s) => s.id === section);
  useTitle(current ? `Settings · ${current.label}` : 'Settings');
  if (!current) return <NotFound what="settings page" />;
  return (
    <div className="page">
      <PageHeader title="Settings" subtitle="Your firm’s profile, numbering, taxes, items, invoice approval and people." />
      <div className="settings">
        <nav className="settings-nav" aria-label="Settings">
          {SECTIONS.map((s) => (
            <NavLink key={s.id} to={`/settings/${s.id}`} className={({ isActive }) => `settings-link${isActive ? ' active' : ''}`}>
              {s.label}
            </NavLink>
          ))}
        </nav>
        <div className="settings-body">
          {section === 'organization' && <OrganizationSettings />}
          {section === 'numbering' && <NumberingSettings />}
          {section === 'tax-rates' && <TaxRateSettings />}
          {section === 'items' && <ItemSettings />}
          {section === 'approvals' && <ApprovalRuleSettings />}
          {section === 'users' && <UserSettings />}
        </div>
      </div>
    </div>
  );
}

function OrganizationSettings() {
  const organization = useOrganization();
  if (organization.isPending) return <Skeleton rows={6} />;
  if (organization.isError) return <ErrorPanel error={organization.error} retry={() => organization.refetch()} what="organization" />;
  return <OrganizationForm organization={organization.data} />;
}

function OrganizationForm({ organization }: { organization: Organization }) {
  const client = useQueryClient();
  const toast = useToast();
  const init = () => ({
    legalName: organization.legalName,
    email: organization.email ?? '',
    taxId: organization.taxId ?? '',
    address: addressDraft(organization.address),
    timeZone: organization.timeZone,
    locale: organization.locale,
    roundingMode: organization.roundingMode,
  });
  const { form, setForm, bind } = useFormState(init);
  useEffect(() => setForm(init()), [organization]); // eslint-disable-line react-hooks/exhaustive-deps
  const save = useMutation({
    mutationFn: () =>
      patch<Organization>('/v1/organization', {
        legalName: form.legalName.trim(),
        email: form.email.trim() || null,
        taxId: form.taxId.trim() || null,
        address: addressBody(form.address),
        timeZone: form.timeZone,
        locale: form.locale,
        roundingMode: form.roundingMode,
      }),
    onSuccess: async (saved) => {
      client.setQueryData(['organization'], saved);
      await client.invalidateQueries({ queryKey: SESSION_KEY });
      toast('Organization saved');
    },
  });
  const errors = fieldErrorsOf(save.error);
  return (
    <Form className="form panel" onSubmit={() => save.mutate()}>
      <h2 className="panel-title">Organization profile</h2>
      <p className="muted">Printed on your invoices. The base currency ({organization.baseCurrency}) is fixed once the books are open.</p>
      <Field label="Legal name" error={errors.legalName}>
        <input {...bind('legalName')} autoComplete="organization" />
      </Field>
      <div className="form-row">
        <Field label="Billing email" error={errors.email} optional>
          <input {...bind('email')} type="email" autoComplete="email" />
        </Field>
        <Field label="Tax ID" error={errors.taxId} optional>
          <input {...bind('taxId')} autoComplete="off" />
        </Field>
      </div>
      <AddressFields value={form.address} onChange={(address) => setForm((f) => ({ ...f, address }))} errors={errors} autofill optional />
      <div className="form-row form-row-3">
        <Field label="Time zone" error={errors.timeZone} hint="Decides “today” for issue and due dates.">
          <TimeZoneSelect {...bind('timeZone')} />
        </Field>
        <Field label="Number and date format" error={errors.locale}>
          <LocaleSelect {...bind('locale')} />
        </Field>
        <Field label="Rounding" error={errors.roundingMode}>
          <select {...bind('roundingMode')}>
            <option value="half_up">Half up (commercial)</option>
            <option value="half_even">Half even (banker’s)</option>
          </select>
        </Field>
      </div>
      <FormError error={save.error} fields={['legalName', 'email', 'taxId', 'address', 'timeZone', 'locale', 'roundingMode']} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save profile'}
        </button>
      </div>
    </Form>
  );
}

function NumberingSettings() {
  const series = useNumberSeries();
  if (series.isPending) return <Skeleton rows={4} />;
  if (series.isError) return <ErrorPanel error={series.error} retry={() => series.refetch()} what="number series" />;
  return (
    <div className="stack">
      {[...series.data]
        .sort((a, b) => (a.documentType === 'invoice' ? -1 : b.documentType === 'invoice' ? 1 : a.documentType.localeCompare(b.documentType)))
        .map((s) => (
          <SeriesForm key={s.id} series={s} />
        ))}
    </div>
  );
}

function previewNumber(pattern: string, date: string): string {
  const [year = '2026', month = '01'] = date.split('-');
  return pattern.replace(/\{(YYYY|YY|MM|seq(?::(\d+))?)\}/g, (_, token: string, width?: string) => {
    if (token === 'YYYY') return year;
    if (token === 'YY') return year.slice(2);
    if (token === 'MM') return month;
    return '1'.padStart(Number(width ?? 1), '0');
  });
}

function SeriesForm({ series }: { series: NumberSeries }) {
  const client = useQueryClient();
  const toast = useToast();
  const format = useFormat();
  const [pattern, setPattern] = useState(series.pattern);
  const [resetYearly, setResetYearly] = useState(series.resetYearly);
  const save = useMutation({
    mutationFn: () => put<{ data: NumberSeries[] }>(`/v1/number-series/${series.documentType}`, { pattern: pattern.trim(), resetYearly }),
    onSuccess: (result) => {
      client.setQueryData(['number-series'], result.data);
      toast('Numbering saved');
    },
  });
  const errors = fieldErrorsOf(save.error);
  const title = series.documentType === 'invoice' ? 'Invoices' : series.documentType === 'credit_note' ? 'Credit notes' : series.documentType;
  return (
    <Form className="form panel" onSubmit={() => save.mutate()}>
      <h2 className="panel-title">{title}</h2>
      <div className="form-row">
        <Field
          label="Number pattern"
          error={errors.pattern}
          hint={
            <>
              Use <code>{'{YYYY}'}</code>, <code>{'{YY}'}</code>, <code>{'{MM}'}</code> and <code>{'{seq:4}'}</code> (the gapless counter, padded to 4 digits).
            </>
          }
        >
          <input name="pattern" value={pattern} onChange={(e) => setPattern(e.target.value)} autoComplete="off" className="mono" />
        </Field>
        <div className="field">
          <span className="label-like">Numbers look like</span>
          <output className="number-preview">{pattern.includes('{seq') ? previewNumber(pattern, format.today()) : '—'}</output>
        </div>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={resetYearly} onChange={(e) => setResetYearly(e.target.checked)} /> Start again at 1 every year
      </label>
      <FormError error={save.error} fields={['pattern', 'resetYearly']} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </Form>
  );
}

const CATEGORIES: Array<{ code: string; label: string }> = [
  { code: 'S', label: 'Standard rate' },
  { code: 'Z', label: 'Zero rated' },
  { code: 'E', label: 'Exempt' },
  { code: 'AE', label: 'Reverse charge' },
  { code: 'K', label: 'Intra-community supply' },
  { code: 'G', label: 'Export outside the EU' },
  { code: 'O', label: 'Outside the scope of VAT' },
  { code: 'L', label: 'Canary Islands (IGIC)' },
  { code: 'M', label: 'Ceuta and Melilla (IPSI)' },
];

function TaxRateSettings() {
  const rates = useTaxRates(true);
  const client = useQueryClient();
  const toast = useToast();
  const format = useFormat();
  const empty = { name: '', percentage: '', category: 'S', exemptionReason: '', compound: false };
  const { form, setForm, bind } = useFormState(empty);
  const needsReason = ['E', 'AE', 'K', 'G', 'O'].includes(form.category);
  const create = useMutation({
    mutationFn: () =>
      post<TaxRate>('/v1/tax-rates', {
        name: form.name.trim(),
        percentage: toApiDecimal(form.percentage, format.locale),
        category: form.category,
        exemptionReason: needsReason ? form.exemptionReason.trim() || null : null,
        compound: form.compound,
      }),
    onSuccess: async (rate) => {
      setForm(empty);
      await client.invalidateQueries({ queryKey: ['tax-rates'] });
      toast(`Tax rate ${rate.name} added`);
    },
  });
  const archive = useMutation({
    mutationFn: (id: string) => post<TaxRate>(`/v1/tax-rates/${id}/archive`, {}),
    onSuccess: async (rate) => {
      await client.invalidateQueries({ queryKey: ['tax-rates'] });
      toast(`${rate.name} archived`);
    },
  });
  const errors = fieldErrorsOf(create.error);
  return (
    <div className="stack">
      <PanelSection id="rates-title" title="Tax rates">
        <ListStates
          query={rates}
          rows={rates.data}
          what="tax rates"
          empty={
            <EmptyState icon="tag" title="No tax rates yet">
              Add the VAT or sales tax rates you charge; lines pick them from this list.
            </EmptyState>
          }
        >
          {(rows) => (
            <DataTable
              caption="Tax rates"
              rows={rows}
              rowKey={(rate) => rate.id}
              rowClassName={(rate) => (rate.archivedAt ? 'row-muted' : undefined)}
              columns={[
                {
                  header: 'Name',
                  cell: (rate) => (
                    <>
                      {rate.name}
                      {rate.compound && <span className="badge badge-inline">Compound</span>}
                      {rate.archivedAt && <span className="badge badge-void badge-inline">Archived</span>}
                      {rate.exemptionReason && <div className="cell-sub">{rate.exemptionReason}</div>}
                    </>
                  ),
                },
                { header: 'Rate', className: 'num', cell: (rate) => format.percent(rate.percentage) },
                {
                  header: 'Category',
                  className: 'hide-phone',
                  cellClassName: 'muted',
                  cell: (rate) => `${rate.category} · ${CATEGORIES.find((c) => c.code === rate.category)?.label}`,
                },
                {
                  header: <span className="sr-only">Actions</span>,
                  cellClassName: 'actions-cell',
                  cell: (rate) =>
                    !rate.archivedAt && (
                      <button type="button" className="button button-ghost button-small" onClick={() => archive.mutate(rate.id)} disabled={archive.isPending}>
                        Archive
                      </button>
                    ),
                },
              ]}
            />
          )}
        </ListStates>
      </PanelSection>
      <Form className="form panel" onSubmit={() => create.mutate()} aria-labelledby="new-rate-title">
        <h2 id="new-rate-title" className="panel-title">
          Add a tax rate
        </h2>
        <div className="form-row form-row-3">
          <Field label="Name" error={errors.name} hint='As printed, e.g. "VAT 19%".'>
            <input {...bind('name')} autoComplete="off" />
          </Field>
          <Field label="Rate %" error={errors.percentage}>
            <input {...bind('percentage')} className="num" inputMode="decimal" autoComplete="off" />
          </Field>
          <Field label="Category" error={errors.category} hint="EN 16931 VAT category.">
            <select {...bind('category')}>
              {CATEGORIES.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.code} — {c.label}
                </option>
              ))}
            </select>
          </Field>
        </div>
        {needsReason && (
          <Field label="Exemption reason" error={errors.exemptionReason} hint="Printed on invoices, e.g. “Reverse charge: the customer accounts for the VAT”.">
            <input {...bind('exemptionReason')} autoComplete="off" />
          </Field>
        )}
        <label className="checkbox">
          <input type="checkbox" checked={form.compound} onChange={(e) => setForm({ ...form, compound: e.target.checked })} /> Compound: applies to the line amount plus the taxes before it
        </label>
        <FormError error={create.error} fields={['name', 'percentage', 'category', 'exemptionReason', 'compound']} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            <Icon name="plus" /> {create.isPending ? 'Adding…' : 'Add tax rate'}
          </button>
        </div>
      </Form>
    </div>
  );
}

function ItemSettings() {
  const items = useItems();
  const rates = useTaxRates();
  const format = useFormat();
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const names = (ids: string[]) => ids.map((id) => rates.data?.find((r) => r.id === id)?.name ?? '…').join(' + ') || 'No tax';
  return (
    <div className="stack">
      <PanelSection
        id="items-title"
        title="Items and services"
        actions={
          <button type="button" className="button button-primary button-small" onClick={() => setEditing('new')}>
            <Icon name="plus" /> New item
          </button>
        }
      >
        <ListStates
          query={items}
          rows={items.data}
          what="items"
          empty={
            <EmptyState icon="tag" title="No items yet" action={<button type="button" className="button button-primary" onClick={() => setEditing('new')}>Add your first item</button>}>
              Services and products you bill often: pick them on an invoice line to fill in the description, price and taxes.
            </EmptyState>
          }
        >
          {(rows) => (
            <DataTable
              caption="Items"
              rows={rows}
              rowKey={(item) => item.id}
              columns={[
                {
                  header: 'Name',
                  cell: (item) => (
                    <>
                      {item.name}
                      {item.description && <div className="cell-sub">{item.description}</div>}
                    </>
                  ),
                },
                {
                  header: 'Price',
                  className: 'num',
                  cell: (item) => (
                    <>
                      {format.money(item.unitPrice)} <span className="muted">/ {item.unit}</span>
                    </>
                  ),
                },
                { header: 'Tax', className: 'hide-phone', cellClassName: 'muted', cell: (item) => names(item.taxRateIds) },
                {
                  header: <span className="sr-only">Actions</span>,
                  cellClassName: 'actions-cell',
                  cell: (item) => (
                    <button type="button" className="button button-ghost button-small" onClick={() => setEditing(item)} aria-label={`Edit ${item.name}`}>
                      Edit
                    </button>
                  ),
                },
              ]}
            />
          )}
        </ListStates>
      </PanelSection>
      {editing && <ItemDialog item={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function ItemDialog({ item, onClose }: { item: Item | null; onClose: () => void }) {
  const client = useQueryClient();
  const toast = useToast();
  const format = useFormat();
  const rates = useTaxRates();
  const { form, setForm, bind } = useFormState({
    name: item?.name ?? '',
    description: item?.description ?? '',
    unit: item?.unit ?? 'hour',
    unitPrice: item ? toInputDecimal(item.unitPrice, format.locale) : '',
    taxRateIds: item?.taxRateIds ?? [],
    trackStock: (item as StockItem | null)?.trackStock ?? false,
    lowStockThreshold: toInputDecimal((item as StockItem | null)?.lowStockThreshold ?? '', format.locale),
  });
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: form.name.trim(),
        description: form.description.trim() || null,
        unit: form.unit.trim() || 'unit',
        unitPrice: toApiDecimal(form.unitPrice, format.locale),
        taxRateIds: form.taxRateIds,
        trackStock: form.trackStock,
        lowStockThreshold: form.trackStock && form.lowStockThreshold.trim() ? toApiDecimal(form.lowStockThreshold, format.locale) : null,
      };
      return item ? patch<Item>(`/v1/items/${item.id}`, body) : post<Item>('/v1/items', body);
    },
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['items'] });
      toast(item ? `${saved.name} saved` : `${saved.name} added`);
      onClose();
    },
  });
  const errors = fieldErrorsOf(save.error);
  return (
    <Dialog open onClose={onClose} title={item ? `Edit ${item.name}` : 'New item'}>
      <Form className="form" onSubmit={() => save.mutate()}>
        <Field label="Name" error={errors.name} hint="Used as the line description.">
          <input {...bind('name')} autoFocus autoComplete="off" />
        </Field>
        <Field label="Description" error={errors.description} optional>
          <textarea {...bind('description')} rows={2} />
        </Field>
        <div className="form-row">
          <Field label="Unit price" error={errors.unitPrice}>
            <input {...bind('unitPrice')} className="num" inputMode="decimal" autoComplete="off" />
          </Field>
          <Field label="Unit" error={errors.unit} hint="hour, day, month, piece…">
            <input {...bind('unit')} autoComplete="off" />
          </Field>
        </div>
        <div className={`field${errors.taxRateIds ? ' has-error' : ''}`}>
          <span className="label-like" id="item-tax-label">
            Tax rates
          </span>
          <TaxPicker rates={(rates.data ?? []).filter((r) => !r.archivedAt)} value={form.taxRateIds} onChange={(ids) => setForm({ ...form, taxRateIds: ids })} label="Tax rates" />
          {errors.taxRateIds && <p className="field-error">{errors.taxRateIds}</p>}
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={form.trackStock} onChange={(e) => setForm({ ...form, trackStock: e.target.checked })} /> Track stock: issued invoices take
          it out, credit notes and voids put it back
        </label>
        {form.trackStock && (
          <Field label="Low-stock threshold" error={errors.lowStockThreshold} hint="Listed under low stock at or below this quantity." optional>
            <input {...bind('lowStockThreshold')} className="num" inputMode="decimal" autoComplete="off" />
          </Field>
        )}
        <FormError error={save.error} fields={['name', 'description', 'unitPrice', 'unit', 'taxRateIds', 'trackStock', 'lowStockThreshold']} />
        <div className="dialog-footer dialog-footer-inline">
          <DialogActions onCancel={onClose} label={item ? 'Save item' : 'Add item'} pendingLabel="Saving…" pending={save.isPending} />
        </div>
      </Form>
    </Dialog>
  );
}

const ROLE_HINTS: Record<string, string> = {
  admin: 'Everything, including settings and inviting people.',
  bookkeeper: 'Customers, invoices, payments and credit notes.',
  member: 'Works with customers and invoices.',
};

function UserSettings() {
  const session = useSession();
  const users = useUsers();
  const format = useFormat();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('bookkeeper');
  const [link, setLink] = useState<{ url: string; email: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const invite = useMutation({
    mutationFn: () => post<Invitation>('/v1/invitations', { email: email.trim(), role }),
    onSuccess: (invitation) => {
      setLink({ url: new URL(invitation.url, window.location.origin).toString(), email: email.trim() });
      setEmail('');
      setCopied(false);
    },
  });
  const errors = fieldErrorsOf(invite.error);
  const manager = canManage(session);
  return (
    <div className="stack">
      <PanelSection id="users-title" title="People">
        <ListStates
          query={users}
          rows={users.data}
          what="users"
          skeletonRows={2}
          empty={null}
          errorView={users.error instanceof ApiError && users.error.status === 403 ? <p className="panel-empty muted">Only owners and admins see the people of the organization.</p> : undefined}
        >
          {(rows) => (
            <DataTable
              caption="Users"
              rows={rows}
              rowKey={(user) => user.id}
              columns={[
                {
                  header: 'Name',
                  cell: (user) => (
                    <>
                      {user.name ?? <Dash />}
                      {user.id === session.user.id && <span className="badge badge-inline">You</span>}
                      <div className="cell-sub show-phone">{user.email}</div>
                    </>
                  ),
                },
                { header: 'Email', className: 'hide-phone', cell: (user) => user.email },
                {
                  header: 'Role',
                  cell: (user) => (
                    <>
                      {ROLE_LABELS[user.role] ?? user.role}
                      {user.createdAt && <div className="cell-sub hide-phone">since {format.dateTime(user.createdAt)}</div>}
                    </>
                  ),
                },
              ]}
            />
          )}
        </ListStates>
      </PanelSection>
      {manager && (
        <Form className="form panel" aria-labelledby="invite-title" onSubmit={() => invite.mutate()}>
          <h2 id="invite-title" className="panel-title">
            Invite someone
          </h2>
          <p className="muted">You get a link to send them; they choose their own name and password.</p>
          <div className="form-row">
            <Field label="Email" error={errors.email}>
              <input name="inviteEmail" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
            </Field>
            <Field label="Role" error={errors.role} hint={ROLE_HINTS[role]}>
              <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
                <option value="admin">Admin</option>
                <option value="bookkeeper">Bookkeeper</option>
                <option value="member">Member</option>
              </select>
            </Field>
          </div>
          <FormError error={invite.error} fields={['email', 'role']} />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={invite.isPending}>
              <Icon name="send" /> {invite.isPending ? 'Creating link…' : 'Create invitation link'}
            </button>
          </div>
          {link && (
            <div className="invite-link" role="status">
              <p>
                Send this link to <strong>{link.email}</strong>. It works once.
              </p>
              <div className="copy-row">
                <input readOnly value={link.url} aria-label="Invitation link" onFocus={(e) => e.target.select()} className="mono" />
                <button
                  type="button"
                  className="button"
                  onClick={async () => {
                    try {
                      await navigator.clipboard.writeText(link.url);
                      setCopied(true);
                    } catch {
                      setCopied(false);
                    }
                  }}
                >
                  <Icon name={copied ? 'check' : 'copy'} /> {copied ? 'Copied' : 'Copy'}
                </button>
              </div>
            </div>
          )}
        </Form>
      )}
    </div>
  );
}
