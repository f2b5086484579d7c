import { useEffect, useId, useRef, useState } from 'react';
import type { TaxRate } from '../api/types.ts';
import { Icon } from './Icon.tsx';

/** Chooses the tax rates of a line: a button that opens a list of checkboxes. */
export function TaxPicker({ rates, value, onChange, label, invalid, describedBy }: {
  rates: TaxRate[];
  value: string[];
  onChange: (ids: string[]) => void;
  label: string;
  invalid?: boolean;
  describedBy?: string;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listId = useId();
  const chosen = value.map((id) => rates.find((rate) => rate.id === id)?.name ?? 'Archived rate');
  const summary = chosen.length === 0 ? 'No tax' : chosen.join(' + ');

  useEffect(() => {
    if (!open) return;
    const onDocument = (event: MouseEvent | FocusEvent) => {
      if (ref.current && !ref.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDocument);
    document.addEventListener('focusin', onDocument);
    return () => {
      document.removeEventListener('mousedown', onDocument);
      document.removeEventListener('focusin', onDocument);
    };
  }, [open]);

  const toggle = (id: string, checked: boolean) => {
    const next = checked ? [...value, id] : value.filter((v) => v !== id);
    // Keep the catalogue's order, which is the order compound taxes apply in.
    onChange(rates.map((r) => r.id).filter((rid) => next.includes(rid)).concat(next.filter((v) => !rates.some((r) => r.id === v))));
  };

  return (
    <div
      className={`tax-picker${open ? ' open' : ''}`}
      ref={ref}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.stopPropagation();
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className="tax-picker-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={listId}
        aria-label={`${label}: ${summary}`}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        onClick={() => setOpen((o) => !o)}
      >
        <span className={`tax-picker-summary${chosen.length === 0 ? ' muted' : ''}`}>{summary}</span>
        <Icon name="chevron" size={14} />
      </button>
      {open && (
        <div className="tax-picker-popover" id={listId} role="group" aria-label={label}>
          {rates.length === 0 ? (
            <p className="muted small">No tax rates yet. Add them in Settings → Tax rates.</p>
          ) : (
            rates.map((rate, index) => (
              <label key={rate.id} className="checkbox">
                <input type="checkbox" checked={value.includes(rate.id)} onChange={(event) => toggle(rate.id, event.target.checked)} autoFocus={index === 0} />
                <span>
                  {rate.name}
                  {rate.compound && <span className="muted small"> · compound</span>}
                </span>
              </label>
            ))
          )}
          <button type="button" className="button button-small button-block" onClick={() => (setOpen(false), buttonRef.current?.focus())}>
            Done
          </button>
        </div>
      )}
    </div>
  );
}
