import { Icon } from './Icon.tsx';
import { Field } from './ui.tsx';

// Rows of description, unit price and quantity, for subscriptions and quotes. The numbers are sent
// to the server as typed (toApiDecimal); the server prices them.

export type PriceLineDraft = { key: number; description: string; unitPrice: string; quantity: string };

let nextKey = 1;
export const blankPriceLine = (): PriceLineDraft => ({ key: nextKey++, description: '', unitPrice: '', quantity: '1' });

export function PriceLines({ lines, onChange, errors, errorPrefix, noun = 'item', max = 20 }: {
  lines: PriceLineDraft[];
  onChange: (lines: PriceLineDraft[]) => void;
  errors: Record<string, string>;
  /** `items` or `lines`: where the server puts a row's field errors (`items.0.unitPrice`). */
  errorPrefix: string;
  noun?: string;
  max?: number;
}) {
  const update = (key: number, patch: Partial<PriceLineDraft>) => onChange(lines.map((line) => (line.key === key ? { ...line, ...patch } : line)));
  const Noun = noun[0]!.toUpperCase() + noun.slice(1);
  return (
    <>
      {lines.map((line, index) => {
        const n = lines.length > 1 ? ` ${index + 1}` : '';
        const e = (field: string) => errors[`${errorPrefix}.${index}.${field}`];
        return (
          <div key={line.key} className="form-row item-row" role="group" aria-label={`${Noun} ${index + 1}`}>
            <Field label={`Description${n}`} error={e('description')}>
              <input value={line.description} onChange={(event) => update(line.key, { description: event.target.value })} autoComplete="off" />
            </Field>
            <Field label={`Unit price${n}`} error={e('unitPrice')}>
              <input value={line.unitPrice} onChange={(event) => update(line.key, { unitPrice: event.target.value })} className="num" inputMode="decimal" placeholder="0.00" autoComplete="off" />
            </Field>
            <Field label={`Quantity${n}`} error={e('quantity')}>
              <input value={line.quantity} onChange={(event) => update(line.key, { quantity: event.target.value })} className="num" inputMode="decimal" autoComplete="off" />
            </Field>
            {lines.length > 1 ? (
              <button type="button" className="icon-button" aria-label={`Remove ${noun} ${index + 1}`} onClick={() => onChange(lines.filter((other) => other.key !== line.key))}>
                <Icon name="trash" />
              </button>
            ) : (
              <span />
            )}
          </div>
        );
      })}
      <div>
        <button type="button" className="button" onClick={() => onChange([...lines, blankPriceLine()])} disabled={lines.length >= max}>
          <Icon name="plus" /> Add {noun}
        </button>
      </div>
    </>
  );
}

/** Every row filled in. */
export const priceLinesReady = (lines: PriceLineDraft[]) => lines.every((line) => line.description.trim() && line.unitPrice.trim() && line.quantity.trim());
