import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, del, post, put } from '../api/client.ts';
import { useAllCustomers, useItems, useRefreshMoney, useTaxRates } from '../api/queries.ts';
import type { Invoice, InvoiceInput, Item } from '../api/types.ts';
import { CustomerSelect } from '../components/fields.tsx';
import { Icon } from '../components/Icon.tsx';
import { InvoiceTotals } from '../components/InvoiceTotals.tsx';
import { TaxPicker } from '../components/TaxPicker.tsx';
import { Dialog, DialogActions, ErrorAlert, Field, Form, Money, PageHeader, PanelSection, StatusBadge, useTitle } from '../components/ui.tsx';
import { toApiDecimal, toInputDecimal, useFormat } from '../lib/format.ts';
import { useDebounced } from '../lib/hooks.ts';
import { useToast } from '../lib/toast.tsx';

type LineDraft = {
  key: string;
  itemId: string | null;
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  discountPercent: string;
  taxRateIds: string[];
};

type Header = {
  customerId: string;
  priceMode: 'exclusive' | 'inclusive';
  discountPercent: string;
  purchaseOrder: string;
  reference: string;
  notes: string;
  terms: string;
};

/** The columns of a line typed as decimals: the same input in each, but for its name and placeholder. */
const DECIMAL_COLUMNS = [
  { column: 'quantity', className: 'col-quantity', heading: 'Qty', label: 'Quantity', placeholder: undefined },
  { column: 'unitPrice', className: 'col-price', heading: 'Unit price', label: 'Unit price', placeholder: '0.00' },
  { column: 'discountPercent', className: 'col-discount', heading: 'Disc. %', label: 'Discount percent', placeholder: '0' },
] as const;

let lineCounter = 0;
const lineKey = () => `line-${++lineCounter}`;

function emptyLine(taxRateIds: string[] = []): LineDraft {
  return { key: lineKey(), itemId: null, description: '', quantity: '1', unit: '', unitPrice: '', discountPercent: '', taxRateIds };
}

function isBlank(line: LineDraft): boolean {
  return !line.itemId && line.description.trim() === '' && line.unitPrice.trim() === '';
}

/** The request body for the lines that are not blank, and which row each body line came from. */
function buildBody(header: Header, lines: LineDraft[], currency: string | undefined, locale: string): { body: InvoiceInput; rows: string[] } {
  const kept = lines.filter((line) => !isBlank(line));
  const orNull = (text: string) => (text.trim() ? text.trim() : null);
  const discount = toApiDecimal(header.discountPercent, locale);
  return {
    rows: kept.map((line) => line.key),
    body: {
      customerId: header.customerId,
      ...(currency ? { currency } : {}),
      priceMode: header.priceMode,
      ...(discount && discount !== '0' ? { discountPercent: discount } : {}),
      purchaseOrder: orNull(header.purchaseOrder),
      reference: orNull(header.reference),
      notes: orNull(header.notes),
      terms: orNull(header.terms),
      lines: kept.map((line) => {
        const discountPercent = toApiDecimal(line.discountPercent, locale);
        return {
          ...(line.itemId ? { itemId: line.itemId } : {}),
          ...(line.description.trim() ? { description: line.description.trim() } : {}),
          quantity: toApiDecimal(line.quantity, locale),
          ...(line.unit.trim() ? { unit: line.unit.trim() } : {}),
          ...(line.unitPrice.trim() ? { unitPrice: toApiDecimal(line.unitPrice, locale) } : {}),
          ...(discountPercent && discountPercent !== '0' ? { discountPercent } : {}),
          taxRateIds: line.taxRateIds,
        };
      }),
    },
  };
}

/** Field errors of the API keyed by row ("line-3.quantity") instead of body index ("lines.1.quantity"). */
function errorsByRow(error: unknown, rows: string[]): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(error.fieldErrors)) {
    const match = /^lines\.(\d+)(?:\.(\w+))?/.exec(field);
    if (match) {
      const row = rows[Number(match[1])];
      if (row) out[`${row}.${match[2] ?? 'description'}`] = message;
    } else {
      out[field] = message;
    }
  }
  return out;
}

