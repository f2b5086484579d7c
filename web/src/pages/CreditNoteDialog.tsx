import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { fieldErrorsOf, post } from '../api/client.ts';
import { useCreditNotes, useRefreshMoney } from '../api/queries.ts';
import type { CreditNote, Invoice, InvoiceLine } from '../api/types.ts';
import { DataTable } from '../components/DataTable.tsx';
import { RadioCards } from '../components/fields.tsx';
import { Dialog, DialogActions, Field, Form, FormError, Money, Skeleton } from '../components/ui.tsx';
import { addDecimal, compareDecimal, isDecimal, isZero, minDecimal, subtractDecimal } from '../lib/decimal.ts';
import { toApiDecimal, toInputDecimal, useFormat } from '../lib/format.ts';
import { useToast } from '../lib/toast.tsx';

type Mode = 'amount' | 'lines';

/** How much of each invoice line its credit notes have not credited yet, by line id. */
export function quantitiesLeft(invoice: Invoice, notes: CreditNote[]): Map<string, string> {
  const credited = new Map<string, string>();
  for (const line of notes.flatMap((note) => note.lines)) {
    if (line.invoiceLineId) credited.set(line.invoiceLineId, addDecimal(credited.get(line.invoiceLineId) ?? '0', line.quantity));
  }
  return new Map(invoice.lines.map((line) => [line.id, subtractDecimal(line.quantity, credited.get(line.id) ?? '0')]));
}

/**
 * Credits an issued invoice: a gross amount split across its tax rates, or chosen lines with
 * quantities at their invoiced prices. The server checks what is left; its errors show by the line.
 */
