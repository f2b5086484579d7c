import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { fieldErrorsOf, post } from '../api/client.ts';
import { useInvoice } from '../api/queries.ts';
import { MAX_STOCK_MOVEMENTS, useCreditNote, useLowStock, useStockItems, useStockMovements, type StockItem, type StockMovement, type StockReason } from '../api/stock.ts';
import { DataTable, Dash } from '../components/DataTable.tsx';
import { Icon } from '../components/Icon.tsx';
import { ListStates } from '../components/lists.tsx';
import { Dialog, DialogActions, EmptyState, Field, Form, FormError, PageHeader, PanelSection, useTitle } from '../components/ui.tsx';
import { addDecimal, compareDecimal, isDecimal } from '../lib/decimal.ts';
import { toApiDecimal, useFormat } from '../lib/format.ts';
import { useToast } from '../lib/toast.tsx';

/** /stock — quantity on hand of tracked items, corrections, and what is running low. */
export function StockPage() {
  useTitle('Stock');
  const items = useStockItems();
  const low = useLowStock();
  const format = useFormat();
  const [adjusting, setAdjusting] = useState<StockItem | null>(null);
  const [history, setHistory] = useState<StockItem | null>(null);
  const tracked = items.data?.filter((item) => item.trackStock && !item.archivedAt);
  const quantity = (value: string, unit: string) => `${format.number(value)} ${unit}`;
  return (
    <div className="page">
      <PageHeader title="Stock" subtitle="Goods on hand: issued invoices take them out, credit notes and voids put them back." />
      <PanelSection id="low-stock-title" title="Low stock">
        <ListStates query={low} rows={low.data} what="low stock" skeletonRows={2} empty={<p className="panel-empty muted">Nothing is at or below its low-stock threshold.</p>}>
          {(rows) => (
            <DataTable
              caption="Low stock"
              rows={rows}
              rowKey={(row) => row.itemId}
              columns={[
                { header: 'Item', rowHeader: true, cell: (row) => row.name },
                { header: 'On hand', className: 'num', cell: (row) => <span className="danger-text strong">{quantity(row.quantityOnHand, row.unit)}</span> },
                { header: 'Threshold', className: 'num', cell: (row) => (row.lowStockThreshold === null ? <Dash /> : quantity(row.lowStockThreshold, row.unit)) },
              ]}
            />
          )}
        </ListStates>
      </PanelSection>
      <PanelSection id="stock-title" title="Stock on hand">
        <ListStates
          query={items}
          rows={tracked}
          what="items"
          empty={
            <EmptyState icon="tag" title="No items track stock" action={<Link to="/settings/items" className="button button-primary">Open items</Link>}>
              Turn on “Track stock” for a product in Settings → Items to count what you have.
            </EmptyState>
          }
        >
          {(rows) => (
            <DataTable
              caption="Stock on hand"
              rows={rows}
              rowKey={(item) => item.id}
              columns={[
                { header: 'Item', rowHeader: true, cell: (item) => item.name },
                {
                  header: 'On hand',
                  className: 'num',
                  cell: (item) => (
                    <span className="strong" data-testid={`on-hand-${item.id}`}>
                      {quantity(item.quantityOnHand, item.unit)}
                    </span>
                  ),
                },
                { header: 'Low at', className: 'num hide-phone', cell: (item) => (item.lowStockThreshold === null ? <Dash /> : quantity(item.lowStockThreshold, item.unit)) },
                {
                  header: <span className="sr-only">Actions</span>,
                  cellClassName: 'actions-cell',
                  cell: (item) => (
                    <>
                      <button type="button" className="button button-small" onClick={() => setHistory(item)} aria-label={`Stock history of ${item.name}`}>
                        History
                      </button>{' '}
                      <button type="button" className="button button-small" onClick={() => setAdjusting(item)} aria-label={`Adjust stock of ${item.name}`}>
                        Adjust
                      </button>
                    </>
                  ),
                },
              ]}
            />
          )}
        </ListStates>
      </PanelSection>
      {adjusting && <AdjustDialog item={adjusting} onClose={() => setAdjusting(null)} />}
      {history && <HistoryDialog key={history.id} item={tracked?.find((item) => item.id === history.id) ?? history} onClose={() => setHistory(null)} />}
    </div>
  );
}

/** A correction: a delivery (+), a loss or a count that found less (−), with the reason kept on the movement. */
function AdjustDialog({ item, onClose }: { item: StockItem; onClose: () => void }) {
  const format = useFormat();
  const client = useQueryClient();
  const toast = useToast();
  const [change, setChange] = useState('');
  const [note, setNote] = useState('');
  const quantity = toApiDecimal(change, format.locale);
  // Exact (bigint) sum for the preview; the server's figure replaces it once saved.
  const after = isDecimal(quantity) ? addDecimal(item.quantityOnHand, quantity) : null;
  const adjust = useMutation({
    mutationFn: () => post<StockItem>(`/v1/items/${item.id}/stock-adjustments`, { quantity, note: note.trim() || null }),
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['items'] });
      toast(`${saved.name}: ${format.number(saved.quantityOnHand)} ${saved.unit} on hand`);
      onClose();
    },
  });
  const errors = fieldErrorsOf(adjust.error);
  return (
    <Dialog open onClose={onClose} title={`Adjust stock of ${item.name}`} size="sm">
      <Form className="form" onSubmit={() => adjust.mutate()}>
        <p className="muted">
          On hand now: <span className="strong">{format.number(item.quantityOnHand)} {item.unit}</span>
        </p>
        <Field
          label="Change"
          error={errors.quantity}
          hint={
            after !== null ? (
              <>
                Afterwards: <span className={compareDecimal(after, '0') < 0 ? 'danger-text' : undefined}>{format.number(after)} {item.unit}</span>
              </>
            ) : (
              'A delivery like 10, a loss like -2.'
            )
          }
        >
          <input name="quantity" value={change} onChange={(e) => setChange(e.target.value)} className="num" inputMode="decimal" autoComplete="off" autoFocus />
        </Field>
        <Field label="Reason" error={errors.note} hint="Delivery, stock count, damaged…" optional>
          <input name="note" value={note} onChange={(e) => setNote(e.target.value)} autoComplete="off" />
        </Field>
        <FormError error={adjust.error} fields={['quantity', 'note']} />
        <div className="dialog-footer dialog-footer-inline">
          <DialogActions onCancel={onClose} label={<><Icon name="check" /> Save adjustment</>} pendingLabel="Saving…" pending={adjust.isPending} />
        </div>
      </Form>
    </Dialog>
  );
}

