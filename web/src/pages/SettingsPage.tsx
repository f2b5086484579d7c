import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { NavLink, useParams } from 'react-router';
import { ApiError, fieldErrorsOf, patch, post, put } from '../api/client.ts';
import { useItems, useNumberSeries, useOrganization, useTaxRates, useUsers } from '../api/queries.ts';
import type { Invitation, Item, NumberSeries, Organization, Role, TaxRate } from '../api/types.ts';
import { Icon } from '../components/Icon.tsx';
import { TaxPicker } from '../components/TaxPicker.tsx';
import { Dialog, EmptyState, ErrorPanel, Field, FormError, NotFound, PageHeader, Skeleton, useTitle } from '../components/ui.tsx';
import { LOCALE_OPTIONS, ROLE_LABELS, timeZoneOptions, toApiDecimal, toInputDecimal, useFormat } from '../lib/format.ts';
import { canManage, SESSION_KEY, useSession } from '../lib/session.tsx';
import { useToast } from '../lib/toast.tsx';

const SECTIONS = [
  { id: 'organization', label: 'Organization' },
  { id: 'numbering', label: 'Numbering' },
  { id: 'tax-rates', label: 'Tax rates' },
  { id: 'items', label: 'Items' },
  { id: 'users', label: 'Users' },
] as const;

