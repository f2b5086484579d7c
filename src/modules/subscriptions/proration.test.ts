import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decimal, pow10, roundQuotient, type Decimal, type RoundingMode } from '../../shared/decimal.ts';
import { roundToMinor } from '../../shared/money.ts';
import { changeAdjustment, lineAmount, prorate } from './proration.ts';

const amount = (quantity: string, unitPrice: string) => lineAmount(decimal(quantity), decimal(unitPrice));

const PRORATE: Array<{ name: string; quantity: string; unitPrice: string; days: number; of: number; minor?: number; mode?: RoundingMode; expected: bigint }> = [
  { name: '17 of 31 days of 100.00', quantity: '1', unitPrice: '100.00', days: 17, of: 31, expected: 5484n }, // 54.8387
  { name: '10 seats × 9.99, 15 of 28 days (February)', quantity: '10', unitPrice: '9.99', days: 15, of: 28, expected: 5352n }, // 53.5178
  { name: 'the leap day alone: 1 of 29 days of 29.00', quantity: '1', unitPrice: '29.00', days: 1, of: 29, expected: 100n },
  { name: 'one day of a leap year of 1200.00', quantity: '1', unitPrice: '1200', days: 1, of: 366, expected: 328n }, // 3.2787
  { name: 'one day of a common year of 1200.00', quantity: '1', unitPrice: '1200', days: 1, of: 365, expected: 329n }, // 3.2877
  { name: 'a whole period is the invoice line amount', quantity: '3', unitPrice: '12.345678', days: 30, of: 30, expected: 3704n }, // 37.037034
  { name: 'rounded once: 0.125 for half a period is 0.06, not half of 0.13', quantity: '1', unitPrice: '0.125', days: 1, of: 2, expected: 6n },
  { name: 'fractional seats', quantity: '2.5', unitPrice: '40', days: 10, of: 30, expected: 3333n },
  { name: 'JPY has no minor unit', quantity: '1', unitPrice: '1000', days: 1, of: 3, minor: 0, expected: 333n },
  { name: 'KWD has three', quantity: '1', unitPrice: '10.000', days: 1, of: 3, minor: 3, expected: 3333n },
  { name: 'a tie rounds half up by default', quantity: '1', unitPrice: '0.05', days: 7, of: 14, expected: 3n }, // 0.025
  { name: 'a tie rounds to even when asked', quantity: '1', unitPrice: '0.05', days: 7, of: 14, mode: 'half_even', expected: 2n },
  { name: 'zero days is nothing', quantity: '5', unitPrice: '10', days: 0, of: 31, expected: 0n },
  { name: 'a negative amount rounds away from zero symmetrically', quantity: '-1', unitPrice: '100.00', days: 17, of: 31, expected: -5484n },
];

for (const row of PRORATE) {
  test(`prorate: ${row.name}`, () => {
    assert.equal(prorate(amount(row.quantity, row.unitPrice), row.days, row.of, row.minor ?? 2, row.mode ?? 'half_up'), row.expected);
  });
}

test('prorate refuses days outside the period', () => {
  assert.throws(() => prorate(amount('1', '1'), 32, 31, 2, 'half_up'));
  assert.throws(() => prorate(amount('1', '1'), 1, 0, 2, 'half_up'));
});

const CHANGES: Array<{ name: string; before: Decimal[]; after: Decimal[]; days: number; of: number; credits: bigint[]; charges: bigint[]; net: bigint }> = [
  {
    name: 'upgrade 5 → 8 seats at 10.00 halfway through a 30-day month',
    before: [amount('5', '10')], after: [amount('8', '10')], days: 15, of: 30, credits: [2500n], charges: [4000n], net: 1500n,
  },
  {
    name: 'downgrade 100.00 → 50.00 with 10 of 31 days left',
    before: [amount('1', '100')], after: [amount('1', '50')], days: 10, of: 31, credits: [3226n], charges: [1613n], net: -1613n,
  },
  {
    name: 'per-line rounding would lose a cent; the charge carries it',
    // credits 0.005 + 0.005 → 0.01 + 0.01; the difference 0.01 × ½ = 0.005 → 0.01; so the charge is 0.03, not round(0.015) = 0.02
    before: [amount('1', '0.01'), amount('1', '0.01')], after: [amount('1', '0.03')], days: 1, of: 2, credits: [1n, 1n], charges: [3n], net: 1n,
  },
  {
    name: 'the whole period (change on its first day): credit all of the old, charge all of the new',
    before: [amount('1', '49')], after: [amount('1', '99')], days: 31, of: 31, credits: [4900n], charges: [9900n], net: 5000n,
  },
  {
    name: 'two new items share the charge in proportion',
    before: [amount('1', '30')], after: [amount('1', '20'), amount('1', '40')], days: 1, of: 3, credits: [1000n], charges: [667n, 1333n], net: 1000n,
  },
  {
    name: 'removing every licensed item: the credits carry the exact difference',
    before: [amount('1', '0.01'), amount('1', '0.01')], after: [], days: 1, of: 2, credits: [1n, 0n], charges: [], net: -1n,
  },
  {
    name: 'adding items to nothing',
    before: [], after: [amount('2', '15')], days: 14, of: 28, credits: [], charges: [1500n], net: 1500n,
  },
];