export function InvoiceEditor({ invoice, initialCustomerId }: { invoice?: Invoice; initialCustomerId?: string }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const toast = useToast();
  const refresh = useRefreshMoney();
  const format = useFormat();
  const customers = useAllCustomers();
  const taxRates = useTaxRates();
  const items = useItems();
  const activeRates = (taxRates.data ?? []).filter((rate) => !rate.archivedAt);
  const activeItems = (items.data ?? []).filter((item) => !item.archivedAt);
  const isNew = !invoice;
  useTitle(isNew ? 'New invoice' : 'Edit draft invoice');

  const [header, setHeader] = useState<Header>(() => ({
    customerId: invoice?.customerId ?? initialCustomerId ?? '',
    priceMode: invoice?.priceMode === 'inclusive' ? 'inclusive' : 'exclusive',
    discountPercent: invoice && invoice.discountPercent !== '0' ? toInputDecimal(invoice.discountPercent, format.locale) : '',
    purchaseOrder: invoice?.purchaseOrder ?? '',
    reference: invoice?.reference ?? '',
    notes: invoice?.notes ?? '',
    terms: invoice?.terms ?? '',
  }));
  const [lines, setLines] = useState<LineDraft[]>(() =>
    invoice && invoice.lines.length > 0
      ? invoice.lines.map((line) => ({
          key: lineKey(),
          itemId: line.itemId,
          description: line.description,
          quantity: toInputDecimal(line.quantity, format.locale),
          unit: line.unit ?? '',
          unitPrice: toInputDecimal(line.unitPrice, format.locale),
          discountPercent: line.discountPercent === '0' ? '' : toInputDecimal(line.discountPercent, format.locale),
          taxRateIds: line.taxRateIds,
        }))
      : [emptyLine()],
  );
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [showMore, setShowMore] = useState(Boolean(invoice && (invoice.purchaseOrder || invoice.reference || invoice.notes || invoice.terms || invoice.discountPercent !== '0' || invoice.priceMode === 'inclusive')));
  const [confirmIssue, setConfirmIssue] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [dirty, setDirty] = useState(false);
  const focusRequest = useRef<string | null>(null);
  const tableRef = useRef<HTMLTableSectionElement>(null);

  // A new invoice whose organization has exactly one tax rate starts with it on the first line.
  const seededTaxes = useRef(Boolean(invoice));
  useEffect(() => {
    if (seededTaxes.current || !taxRates.data) return;
    seededTaxes.current = true;
    if (activeRates.length === 1) setLines((current) => current.map((line, i) => (i === 0 && line.taxRateIds.length === 0 ? { ...line, taxRateIds: [activeRates[0]!.id] } : line)));
  }, [taxRates.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const customer = customers.data?.find((c) => c.id === header.customerId);
  const currency = customer?.currency ?? invoice?.currency;
  const { body, rows } = buildBody(header, lines, currency, format.locale);
  const bodyJson = JSON.stringify(body);

  // Live totals come from the server: POST /v1/invoices/preview, debounced. Never computed here.
  const debouncedJson = useDebounced(bodyJson, 300);
  const previewEnabled = Boolean(header.customerId) && body.lines.length > 0;
  const preview = useQuery({
    queryKey: ['invoice-preview', debouncedJson],
    queryFn: ({ signal }) => post<Invoice>('/v1/invoices/preview', JSON.parse(debouncedJson), { signal }),
    enabled: previewEnabled && debouncedJson === bodyJson,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: Infinity,
    gcTime: 30_000,
  });
  const previewCurrent = previewEnabled && debouncedJson === bodyJson && !preview.isFetching && !preview.isPlaceholderData;
  const previewState = !previewEnabled ? 'empty' : !previewCurrent ? 'pending' : preview.isError ? 'error' : 'ready';
  // While the lines are incomplete the server refuses the preview: keep showing the last good totals, dimmed.
  const lastGood = useRef<Invoice | undefined>(undefined);
  if (preview.data && !preview.isPlaceholderData) lastGood.current = preview.data;
  const totals = previewEnabled ? (preview.data ?? lastGood.current) : undefined;

  useEffect(() => {
    if (!dirty) return;
    const onUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [dirty]);

  // After adding a line, focus its description.
  useEffect(() => {
    if (!focusRequest.current) return;
    const input = tableRef.current?.querySelector<HTMLInputElement>(`[data-line="${focusRequest.current}"][data-column="description"]`);
    focusRequest.current = null;
    input?.focus();
  });

  const save = useMutation({
    mutationFn: async (): Promise<Invoice> => (invoice ? put<Invoice>(`/v1/invoices/${invoice.id}`, body) : post<Invoice>('/v1/invoices', body)),
  });
  const savedDraft = useRef<Invoice | null>(null);
  const issue = useMutation({
    mutationFn: async (): Promise<Invoice> => {
      // An unchanged draft is issued as it is: saving it again would make a new version, which an
      // approval given to this one would no longer cover.
      const saved = dirty || !invoice ? await save.mutateAsync() : invoice;
      savedDraft.current = saved;
      return post<Invoice>(`/v1/invoices/${saved.id}/issue`, {});
    },
  });
  const remove = useMutation({ mutationFn: () => del(`/v1/invoices/${invoice!.id}`) });
  const busy = save.isPending || issue.isPending || remove.isPending;

  const afterSave = async (saved: Invoice, message: string) => {
    setDirty(false);
    client.setQueryData(['invoices', 'one', saved.id], saved);
    await refresh();
    toast(message);
    if (isNew || saved.status !== 'draft') navigate(`/invoices/${saved.id}`, { replace: isNew });
  };

  const onSave = async () => {
    if (busy) return;
    issue.reset();
    try {
      const saved = await save.mutateAsync();
      await afterSave(saved, 'Draft saved');
    } catch {
      setTouched(new Set(lines.map((l) => l.key)));
    }
  };
  const onIssue = async () => {
    try {
      const issued = await issue.mutateAsync();
      setConfirmIssue(false);
      await afterSave(issued, `Invoice ${issued.number} issued`);
    } catch (error) {
      setConfirmIssue(false);
      setTouched(new Set(lines.map((l) => l.key)));
      // A new invoice may have been saved before issuing failed: continue on that draft, not a second one.
      const draft = savedDraft.current;
      if (isNew && draft) {
        setDirty(false);
        client.setQueryData(['invoices', 'one', draft.id], draft);
        toast(`Saved as a draft, but not issued: ${error instanceof ApiError ? error.detail : 'try again'}`);
        navigate(`/invoices/${draft.id}`, { replace: true });
      }
    }
  };
  const onDelete = async () => {
    await remove.mutateAsync();
    setDirty(false);
    await refresh();
    toast('Draft deleted');
    navigate('/invoices', { replace: true });
  };

  const saveError = issue.error ?? save.error;
  const previewError = previewCurrent && preview.isError ? preview.error : null;
  const saveErrors = errorsByRow(saveError, rows);
  const previewErrors = errorsByRow(previewError, rows);
  const errorFor = (field: string, row?: string) => {
    if (saveErrors[field]) return saveErrors[field];
    if (row && !touched.has(row)) return undefined;
    return previewErrors[field];
  };

  const updateHeader = (changes: Partial<Header>) => {
    setDirty(true);
    setHeader((h) => ({ ...h, ...changes }));
  };
  const updateLine = (key: string, changes: Partial<LineDraft>) => {
    setDirty(true);
    setLines((current) => current.map((line) => (line.key === key ? { ...line, ...changes } : line)));
  };
  const addLineAfter = (key: string | null, item?: Item) => {
    setDirty(true);
    setLines((current) => {
      const index = key ? current.findIndex((line) => line.key === key) : current.length - 1;
      const previous = current[index];
      const line = item ? lineFromItem(item) : emptyLine(previous?.taxRateIds ?? []);
      focusRequest.current = line.key;
      return [...current.slice(0, index + 1), line, ...current.slice(index + 1)];
    });
  };
  const removeLine = (key: string) => {
    setDirty(true);
    setLines((current) => {
      const index = current.findIndex((line) => line.key === key);
      const next = current.filter((line) => line.key !== key);
      const focusKey = next[Math.min(index, next.length - 1)]?.key;
      if (focusKey) focusRequest.current = focusKey;
      return next.length ? next : [emptyLine()];
    });
  };
  const describe = (item: Item) => ({
    itemId: item.id,
    description: item.name,
    unitPrice: toInputDecimal(item.unitPrice, format.locale),
    unit: item.unit,
    taxRateIds: item.taxRateIds,
  });
  const lineFromItem = (item: Item): LineDraft => ({ ...emptyLine(), ...describe(item) });
  const addItem = (itemId: string) => {
    const item = activeItems.find((i) => i.id === itemId);
    if (!item) return;
    const last = lines[lines.length - 1];
    if (last && isBlank(last)) {
      updateLine(last.key, describe(item));
      focusRequest.current = last.key;
    } else addLineAfter(null, item);
  };
  const onDescriptionChange = (line: LineDraft, value: string) => {
    const item = activeItems.find((i) => i.name === value);
    if (item && item.id !== line.itemId) updateLine(line.key, describe(item));
    else updateLine(line.key, { description: value, ...(line.itemId && value !== activeItems.find((i) => i.id === line.itemId)?.name ? { itemId: null } : {}) });
  };

  // Enter in a line adds the next line; Ctrl/Cmd+S saves the draft.
  const onLineKeyDown = (event: KeyboardEvent<HTMLElement>, line: LineDraft) => {
    if (event.key === 'Enter' && !event.shiftKey && (event.target as HTMLElement).tagName === 'INPUT') {
      event.preventDefault();
      const index = lines.findIndex((l) => l.key === line.key);
      const next = lines[index + 1];
      if (isBlank(line) && index === lines.length - 1) return;
      if (next && isBlank(next)) {
        focusRequest.current = next.key;
        setLines((current) => [...current]);
      } else addLineAfter(line.key);
    }
  };
  const onFormKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void onSave();
    }
  };

  const terms = customer ? (customer.paymentTermsType === 'end_of_month' ? `end of month + ${customer.paymentTermsDays} days` : `${customer.paymentTermsDays} days`) : null;
  const lineNumber = (key: string) => lines.findIndex((l) => l.key === key) + 1;
  const previewLine = (key: string) => {
    const index = rows.indexOf(key);
    return index >= 0 && totals && previewState !== 'error' ? totals.lines[index] : undefined;
  };
  const otherErrors = Object.entries(saveErrors).filter(([field]) => !field.startsWith('line-') && !['customerId', 'currency', 'discountPercent', 'purchaseOrder', 'reference', 'notes', 'terms', 'priceMode'].includes(field));

  return (
    <div className="page page-editor">
      <PageHeader
        back={{ to: '/invoices', label: 'Invoices' }}
        title={
          <>
            {isNew ? 'New invoice' : 'Draft invoice'} <StatusBadge status="draft" />
          </>
        }
        subtitle={isNew ? 'Saved as a draft first; it gets its number when you issue it.' : `Started ${format.dateTime(invoice!.createdAt)}`}
      />
      <Form className="editor" onSubmit={() => void onSave()} onKeyDown={onFormKeyDown} aria-label="Invoice">
        <div className="editor-main">
          <section className="panel editor-header">
            <div className="form-row">
              <Field label="Customer" error={errorFor('customerId')}>
                <CustomerSelect
                  name="customerId"
                  placeholder="Choose a customer…"
                  value={header.customerId}
                  onChange={(e) => updateHeader({ customerId: e.target.value })}
                  autoFocus={isNew && !initialCustomerId}
                />
              </Field>
              <div className="editor-facts">
                <div>
                  <span className="fact-label">Currency</span>
                  <span className="fact-value">{currency ?? '—'}</span>
                </div>
                <div>
                  <span className="fact-label">Payment terms</span>
                  <span className="fact-value">{terms ?? '—'}</span>
                </div>
                <div>
                  <span className="fact-label">Number</span>
                  <span className="fact-value muted">on issue</span>
                </div>
              </div>
            </div>
            {customers.data && customers.data.length === 0 && (
              <p className="hint">
                No customers yet. <Link to="/customers/new">Add your first customer</Link> to invoice them.
              </p>
            )}
            {errorFor('currency') && <p className="field-error">{errorFor('currency')}</p>}
          </section>

          <PanelSection
            id="lines-title"
            title="Lines"
            actions={
              <p className="keyboard-hint" id="lines-hint">
                <kbd>Enter</kbd> adds a line · <kbd>Ctrl</kbd>+<kbd>S</kbd> saves
              </p>
            }
          >
            <datalist id="catalog-items">
              {activeItems.map((item) => (
                <option key={item.id} value={item.name}>
                  {format.money(item.unitPrice, currency)} / {item.unit}
                </option>
              ))}
            </datalist>
            <table className="table lines-table">
              <thead>
                <tr>
                  <th scope="col" className="col-number">
                    #
                  </th>
                  <th scope="col" className="col-description">
                    Description
                  </th>
                  {DECIMAL_COLUMNS.map(({ column, className, heading }) => (
                    <th key={column} scope="col" className={`${className} num`}>
                      {heading}
                    </th>
                  ))}
                  <th scope="col" className="col-tax">
                    Tax
                  </th>
                  <th scope="col" className="col-amount num">
                    Amount
                  </th>
                  <th scope="col" className="col-remove">
                    <span className="sr-only">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody ref={tableRef}>
                {lines.map((line, index) => {
                  const n = index + 1;
                  const rowErrors = ['description', 'quantity', 'unitPrice', 'discountPercent', 'taxRateIds', 'itemId', 'unit']
                    .map((prop) => [prop, errorFor(`${line.key}.${prop}`, line.key)] as const)
                    .filter(([, message]) => message);
                  const has = (prop: string) => rowErrors.some(([p]) => p === prop);
                  const errorId = `${line.key}-errors`;
                  const previewed = previewLine(line.key);
                  return (
                    <tr
                      key={line.key}
                      className={`line-row${rowErrors.length ? ' has-error' : ''}`}
                      onKeyDown={(event) => onLineKeyDown(event, line)}
                      onBlur={(event) => {
                        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setTouched((t) => (t.has(line.key) ? t : new Set(t).add(line.key)));
                      }}
                    >
                      <td className="col-number muted" data-label="Line">
                        {n}
                      </td>
                      <td className="col-description" data-label="Description">
                        <input
                          data-line={line.key}
                          data-column="description"
                          aria-label={`Description, line ${n}`}
                          aria-invalid={has('description') || has('itemId') || undefined}
                          aria-describedby={rowErrors.length ? errorId : 'lines-hint'}
                          list="catalog-items"
                          placeholder={activeItems.length ? 'Type, or pick from your items' : 'What you did or sold'}
                          value={line.description}
                          onChange={(e) => onDescriptionChange(line, e.target.value)}
                          autoComplete="off"
                        />
                        {rowErrors.length > 0 && (
                          <ul className="line-errors field-error" id={errorId}>
                            {rowErrors.map(([prop, message]) => (
                              <li key={prop}>
                                {labelOf(prop)} {message}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                      {DECIMAL_COLUMNS.map(({ column, className, heading, label, placeholder }) => (
                        <td key={column} className={className} data-label={heading}>
                          <input
                            className="num"
                            inputMode="decimal"
                            data-line={line.key}
                            data-column={column}
                            aria-label={`${label}, line ${n}`}
                            aria-invalid={has(column) || undefined}
                            value={line[column]}
                            placeholder={placeholder}
                            onChange={(e) => updateLine(line.key, { [column]: e.target.value })}
                            autoComplete="off"
                          />
                        </td>
                      ))}
                      <td className="col-tax" data-label="Tax">
                        <TaxPicker
                          rates={activeRates}
                          value={line.taxRateIds}
                          onChange={(ids) => updateLine(line.key, { taxRateIds: ids })}
                          label={`Tax, line ${n}`}
                          invalid={has('taxRateIds')}
                        />
                      </td>
                      <td className="col-amount num" data-label="Amount">
                        <span className={`line-amount${previewState === 'pending' ? ' stale' : ''}`} data-testid="line-amount">
                          {previewed ? format.money(previewed.net, currency) : isBlank(line) ? '' : '—'}
                        </span>
                      </td>
                      <td className="col-remove">
                        <button type="button" className="icon-button" aria-label={`Remove line ${n}`} onClick={() => removeLine(line.key)} disabled={lines.length === 1 && isBlank(line)}>
                          <Icon name="trash" size={16} />
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <div className="lines-actions">
              <button type="button" className="button button-ghost" onClick={() => addLineAfter(null)}>
                <Icon name="plus" /> Add line
              </button>
              {activeItems.length > 0 && (
                <div className="add-item">
                  <label htmlFor="add-item" className="sr-only">
                    Add a line from your items
                  </label>
                  <select
                    id="add-item"
                    value=""
                    onChange={(event) => {
                      addItem(event.target.value);
                      event.target.value = '';
                    }}
                  >
                    <option value="">Add from items…</option>
                    {activeItems.map((item) => (
                      <option key={item.id} value={item.id}>
                        {item.name} — {format.money(item.unitPrice, currency)} / {item.unit}
                      </option>
                    ))}
                  </select>
                </div>
              )}
            </div>
          </PanelSection>
        </div>

        <div className="editor-bottom">
          <section className="panel editor-details">
            {!showMore ? (
              <button type="button" className="button button-ghost button-wrap" onClick={() => setShowMore(true)} aria-expanded={false}>
                <Icon name="plus" /> PO number, reference, discount, notes and terms
              </button>
            ) : (
              <div className="form">
                <div className="form-row form-row-3">
                  <Field label="PO number" error={errorFor('purchaseOrder')} optional>
                    <input name="purchaseOrder" value={header.purchaseOrder} onChange={(e) => updateHeader({ purchaseOrder: e.target.value })} autoComplete="off" />
                  </Field>
                  <Field label="Reference" error={errorFor('reference')} optional>
                    <input name="reference" value={header.reference} onChange={(e) => updateHeader({ reference: e.target.value })} autoComplete="off" />
                  </Field>
                  <Field label="Invoice discount %" error={errorFor('discountPercent')} optional>
                    <input name="discountPercent" inputMode="decimal" className="num" value={header.discountPercent} placeholder="0" onChange={(e) => updateHeader({ discountPercent: e.target.value })} autoComplete="off" />
                  </Field>
                </div>
                <Field label="Prices" error={errorFor('priceMode')}>
                  <select name="priceMode" value={header.priceMode} onChange={(e) => updateHeader({ priceMode: e.target.value as Header['priceMode'] })}>
                    <option value="exclusive">Exclude tax (tax is added)</option>
                    <option value="inclusive">Include tax (tax is part of the price)</option>
                  </select>
                </Field>
                <div className="form-row">
                  <Field label="Notes" error={errorFor('notes')} optional hint="Printed on the invoice.">
                    <textarea name="notes" rows={3} value={header.notes} onChange={(e) => updateHeader({ notes: e.target.value })} />
                  </Field>
                  <Field label="Terms" error={errorFor('terms')} optional hint="Payment instructions, bank details.">
                    <textarea name="terms" rows={3} value={header.terms} onChange={(e) => updateHeader({ terms: e.target.value })} />
                  </Field>
                </div>
              </div>
            )}
          </section>

        <aside className="editor-side">
          <section className="panel totals-panel" aria-labelledby="totals-title" aria-busy={previewState === 'pending'} data-preview-state={previewState}>
            <h2 id="totals-title" className="panel-title">
              Totals
              {previewState === 'pending' && <span className="updating">updating…</span>}
            </h2>
            {!previewEnabled ? (
              <p className="muted">{header.customerId ? 'Add a line to see the totals.' : 'Choose a customer and add lines to see the totals.'}</p>
            ) : totals ? (
              <InvoiceTotals totals={totals} className={`totals${previewState !== 'ready' ? ' stale' : ''}`} />
            ) : previewState === 'pending' ? (
              <p className="muted">Calculating…</p>
            ) : null}
            {previewState === 'error' && previewError instanceof ApiError && (
              <p className="totals-note" role="note">
                <Icon name="alert" size={16} /> Totals update once the lines are complete: {firstProblem(previewError, rows, lineNumber)}
              </p>
            )}
            <p className="sr-only" aria-live="polite" aria-atomic="true">
              {previewState === 'ready' && totals ? `Total ${format.money(totals.total, totals.currency)}` : ''}
            </p>
          </section>

          <div className="editor-actions">
            <div aria-live="assertive">
              {saveError instanceof ApiError && (
                <div className="alert alert-error" role="alert">
                  {Object.keys(saveErrors).length > 0 && otherErrors.length === 0 ? 'Please correct the highlighted fields.' : saveError.detail}
                </div>
              )}
            </div>
            <button type="button" className="button button-primary button-large button-block" disabled={busy || !header.customerId} onClick={() => setConfirmIssue(true)}>
              <Icon name="send" /> Issue invoice
            </button>
            <button type="submit" className="button button-block" disabled={busy || !header.customerId}>
              {save.isPending && !issue.isPending ? 'Saving…' : dirty || isNew ? 'Save draft' : 'Saved'}
            </button>
            {!isNew && (
              <button type="button" className="button button-ghost button-danger button-block" onClick={() => setConfirmDelete(true)} disabled={busy}>
                <Icon name="trash" /> Delete draft
              </button>
            )}
          </div>
        </aside>
        </div>
      </Form>

      <Dialog
        open={confirmIssue}
        onClose={() => setConfirmIssue(false)}
        title="Issue this invoice?"
        size="sm"
        footer={
          <DialogActions onCancel={() => setConfirmIssue(false)} cancelLabel="Keep editing" label="Issue invoice" pendingLabel="Issuing…" pending={issue.isPending} onConfirm={() => void onIssue()} />
        }
      >
        <p>
          It gets the next invoice number and today’s date, and is posted to your books. After that it can’t be edited — only voided or
          corrected with a credit note.
        </p>
        {totals && previewState === 'ready' && (
          <p className="dialog-figure">
            {customer?.name} · <Money amount={totals.total} currency={totals.currency} className="strong" />
          </p>
        )}
      </Dialog>
      <Dialog
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title="Delete this draft?"
        size="sm"
        footer={<DialogActions onCancel={() => setConfirmDelete(false)} label="Delete draft" pending={remove.isPending} onConfirm={() => void onDelete()} danger />}
      >
        <p>Drafts have no number yet, so nothing is lost from your books.</p>
        <ErrorAlert error={remove.error} />
      </Dialog>
    </div>
  );
}

const LABELS: Record<string, string> = {
  description: 'Description',
  quantity: 'Quantity',
  unitPrice: 'Unit price',
  discountPercent: 'Discount',
  taxRateIds: 'Tax',
  itemId: 'Item',
  unit: 'Unit',
};

function labelOf(prop: string): string {
  return LABELS[prop] ?? prop;
}

function firstProblem(error: ApiError, rows: string[], lineNumber: (key: string) => number): string {
  const [field, message] = Object.entries(error.fieldErrors)[0] ?? [];
  if (!field) return error.detail;
  const match = /^lines\.(\d+)\.?(\w+)?/.exec(field);
  if (match) {
    const row = rows[Number(match[1])];
    return `line ${row ? lineNumber(row) : Number(match[1]) + 1}, ${labelOf(match[2] ?? 'line').toLowerCase()} ${message}`;
  }
  return `${field} ${message}`;
}
