import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { fieldErrorsOf, post } from '../api/client.ts';
import { useLowStock, useStockItems, type StockItem } from '../api/stock.ts';
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
                    <button type="button" className="button button-small" onClick={() => setAdjusting(item)} aria-label={`Adjust stock of ${item.name}`}>
                      Adjust
                    </button>
                  ),
                },
              ]}
            />
          )}
        </ListStates>
      </PanelSection>
      {adjusting && <AdjustDialog item={adjusting} onClose={() => setAdjusting(null)} />}
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
