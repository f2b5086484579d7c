import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { currencyMinorUnits } from '../../shared/currencies.ts';
import { decimal, multiply, pow10, type RoundingMode } from '../../shared/decimal.ts';
import { roundToMinor } from '../../shared/money.ts';
import { amountForMinutes, billMinutes, formatDuration, ROUNDING_INCREMENTS, roundUpMinutes } from './time-rounding.ts';

test('minutes are rounded up to the increment, entry by entry', () => {
  const cases: Array<[minutes: number, increment: number, billed: number]> = [
    [1, 1, 1], [7, 1, 7], [1, 6, 6], [6, 6, 6], [7, 6, 12], [7, 15, 15], [15, 15, 15], [16, 15, 30],
    [44, 15, 45], [1, 30, 30], [31, 30, 60], [59, 60, 60], [61, 60, 120], [480, 15, 480], [481, 15, 495],
  ];
  for (const [minutes, increment, billed] of cases) assert.equal(roundUpMinutes(minutes, increment), billed, `${minutes} at ${increment}`);
});

test('rounding up, exhaustively: every increment, every minute of a day', () => {
  for (const increment of ROUNDING_INCREMENTS) {
    for (let minutes = 1; minutes <= 1440; minutes++) {
      const billed = roundUpMinutes(minutes, increment);
      assert.ok(billed % increment === 0 && billed >= minutes && billed - minutes < increment, `${minutes} at ${increment} gave ${billed}`);
    }
  }
  assert.throws(() => roundUpMinutes(10, 7), /no rounding increment 7/);
  assert.throws(() => roundUpMinutes(0, 15), /positive integer/);
});

test('a time line: quantity in hours, amount = round(minutes × rate / 60) exactly', () => {
  const cases: Array<[minutes: number, rate: string, currency: string, quantity: string, unitPrice: string, amount: bigint]> = [
    [15, '100', 'EUR', '0.25', '100', 2500n],
    [6, '120', 'EUR', '0.1', '120', 1200n],
    [3, '99.99', 'EUR', '0.05', '99.99', 500n], // 4.9995 -> 5.00
    [90, '80', 'EUR', '1.5', '80', 12000n],
    [480, '137.5', 'EUR', '8', '137.5', 110000n],
    [20, '90', 'EUR', '0.3333', '90', 3000n], // 30.00 exactly; 0.3333 × 90 = 29.997 -> 30.00
    [20, '100', 'EUR', '0.3333', '100', 3333n],
    [11, '199.99', 'EUR', '0.1833', '199.99', 3666n],
    // 4 decimals would be off by a cent: 0.0167 × 150 = 2.505 -> 2.51, but 1 min at 150/h is 2.50.
    [1, '150', 'EUR', '0.01667', '150', 250n],
    [7, '150', 'EUR', '0.11667', '150', 1750n], // 0.1167 × 150 = 17.505 -> 17.51; exact 17.50
    [7, '1234.56', 'EUR', '0.116667', '1234.56', 14403n],
    [1, '9999.99', 'EUR', '0.016667', '9999.99', 16667n],
    [20, '10000', 'JPY', '0.3333', '10000', 3333n],
    [40, '45.125', 'KWD', '0.66667', '45.125', 30083n], // 0.6667 × 45.125 = 30.0848 -> 30.085; exact 30.083
    [1, '0', 'EUR', '0.0167', '0', 0n],
  ];
  for (const [minutes, rate, currency, quantity, unitPrice, amount] of cases) {
    const billed = billMinutes(minutes, decimal(rate), currency, 'half_up');
    assert.deepEqual(billed, { quantity, unit: 'hour', unitPrice, amountMinor: amount }, `${minutes} min at ${rate} ${currency}`);
  }
  // Rule 4: no 6-decimal quantity reaches 83,333.33 at 5,000,000/h, so the line is 1 × the amount.
  assert.deepEqual(billMinutes(1, decimal('5000000'), 'EUR', 'half_up'), { quantity: '1', unit: null, unitPrice: '83333.33', amountMinor: 8333333n });
});

