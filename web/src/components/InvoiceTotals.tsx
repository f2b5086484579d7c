import type { ReactNode } from 'react';
import type { Invoice } from '../api/types.ts';
import { isZero } from '../lib/decimal.ts';
import { useFormat } from '../lib/format.ts';

type Totals = Pick<Invoice, 'currency' | 'priceMode' | 'subtotal' | 'discountTotal' | 'taxBreakdown' | 'total'>;

/** An invoice's totals as the server computed them: subtotal, discount, tax per rate on its base, total; then `children`. */
export function InvoiceTotals({ totals, className, discountLabel = 'Discount', children }: { totals: Totals; className: string; discountLabel?: string; children?: ReactNode }) {
  const format = useFormat();
  const c = totals.currency;
  return (
    <dl className={className}>
      <div>
        <dt>Subtotal</dt>
        <dd data-testid="subtotal">{format.money(totals.subtotal, c)}</dd>
      </div>
      {!isZero(totals.discountTotal) && (
        <div>
          <dt>{discountLabel}</dt>
          <dd data-testid="discount">−{format.money(totals.discountTotal, c)}</dd>
        </div>
      )}
      {totals.taxBreakdown.map((tax) => (
        <div key={tax.taxRateId} className="tax-row">
          <dt>
            {tax.name}
            <span className="tax-base">on {format.money(tax.taxable, c)}</span>
          </dt>
          <dd data-testid="tax" data-tax-rate={tax.taxRateId}>
            {format.money(tax.tax, c)}
          </dd>
        </div>
      ))}
      <div className="grand-total">
        <dt>Total {totals.priceMode === 'inclusive' && <span className="tax-base">tax included</span>}</dt>
        <dd data-testid="total">{format.money(totals.total, c)}</dd>
      </div>
      {children}
    </dl>
  );
}