/** What moved stock, in words. */
const REASON_LABELS: Record<StockReason, string> = {
  invoice_issued: 'Invoice issued',
  invoice_voided: 'Invoice voided',
  credit_note: 'Credit note',
  adjustment: 'Adjustment',
};

const FIRST_PAGE = 50;

/** An item's movements, newest first: where its quantity on hand came from. */
function HistoryDialog({ item, onClose }: { item: StockItem; onClose: () => void }) {
  const format = useFormat();
  const [limit, setLimit] = useState(FIRST_PAGE);
  const movements = useStockMovements(item.id, limit);
  const rows = movements.data;
  const more = rows !== undefined && rows.length === limit;
  // Signed, so that what left and what came back read apart: "+12.5", "-3" (exact: Intl formats the string).
  const signed = (change: string) => `${compareDecimal(change, '0') > 0 ? '+' : ''}${format.number(change)} ${item.unit}`;
  return (
    <Dialog open onClose={onClose} title={`Stock history of ${item.name}`}>
      <p className="muted">
        On hand now: <span className="strong">{format.number(item.quantityOnHand)} {item.unit}</span>. Newest first.
      </p>
      <ListStates query={movements} rows={rows} what="stock history" empty={<p className="panel-empty muted">Nothing has moved this item’s stock yet.</p>}>
        {(list) => (
          <div className="table-scroll">
            <DataTable<StockMovement>
              caption={`Stock history of ${item.name}`}
              className="table-compact table-rowheads"
              rows={list}
              rowKey={(movement) => movement.id}
              busy={movements.isFetching}
              columns={[
                { header: 'Date', className: 'hide-phone', cellClassName: 'muted nowrap', cell: (movement) => format.dateTime(movement.createdAt) },
                {
                  header: 'Movement',
                  rowHeader: true,
                  cell: (movement) => (
                    <>
                      {REASON_LABELS[movement.reason] ?? movement.reason}
                      <div className="cell-sub show-phone">{format.dateTime(movement.createdAt)}</div>
                      {movement.sourceId && (
                        <div className="cell-sub">
                          <MovementSource sourceId={movement.sourceId} />
                        </div>
                      )}
                      {movement.note && <div className="cell-sub">{movement.note}</div>}
                    </>
                  ),
                },
                {
                  header: 'Change',
                  className: 'num',
                  cell: (movement) => (
                    <span className={`strong nowrap${compareDecimal(movement.quantityChange, '0') < 0 ? ' danger-text' : ''}`} data-testid="stock-change">
                      {signed(movement.quantityChange)}
                    </span>
                  ),
                },
              ]}
            />
          </div>
        )}
      </ListStates>
      {more && limit < MAX_STOCK_MOVEMENTS && (
        <div className="table-footer">
          <button type="button" className="button" disabled={movements.isFetching} onClick={() => setLimit(MAX_STOCK_MOVEMENTS)}>
            {movements.isFetching ? 'Loading…' : 'Show older movements'}
          </button>
        </div>
      )}
      {more && limit >= MAX_STOCK_MOVEMENTS && <p className="muted small">Only the latest {MAX_STOCK_MOVEMENTS} movements are shown.</p>}
    </Dialog>
  );
}

/**
 * The document behind a movement: an invoice links to its page; a credit note (which has no page)
 * is named and links to the invoice it credits, where it is listed.
 */
function MovementSource({ sourceId }: { sourceId: string }) {
  if (sourceId.startsWith('inv_')) return <InvoiceLink invoiceId={sourceId} />;
  if (sourceId.startsWith('crn_')) return <CreditNoteSource creditNoteId={sourceId} />;
  return <span className="muted">{sourceId}</span>;
}

function InvoiceLink({ invoiceId, prefix = 'Invoice' }: { invoiceId: string; prefix?: string }) {
  const invoice = useInvoice(invoiceId);
  const number = invoice.data?.number;
  return <Link to={`/invoices/${invoiceId}`}>{number ? `${prefix} ${number}` : prefix}</Link>;
}

function CreditNoteSource({ creditNoteId }: { creditNoteId: string }) {
  const note = useCreditNote(creditNoteId);
  if (!note.data) return <span className="muted">Credit note</span>;
  return (
    <>
      Credit note {note.data.number} on <InvoiceLink invoiceId={note.data.invoiceId} prefix="invoice" />
    </>
  );
}