for (const row of CHANGES) {
  test(`changeAdjustment: ${row.name}`, () => {
    const result = changeAdjustment(row.before, row.after, row.days, row.of, 2, 'half_up');
    assert.deepEqual(result, { credits: row.credits, charges: row.charges, netMinor: row.net });
  });
}

// ---------------------------------------------------------------------------------------------
// Properties

const price = fc.integer({ min: 0, max: 10_000_000_000 }).map((units) => ({ units: BigInt(units), scale: 4 }));
const quantity = fc.integer({ min: 0, max: 500_000 }).map((units) => ({ units: BigInt(units), scale: 2 }));
const itemAmount = fc.tuple(quantity, price).map(([q, p]) => lineAmount(q, p));
const period = fc.integer({ min: 7, max: 366 }).chain((of) => fc.tuple(fc.integer({ min: 0, max: of }), fc.constant(of)));
const mode = fc.constantFrom<RoundingMode>('half_up', 'half_even');

/** x × days / of, exact, as a fraction of minor units (numerator over denominator). */
function exact(x: Decimal, days: number, of: number): { numerator: bigint; denominator: bigint } {
  return { numerator: x.units * BigInt(days) * 100n, denominator: pow10(x.scale) * BigInt(of) };
}

function sum(list: bigint[]): bigint {
  return list.reduce((a, b) => a + b, 0n);
}

test('property: credits + charges of a change at any day are exactly the prorated difference, rounded once', () => {
  fc.assert(fc.property(fc.array(itemAmount, { maxLength: 5 }), fc.array(itemAmount, { maxLength: 5 }), period, mode, (before, after, [days, of], rounding) => {
    const { credits, charges, netMinor } = changeAdjustment(before, after, days, of, 2, rounding);
    const scale = 6;
    const total = (list: Decimal[]) => list.reduce((s, d) => s + d.units * pow10(scale - d.scale), 0n);
    const { numerator, denominator } = exact({ units: total(after) - total(before), scale }, days, of);
    assert.equal(netMinor, roundQuotient(numerator, denominator, rounding));
    assert.equal(sum(charges) - sum(credits), netMinor, 'the change never gains or loses a unit');
  }), { numRuns: 2000 });
});

test('property: each old item is credited exactly its unused part, rounded once', () => {
  fc.assert(fc.property(fc.array(itemAmount, { maxLength: 5 }), fc.array(itemAmount, { minLength: 1, maxLength: 5 }), period, (before, after, [days, of]) => {
    const { credits } = changeAdjustment(before, after, days, of, 2, 'half_up');
    before.forEach((amount, i) => {
      const { numerator, denominator } = exact(amount, days, of);
      assert.equal(credits[i], roundQuotient(numerator, denominator, 'half_up'));
    });
  }), { numRuns: 1000 });
});

test('property: each charge stays within a unit per old item (plus one) of its own exact proration', () => {
  fc.assert(fc.property(fc.array(itemAmount, { maxLength: 5 }), fc.array(itemAmount, { minLength: 1, maxLength: 5 }), period, (before, after, [days, of]) => {
    const { charges } = changeAdjustment(before, after, days, of, 2, 'half_up');
    after.forEach((amount, i) => {
      const { numerator, denominator } = exact(amount, days, of);
      const distance = charges[i]! * denominator - numerator;
      assert.ok((distance < 0n ? -distance : distance) <= BigInt(before.length + 2) * denominator, `charge ${charges[i]} too far from ${numerator}/${denominator}`);
    });
  }), { numRuns: 1000 });
});

test('property: a whole period prorates to the invoice line amount; the used and unused parts add up within a unit', () => {
  fc.assert(fc.property(itemAmount, period, mode, (x, [days, of], rounding) => {
    assert.equal(prorate(x, of, of, 2, rounding), roundToMinor(x, 'EUR', rounding));
    const parts = prorate(x, days, of, 2, rounding) + prorate(x, of - days, of, 2, rounding);
    const whole = prorate(x, of, of, 2, rounding);
    assert.ok(parts - whole <= 1n && whole - parts <= 1n);
  }), { numRuns: 1000 });
});

test('property: changing and changing back on the same day costs nothing', () => {
  fc.assert(fc.property(fc.array(itemAmount, { minLength: 1, maxLength: 4 }), fc.array(itemAmount, { minLength: 1, maxLength: 4 }), period, (a, b, [days, of]) => {
    const there = changeAdjustment(a, b, days, of, 2, 'half_up');
    const back = changeAdjustment(b, a, days, of, 2, 'half_up');
    assert.equal(there.netMinor + back.netMinor, 0n);
  }), { numRuns: 1000 });
});