/** The invariants of billMinutes, for one case. */
function assertFaithful(minutes: number, rateText: string, currency: string, mode: RoundingMode) {
  const rate = decimal(rateText);
  const billed = billMinutes(minutes, rate, currency, mode);
  const label = `${minutes} min at ${rateText} ${currency} (${mode}): ${JSON.stringify(billed, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`;
  // The amount is the exact value rounded once: minutes × rate / 60, compared in integers.
  const exactTimesSixty = BigInt(minutes) * rate.units * pow10(currencyMinorUnits(currency)); // = amount × 60 × 10^rate.scale
  const lower = billed.amountMinor * 60n * pow10(rate.scale);
  assert.ok(exactTimesSixty - lower < 60n * pow10(rate.scale) && lower - exactTimesSixty < 60n * pow10(rate.scale), label);
  // Invoicing's own rule gives the same amount from the line.
  assert.equal(roundToMinor(multiply(decimal(billed.quantity), decimal(billed.unitPrice)), currency, mode), billed.amountMinor, label);
  if (billed.unit === null) return; // the lump-sum fallback
  const quantity = decimal(billed.quantity);
  assert.ok(quantity.scale <= 6, label);
  if (minutes % 3 === 0) assert.equal(quantity.units * 60n, BigInt(minutes) * pow10(quantity.scale), `exact hours: ${label}`);
  // Never further from the true hours than one step of its last decimal.
  const distance = quantity.units * 60n - BigInt(minutes) * pow10(quantity.scale);
  assert.ok((distance < 0n ? -distance : distance) < 60n, `close to minutes/60: ${label}`);
}

test('every minute of a day at many rates, currencies and modes: the line amount is exact', () => {
  const rates: Array<[string, string]> = [
    ['0.01', 'EUR'], ['1', 'EUR'], ['33.33', 'EUR'], ['85', 'EUR'], ['99.99', 'EUR'], ['100', 'EUR'], ['120.5', 'EUR'],
    ['149.999999', 'EUR'], ['150', 'EUR'], ['333.33', 'EUR'], ['1234.56', 'EUR'], ['9999.99', 'EUR'],
    ['12000', 'JPY'], ['999999', 'JPY'], ['45.125', 'KWD'], ['999.999', 'KWD'],
  ];
  for (const mode of ['half_up', 'half_even'] as const) {
    for (const [rate, currency] of rates) for (let minutes = 1; minutes <= 1440; minutes++) assertFaithful(minutes, rate, currency, mode);
  }
});

test('rates up to 100 an hour (two-decimal currency) never need more than 4 decimals of hours', () => {
  for (const rate of ['0.01', '12.34', '59.99', '75', '99.99', '100']) {
    for (let minutes = 1; minutes <= 1440; minutes++) {
      const { quantity } = billMinutes(minutes, decimal(rate), 'EUR', 'half_up');
      assert.ok((quantity.split('.')[1] ?? '').length <= 4, `${minutes} min at ${rate}: ${quantity}`);
    }
  }
});

test('property: any minutes and rate; the fallback only above 1,000,000 minor units an hour', () => {
  const currency = fc.constantFrom('EUR', 'JPY', 'KWD');
  const rate = fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 6 }))
    .map(([units, scale]) => ({ units, scale }));
  fc.assert(fc.property(fc.integer({ min: 1, max: 200_000 }), rate, currency, fc.constantFrom<RoundingMode>('half_up', 'half_even'), (minutes, r, cur, mode) => {
    const text = r.scale === 0 ? r.units.toString() : `${r.units / pow10(r.scale)}.${(r.units % pow10(r.scale)).toString().padStart(r.scale, '0')}`;
    assertFaithful(minutes, text, cur, mode);
    const perHourMinor = r.units * pow10(currencyMinorUnits(cur));
    if (billMinutes(minutes, r, cur, mode).unit === null) assert.ok(perHourMinor > 10n ** 6n * pow10(r.scale), `fallback at ${text} ${cur}`);
  }), { numRuns: 3000 });
});

test('no cent lost: a line bills the sum of minutes once, not a sum of rounded entries', () => {
  // Three 20-minute entries at 100/h: 33.33 each would bill 99.99; the line bills one hour, 100.00.
  assert.equal(3n * amountForMinutes(20, decimal('100'), 'EUR', 'half_up'), 9999n);
  assert.deepEqual(billMinutes(60, decimal('100'), 'EUR', 'half_up'), { quantity: '1', unit: 'hour', unitPrice: '100', amountMinor: 10000n });
});

test('durations read as hours and minutes', () => {
  assert.deepEqual([5, 60, 65, 150, 600].map(formatDuration), ['5 min', '1 h', '1 h 05 min', '2 h 30 min', '10 h']);
});
