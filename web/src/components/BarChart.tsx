import { useId, useState } from 'react';
import { useFormat } from '../lib/format.ts';
import { useMediaQuery } from '../lib/hooks.ts';
import { DataTable } from './DataTable.tsx';

type Month = { month: string; invoiced: string; collected: string };

const PAD = { top: 16, right: 8, bottom: 28, left: 56 };

/**
 * Invoiced vs collected per month, as grouped bars. The SVG is decoration for sighted users; the
 * same figures are in a table that screen readers get always and everyone can switch to.
 */
export function InvoicedCollectedChart({ months: allMonths, currency }: { months: Month[]; currency: string }) {
  const format = useFormat();
  // A phone gets the last six months, drawn on a narrower canvas so the labels stay legible.
  const phone = useMediaQuery('(max-width: 640px)');
  const months = phone ? allMonths.slice(-6) : allMonths;
  const WIDTH = phone ? 340 : 640;
  const HEIGHT = phone ? 220 : 240;
  const [asTable, setAsTable] = useState(false);
  const captionId = useId();
  // Numbers here only scale the bars: the figures shown are the exact strings.
  const values = months.flatMap((m) => [Number(m.invoiced), Number(m.collected)]).filter(Number.isFinite);
  const max = niceMax(Math.max(0, ...values));
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = months.length ? plotW / months.length : plotW;
  const barW = Math.max(4, Math.min(22, slot / 3));
  const y = (v: number) => PAD.top + plotH - (max > 0 ? (v / max) * plotH : 0);
  let compact: Intl.NumberFormat;
  try {
    compact = new Intl.NumberFormat(format.locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 });
  } catch {
    compact = new Intl.NumberFormat(format.locale, { notation: 'compact' });
  }

  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId} className="chart-header">
        <span className="chart-title">Invoiced vs collected</span>
        <span className="chart-legend" aria-hidden={asTable}>
          <span className="legend-item">
            <span className="swatch swatch-invoiced" /> Invoiced
          </span>
          <span className="legend-item">
            <span className="swatch swatch-collected" /> Collected
          </span>
        </span>
        <button type="button" className="button button-ghost button-small" aria-pressed={asTable} onClick={() => setAsTable((t) => !t)}>
          {asTable ? 'Show chart' : 'Show as table'}
        </button>
      </figcaption>
      {!asTable && (
        <svg className="chart-svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true" preserveAspectRatio="xMidYMid meet">
          {ticks.map((tick) => (
            <g key={tick}>
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} className={tick === 0 ? 'axis' : 'grid'} />
              <text x={PAD.left - 8} y={y(tick)} dy="0.32em" textAnchor="end" className="tick">
                {compact.format(tick)}
              </text>
            </g>
          ))}
          {months.map((m, i) => {
            const center = PAD.left + slot * i + slot / 2;
            const invoiced = Number(m.invoiced) || 0;
            const collected = Number(m.collected) || 0;
            return (
              <g key={m.month}>
                <rect className="bar bar-invoiced" x={center - barW - 1} width={barW} y={y(invoiced)} height={Math.max(0, y(0) - y(invoiced))} rx="3">
                  <title>{`${format.month(m.month, 'long')}: invoiced ${format.money(m.invoiced, currency)}`}</title>
                </rect>
                <rect className="bar bar-collected" x={center + 1} width={barW} y={y(collected)} height={Math.max(0, y(0) - y(collected))} rx="3">
                  <title>{`${format.month(m.month, 'long')}: collected ${format.money(m.collected, currency)}`}</title>
                </rect>
                <text x={center} y={HEIGHT - 8} textAnchor="middle" className="tick">
                  {format.month(m.month)}
                </text>
              </g>
            );
          })}
        </svg>
      )}
      {/* A table ignores overflow, so the visually hidden one sits in a hidden block. */}
      <div className={asTable ? 'chart-table' : 'sr-only'}>
        <DataTable
          caption={`Invoiced and collected per month, in ${currency}`}
          className="table-compact"
          rows={months}
          rowKey={(m) => m.month}
          columns={[
            { header: 'Month', rowHeader: true, cell: (m) => format.month(m.month, 'long') },
            { header: 'Invoiced', className: 'num', cell: (m) => format.money(m.invoiced, currency) },
            { header: 'Collected', className: 'num', cell: (m) => format.money(m.collected, currency) },
          ]}
        />
      </div>
    </figure>
  );
}

/** The top of the axis: four equal steps of a round size (1, 2, 2.5 or 5 times a power of ten). */
function niceMax(value: number): number {
  if (value <= 0) return 100;
  const raw = value / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((candidate) => candidate >= raw) ?? 10 * magnitude;
  return step * 4;
}