export function CreditNoteDialog({ invoice, onClose }: { invoice: Invoice; onClose: () => void }) {
  const format = useFormat();
  const toast = useToast();
  const refresh = useRefreshMoney();
  const creditNotes = useCreditNotes({ invoiceId: invoice.id });
  const [mode, setMode] = useState<Mode>('amount');
  const left = subtractDecimal(invoice.total, invoice.amountCredited);
  const [typed, setTyped] = useState(toInputDecimal(isZero(invoice.amountDue) ? left : minDecimal(invoice.amountDue, left), format.locale));
  const amount = toApiDecimal(typed, format.locale);
  // The lines chosen, each with the quantity typed, by invoice line id.
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const lines = invoice.lines
    .filter((line) => line.id in chosen)
    .map((line) => ({ invoiceLineId: line.id, quantity: toApiDecimal(chosen[line.id]!, format.locale) }));
  const [reason, setReason] = useState('');
  const create = useMutation({
    mutationFn: () =>
      post<CreditNote>('/v1/credit-notes', { invoiceId: invoice.id, ...(mode === 'amount' ? { amount } : { lines }), reason: reason.trim() || null }),
    onSuccess: async (note) => {
      onClose();
      await refresh();
      toast(`Credit note ${note.number} issued for ${format.money(note.total, invoice.currency)}`);
    },
  });
  const errors = fieldErrorsOf(create.error);
  const toCredit = isDecimal(amount) && compareDecimal(amount, invoice.amountDue) > 0 ? subtractDecimal(amount, invoice.amountDue) : null;
  const leftOf = quantitiesLeft(invoice, creditNotes.data ?? []);
  const lineError = (line: InvoiceLine, field: 'quantity' | 'invoiceLineId') => errors[`lines.${lines.findIndex((l) => l.invoiceLineId === line.id)}.${field}`];
  const choose = (line: InvoiceLine, checked: boolean) =>
    setChosen((current) => {
      const next = { ...current };
      if (checked) next[line.id] = toInputDecimal(leftOf.get(line.id) ?? line.quantity, format.locale);
      else delete next[line.id];
      return next;
    });

  return (
    <Dialog open onClose={onClose} title={`Credit note for ${invoice.number}`}>
      <Form className="form" onSubmit={() => create.mutate()}>
        <p className="muted">
          A credit note reduces what {invoice.number} still owes; anything beyond that becomes customer credit. Up to{' '}
          <Money amount={left} currency={invoice.currency} className="strong" /> can still be credited.
        </p>
        <RadioCards<Mode>
          name="credit-mode"
          label="What to credit"
          value={mode}
          onChange={(next) => {
            setMode(next);
            create.reset();
          }}
          options={[
            { value: 'amount', title: 'By amount', description: 'A gross amount, split across the tax rates.' },
            { value: 'lines', title: 'By lines', description: 'Chosen lines and quantities, at their prices.' },
          ]}
        />
        {mode === 'amount' ? (
          <Field
            label={`Amount including tax (${invoice.currency})`}
            error={errors.amount}
            hint={toCredit ? `${format.money(toCredit, invoice.currency)} goes to the customer’s credit.` : 'Split across the invoice’s tax rates in proportion.'}
          >
            <input name="amount" className="num" inputMode="decimal" value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus />
          </Field>
        ) : creditNotes.isPending ? (
          <Skeleton rows={invoice.lines.length} />
        ) : (
          <div className="credit-lines">
            <DataTable
              caption="Lines to credit"
              className="table-compact allocation-table"
              rows={invoice.lines}
              rowKey={(line) => line.id}
              rowClassName={(line) => (isZero(leftOf.get(line.id) ?? '0') ? 'row-muted' : undefined)}
              columns={[
                {
                  header: <span className="sr-only">Credit</span>,
                  cell: (line) => (
                    <input
                      type="checkbox"
                      aria-label={`Credit line ${line.position}`}
                      checked={line.id in chosen}
                      disabled={isZero(leftOf.get(line.id) ?? '0')}
                      onChange={(e) => choose(line, e.target.checked)}
                    />
                  ),
                },
                {
                  header: 'Line',
                  cell: (line) => {
                    const lineLeft = leftOf.get(line.id) ?? line.quantity;
                    return (
                      <>
                        {line.description}
                        <div className="cell-sub">
                          {isZero(lineLeft)
                            ? 'fully credited'
                            : `${format.number(lineLeft)} of ${format.number(line.quantity)}${line.unit ? ` ${line.unit}` : ''} left · ${format.money(line.unitPrice, invoice.currency)} each`}
                        </div>
                        {lineError(line, 'invoiceLineId') && <p className="field-error">{lineError(line, 'invoiceLineId')}</p>}
                      </>
                    );
                  },
                },
                {
                  header: 'Quantity',
                  className: 'num',
                  cell: (line) => {
                    if (!(line.id in chosen)) return <span className="muted">—</span>;
                    const error = lineError(line, 'quantity');
                    return (
                      <>
                        <input
                          className="num input-amount"
                          inputMode="decimal"
                          aria-label={`Quantity to credit, line ${line.position}`}
                          aria-invalid={error ? true : undefined}
                          aria-describedby={error ? `credit-line-${line.id}-error` : undefined}
                          value={chosen[line.id]}
                          onChange={(e) => setChosen((current) => ({ ...current, [line.id]: e.target.value }))}
                        />
                        {error && (
                          <p className="field-error" id={`credit-line-${line.id}-error`}>
                            {error}
                          </p>
                        )}
                      </>
                    );
                  },
                },
              ]}
            />
            <p className={errors.lines ? 'field-error' : 'hint'}>{errors.lines ?? 'Each line is credited at its invoiced price, discount and taxes.'}</p>
          </div>
        )}
        <Field label="Reason" error={errors.reason} optional hint="Printed on the credit note.">
          <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" />
        </Field>
        <FormError error={create.error} fields={[mode, 'reason']} />
        <div className="dialog-footer dialog-footer-inline">
          <DialogActions onCancel={onClose} label="Issue credit note" pendingLabel="Issuing…" pending={create.isPending} disabled={mode === 'lines' && lines.length === 0} />
        </div>
      </Form>
    </Dialog>
  );
}