export function SettingsPage() {
  const { section = 'organization' } = useParams();
  const current = SECTIONS.find((s) => s.id === section);
  useTitle(current ? `Settings · ${current.label}` : 'Settings');
  if (!current) return <NotFound what="settings page" />;
  return (
    <div className="page">
      <PageHeader title="Settings" subtitle="Your firm’s profile, numbering, taxes, items and people." />
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
  const zones = useMemo(timeZoneOptions, []);
  const init = () => ({
    legalName: organization.legalName,
    email: organization.email ?? '',
    taxId: organization.taxId ?? '',
    line1: organization.address?.line1 ?? '',
    line2: organization.address?.line2 ?? '',
    postalCode: organization.address?.postalCode ?? '',
    city: organization.address?.city ?? '',
    region: organization.address?.region ?? '',
    country: organization.address?.country ?? '',
    timeZone: organization.timeZone,
    locale: organization.locale,
    roundingMode: organization.roundingMode,
  });
  const [form, setForm] = useState(init);
  useEffect(() => setForm(init()), [organization]); // eslint-disable-line react-hooks/exhaustive-deps
  const set = (key: keyof ReturnType<typeof init>) => (event: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: event.target.value }));
  const hasAddress = [form.line1, form.line2, form.postalCode, form.city, form.region, form.country].some((v) => v.trim());
  const save = useMutation({
    mutationFn: () =>
      patch<Organization>('/v1/organization', {
        legalName: form.legalName.trim(),
        email: form.email.trim() || null,
        taxId: form.taxId.trim() || null,
        address: hasAddress
          ? {
              line1: form.line1.trim(),
              ...(form.line2.trim() ? { line2: form.line2.trim() } : {}),
              city: form.city.trim(),
              postalCode: form.postalCode.trim(),
              ...(form.region.trim() ? { region: form.region.trim() } : {}),
              country: form.country.trim().toUpperCase(),
            }
          : null,
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
  const locales = LOCALE_OPTIONS.some((l) => l.value === form.locale) ? LOCALE_OPTIONS : [{ value: form.locale, label: form.locale }, ...LOCALE_OPTIONS];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="form panel" onSubmit={submit} noValidate>
      <h2 className="panel-title">Organization profile</h2>
      <p className="muted">Printed on your invoices. The base currency ({organization.baseCurrency}) is fixed once the books are open.</p>
      <Field label="Legal name" error={errors.legalName}>
        <input name="legalName" value={form.legalName} onChange={set('legalName')} autoComplete="organization" />
      </Field>
      <div className="form-row">
        <Field label="Billing email" error={errors.email} optional>
          <input name="email" type="email" value={form.email} onChange={set('email')} autoComplete="email" />
        </Field>
        <Field label="Tax ID" error={errors.taxId} optional>
          <input name="taxId" value={form.taxId} onChange={set('taxId')} autoComplete="off" />
        </Field>
      </div>
      <Field label="Street and number" error={errors['address.line1'] ?? errors.address} optional>
        <input name="line1" value={form.line1} onChange={set('line1')} autoComplete="address-line1" />
      </Field>
      <div className="form-row form-row-3">
        <Field label="Postal code" error={errors['address.postalCode']}>
          <input name="postalCode" value={form.postalCode} onChange={set('postalCode')} autoComplete="postal-code" />
        </Field>
        <Field label="City" error={errors['address.city']}>
          <input name="city" value={form.city} onChange={set('city')} autoComplete="address-level2" />
        </Field>
        <Field label="Country" error={errors['address.country']} hint="Two letters, e.g. DE.">
          <input name="country" value={form.country} onChange={set('country')} maxLength={2} autoComplete="country" />
        </Field>
      </div>
      <div className="form-row form-row-3">
        <Field label="Time zone" error={errors.timeZone} hint="Decides “today” for issue and due dates.">
          <select name="timeZone" value={form.timeZone} onChange={set('timeZone')}>
            {(zones.includes(form.timeZone) ? zones : [form.timeZone, ...zones]).map((z) => (
              <option key={z} value={z}>
                {z.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Number and date format" error={errors.locale}>
          <select name="locale" value={form.locale} onChange={set('locale')}>
            {locales.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Rounding" error={errors.roundingMode}>
          <select name="roundingMode" value={form.roundingMode} onChange={set('roundingMode')}>
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
    </form>
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
    <form
      className="form panel"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
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
    </form>
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
  const [form, setForm] = useState({ name: '', percentage: '', category: 'S', exemptionReason: '', compound: false });
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
      setForm({ name: '', percentage: '', category: 'S', exemptionReason: '', compound: false });
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
      <section className="panel panel-flush" aria-labelledby="rates-title">
        <div className="panel-head">
          <h2 id="rates-title" className="panel-title">
            Tax rates
          </h2>
        </div>
        {rates.isPending ? (
          <Skeleton rows={3} />
        ) : rates.isError ? (
          <ErrorPanel error={rates.error} retry={() => rates.refetch()} what="tax rates" />
        ) : rates.data.length === 0 ? (
          <EmptyState icon="tag" title="No tax rates yet">
            Add the VAT or sales tax rates you charge; lines pick them from this list.
          </EmptyState>
        ) : (
          <table className="table">
            <caption className="sr-only">Tax rates</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  Rate
                </th>
                <th scope="col" className="hide-phone">
                  Category
                </th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rates.data.map((rate) => (
                <tr key={rate.id} className={rate.archivedAt ? 'row-muted' : undefined}>
                  <td>
                    {rate.name}
                    {rate.compound && <span className="badge badge-inline">Compound</span>}
                    {rate.archivedAt && <span className="badge badge-void badge-inline">Archived</span>}
                    {rate.exemptionReason && <div className="cell-sub">{rate.exemptionReason}</div>}
                  </td>
                  <td className="num">{format.percent(rate.percentage)}</td>
                  <td className="hide-phone muted">
                    {rate.category} · {CATEGORIES.find((c) => c.code === rate.category)?.label}
                  </td>
                  <td className="actions-cell">
                    {!rate.archivedAt && (
                      <button type="button" className="button button-ghost button-small" onClick={() => archive.mutate(rate.id)} disabled={archive.isPending}>
                        Archive
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <form
        className="form panel"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
        aria-labelledby="new-rate-title"
      >
        <h2 id="new-rate-title" className="panel-title">
          Add a tax rate
        </h2>
        <div className="form-row form-row-3">
          <Field label="Name" error={errors.name} hint='As printed, e.g. "VAT 19%".'>
            <input name="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} autoComplete="off" />
          </Field>
          <Field label="Rate %" error={errors.percentage}>
            <input name="percentage" className="num" inputMode="decimal" value={form.percentage} onChange={(e) => setForm({ ...form, percentage: e.target.value })} autoComplete="off" />
          </Field>
          <Field label="Category" error={errors.category} hint="EN 16931 VAT category.">
            <select name="category" value={form.category} onChange={(e) => setForm({ ...form, category: e.target.value })}>
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
            <input name="exemptionReason" value={form.exemptionReason} onChange={(e) => setForm({ ...form, exemptionReason: e.target.value })} autoComplete="off" />
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
      </form>
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
      <section className="panel panel-flush" aria-labelledby="items-title">
        <div className="panel-head">
          <h2 id="items-title" className="panel-title">
            Items and services
          </h2>
          <button type="button" className="button button-primary button-small" onClick={() => setEditing('new')}>
            <Icon name="plus" /> New item
          </button>
        </div>
        {items.isPending ? (
          <Skeleton rows={3} />
        ) : items.isError ? (
          <ErrorPanel error={items.error} retry={() => items.refetch()} what="items" />
        ) : items.data.length === 0 ? (
          <EmptyState icon="tag" title="No items yet" action={<button type="button" className="button button-primary" onClick={() => setEditing('new')}>Add your first item</button>}>
            Services and products you bill often: pick them on an invoice line to fill in the description, price and taxes.
          </EmptyState>
        ) : (
          <table className="table">
            <caption className="sr-only">Items</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  Price
                </th>
                <th scope="col" className="hide-phone">
                  Tax
                </th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.data.map((item) => (
                <tr key={item.id}>
                  <td>
                    {item.name}
                    {item.description && <div className="cell-sub">{item.description}</div>}
                  </td>
                  <td className="num">
                    {format.money(item.unitPrice)} <span className="muted">/ {item.unit}</span>
                  </td>
                  <td className="hide-phone muted">{names(item.taxRateIds)}</td>
                  <td className="actions-cell">
                    <button type="button" className="button button-ghost button-small" onClick={() => setEditing(item)} aria-label={`Edit ${item.name}`}>
                      Edit
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {editing && <ItemDialog item={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function ItemDialog({ item, onClose }: { item: Item | null; onClose: () => void }) {
  const client = useQueryClient();
  const toast = useToast();
  const format = useFormat();
  const rates = useTaxRates();
  const [form, setForm] = useState({
    name: item?.name ?? '',
    description: item?.description ?? '',
    unit: item?.unit ?? 'hour',
    unitPrice: item ? toInputDecimal(item.unitPrice, format.locale) : '',
    taxRateIds: item?.taxRateIds ?? [],
  });
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: form.name.trim(),
        description: form.description.trim() || null,
        unit: form.unit.trim() || 'unit',
        unitPrice: toApiDecimal(form.unitPrice, format.locale),
        taxRateIds: form.taxRateIds,
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
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <Field label="Name" error={errors.name} hint="Used as the line description.">
          <input name="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} autoFocus autoComplete="off" />
        </Field>
        <Field label="Description" error={errors.description} optional>
          <textarea name="description" rows={2} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
        </Field>
        <div className="form-row">
          <Field label="Unit price" error={errors.unitPrice}>
            <input name="unitPrice" className="num" inputMode="decimal" value={form.unitPrice} onChange={(e) => setForm({ ...form, unitPrice: e.target.value })} autoComplete="off" />
          </Field>
          <Field label="Unit" error={errors.unit} hint="hour, day, month, piece…">
            <input name="unit" value={form.unit} onChange={(e) => setForm({ ...form, unit: e.target.value })} autoComplete="off" />
          </Field>
        </div>
        <div className={`field${errors.taxRateIds ? ' has-error' : ''}`}>
          <span className="label-like" id="item-tax-label">
            Tax rates
          </span>
          <TaxPicker rates={(rates.data ?? []).filter((r) => !r.archivedAt)} value={form.taxRateIds} onChange={(ids) => setForm({ ...form, taxRateIds: ids })} label="Tax rates" />
          {errors.taxRateIds && <p className="field-error">{errors.taxRateIds}</p>}
        </div>
        <FormError error={save.error} fields={['name', 'description', 'unitPrice', 'unit', 'taxRateIds']} />
        <div className="dialog-footer dialog-footer-inline">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : item ? 'Save item' : 'Add item'}
          </button>
        </div>
      </form>
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
      <section className="panel panel-flush" aria-labelledby="users-title">
        <div className="panel-head">
          <h2 id="users-title" className="panel-title">
            People
          </h2>
        </div>
        {users.isPending ? (
          <Skeleton rows={2} />
        ) : users.isError ? (
          users.error instanceof ApiError && users.error.status === 403 ? (
            <p className="panel-empty muted">Only owners and admins see the people of the organization.</p>
          ) : (
            <ErrorPanel error={users.error} retry={() => users.refetch()} what="users" />
          )
        ) : (
          <table className="table">
            <caption className="sr-only">Users</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="hide-phone">
                  Email
                </th>
                <th scope="col">Role</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <tr key={user.id}>
                  <td>
                    {user.name ?? <span className="muted">—</span>}
                    {user.id === session.user.id && <span className="badge badge-inline">You</span>}
                    <div className="cell-sub show-phone">{user.email}</div>
                  </td>
                  <td className="hide-phone">{user.email}</td>
                  <td>
                    {ROLE_LABELS[user.role] ?? user.role}
                    {user.createdAt && <div className="cell-sub hide-phone">since {format.dateTime(user.createdAt)}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {manager && (
        <form
          className="form panel"
          noValidate
          aria-labelledby="invite-title"
          onSubmit={(event) => {
            event.preventDefault();
            invite.mutate();
          }}
        >
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
        </form>
      )}
    </div>
  );
}
