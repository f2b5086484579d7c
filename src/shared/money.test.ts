import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainError } from './errors.ts';
import { CURRENCY_CODES, assertCurrency, currencyMinorUnits, isCurrency } from './currencies.ts';
import { decimal } from './decimal.ts';
import {
  addMoney, allocate, displayMoney, formatAmount, formatMoney, money, parseAmount, roundToMinor, subtractMoney, sumMoney,
} from './money.ts';

function fieldMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DomainError);
    return error.fieldErrors[0]!.message;
  }
  assert.fail('was accepted');
}

test('currency table: minor units of ISO 4217 List One', () => {
  const expected: Record<string, number> = {
    JPY: 0, KRW: 0, CLP: 0, ISK: 0, XOF: 0, XAF: 0, XPF: 0, VND: 0, EUR: 2, USD: 2, GBP: 2, CHF: 2, CAD: 2, INR: 2,
    KWD: 3, BHD: 3, TND: 3, JOD: 3, OMR: 3, IQD: 3, LYD: 3, CLF: 4, UYW: 4, XCG: 2, ZWG: 2, SLE: 2, VED: 2,
  };
  for (const [code, units] of Object.entries(expected)) assert.equal(currencyMinorUnits(code), units, code);
  assert.ok(CURRENCY_CODES.length >= 150 && CURRENCY_CODES.length < 190, `${CURRENCY_CODES.length} codes`);
  assert.equal(new Set(CURRENCY_CODES).size, CURRENCY_CODES.length, 'no duplicates');
  for (const code of CURRENCY_CODES) assert.match(code, /^[A-Z]{3}$/);
  // Withdrawn codes and units without a minor unit are not money here.
  for (const code of ['HRK', 'ANG', 'SLL', 'ZWL', 'DEM', 'XAU', 'XXX', 'XTS', 'XDR', 'eur', 'EURO', '']) {
    assert.equal(isCurrency(code), false, code);
  }
  assert.throws(() => currencyMinorUnits('XYZ'), /Unknown currency "XYZ"/);
});

test('assertCurrency refuses unknown codes as a validation error', () => {
  assert.doesNotThrow(() => assertCurrency('EUR', 'currency'));
  for (const code of ['eur', 'XYZ', 42, null]) {
    assert.equal(fieldMessage(() => assertCurrency(code, 'currency')), 'is not an ISO 4217 currency code');
  }
});

test('parseAmount converts to minor units and refuses more decimals than the currency has', () => {
  assert.equal(parseAmount('1234.50', 'EUR', 'amount'), 123450n);
  assert.equal(parseAmount('1234.5', 'EUR', 'amount'), 123450n);
  assert.equal(parseAmount('7', 'EUR', 'amount'), 700n);
  assert.equal(parseAmount('5', 'JPY', 'amount'), 5n);
  assert.equal(parseAmount('0.001', 'KWD', 'amount'), 1n);
  assert.equal(parseAmount('1.2345', 'CLF', 'amount'), 12345n);
  assert.equal(parseAmount('-0.05', 'EUR', 'amount', { allowNegative: true }), -5n);
  assert.equal(fieldMessage(() => parseAmount('1.234', 'EUR', 'amount')), 'has more than 2 decimal places');
  assert.equal(fieldMessage(() => parseAmount('1.5', 'JPY', 'amount')), 'must be a whole number');
  assert.equal(fieldMessage(() => parseAmount('1.0001', 'KWD', 'amount')), 'has more than 3 decimal places');
  assert.equal(fieldMessage(() => parseAmount('-1', 'EUR', 'amount')), 'must not be negative');
  assert.equal(fieldMessage(() => parseAmount('1e3', 'EUR', 'amount')), 'must be a decimal number like 12.50 (got "1e3")');
  assert.equal(fieldMessage(() => parseAmount(12.5, 'EUR', 'amount')), 'must be a decimal number given as a string like "12.50"');
});

test('formatAmount always shows exactly the currency decimals', () => {
  const cases: [bigint, string, string][] = [
    [123450n, 'EUR', '1234.50'], [5n, 'JPY', '5'], [1n, 'KWD', '0.001'], [-5n, 'EUR', '-0.05'], [0n, 'EUR', '0.00'],
    [0n, 'JPY', '0'], [1000n, 'KWD', '1.000'], [-123456n, 'BHD', '-123.456'], [1n, 'CLF', '0.0001'],
    [123456789012345678901234567890n, 'USD', '1234567890123456789012345678.90'],
  ];
  for (const [minor, currency, text] of cases) assert.equal(formatAmount(minor, currency), text, `${minor} ${currency}`);
});

test('property: parseAmount(formatAmount(x)) is x', () => {
  fc.assert(
    fc.property(fc.bigInt(1n - 10n ** 15n, 10n ** 15n - 1n), fc.constantFrom('EUR', 'JPY', 'KWD', 'CLF'), (minor, currency) =>
      parseAmount(formatAmount(minor, currency), currency, 'amount', { allowNegative: true }) === minor),
  );
});

test('roundToMinor rounds a major-unit decimal once, with the named mode', () => {
  assert.equal(roundToMinor(decimal('1.005'), 'EUR'), 101n);
  assert.equal(roundToMinor(decimal('-1.005'), 'EUR'), -101n);
  assert.equal(roundToMinor(decimal('1.005'), 'EUR', 'half_even'), 100n);
  assert.equal(roundToMinor(decimal('1.005'), 'EUR', 'down'), 100n);
  assert.equal(roundToMinor(decimal('7498.5'), 'JPY'), 7499n);
  assert.equal(roundToMinor(decimal('0.5005'), 'KWD'), 501n);
  assert.equal(roundToMinor(decimal('12'), 'KWD'), 12000n);
});

test('allocate splits without losing a unit', () => {
  const cases: [bigint, bigint[], bigint[]][] = [
    [100n, [1n, 1n, 1n], [34n, 33n, 33n]],
    [-100n, [1n, 1n, 1n], [-34n, -33n, -33n]],
    [5n, [3n, 7n], [2n, 3n]], // 1.5 and 3.5: equal remainders, the earlier wins
    [1000n, [3333n, 6667n], [333n, 667n]],
    [10n, [0n, 1n, 0n], [0n, 10n, 0n]],
    [7n, [0n, 0n, 0n], [3n, 2n, 2n]],
    [0n, [5n, 5n], [0n, 0n]],
    [1n, [1n, 1n, 1n, 1n], [1n, 0n, 0n, 0n]],
    [2n, [1n, 2n], [1n, 1n]], // 0.667 / 1.333: the larger remainder gets the unit
    [100n, [70n, 20n, 10n], [70n, 20n, 10n]],
  ];
  for (const [total, weights, expected] of cases) assert.deepEqual(allocate(total, weights), expected, `${total} by ${weights}`);
  assert.throws(() => allocate(10n, [1n, -1n]), /weights must be >= 0/);
  assert.throws(() => allocate(10n, []), /at least one weight/);
});

test('property: allocate sums to the total and every share is within 1 of its exact proportion', () => {
  fc.assert(
    fc.property(
      fc.bigInt(-(10n ** 12n), 10n ** 12n),
      fc.array(fc.oneof(fc.constant(0n), fc.bigInt(0n, 10n ** 9n)), { minLength: 1, maxLength: 30 }),
      (total, weights) => {
        const shares = allocate(total, weights);
        assert.equal(shares.reduce((a, b) => a + b, 0n), total);
        const allZero = weights.every((w) => w === 0n);
        const effective = allZero ? weights.map(() => 1n) : weights;
        const weightSum = effective.reduce((a, b) => a + b, 0n);
        shares.forEach((share, i) => {
          const gap = share * weightSum - total * effective[i]!; // (share − exact) × weightSum
          assert.ok(gap < weightSum && gap > -weightSum, `share ${i} within 1 of exact`);
          if (!allZero && weights[i] === 0n) assert.equal(share, 0n);
          if (total !== 0n && share !== 0n) assert.equal(share > 0n, total > 0n, 'shares carry the sign of the total');
        });
        assert.deepEqual(allocate(-total, weights), shares.map((s) => -s), 'symmetric for negative totals');
      },
    ),
  );
});

test('displayMoney formats the exact decimal for people', () => {
  assert.equal(displayMoney(123450n, 'EUR'), '€1,234.50');
  assert.equal(displayMoney(123450n, 'EUR', 'de-DE'), '1.234,50\u00a0€');
  assert.equal(displayMoney(-5n, 'USD'), '-$0.05');
  assert.equal(displayMoney(5n, 'JPY'), '¥5');
  assert.equal(displayMoney(1n, 'KWD'), 'KWD\u00a00.001');
  // 17 significant digits: a float would print ...456.78 as ...456.8 or worse.
  assert.equal(displayMoney(123456789012345678n, 'EUR'), '€1,234,567,890,123,456.78');
});

test('Money refuses to mix currencies', () => {
  const eur = money(150n, 'EUR');
  assert.deepEqual(addMoney(eur, money(250n, 'EUR')), { minor: 400n, currency: 'EUR' });
  assert.deepEqual(subtractMoney(eur, money(250n, 'EUR')), { minor: -100n, currency: 'EUR' });
  assert.deepEqual(sumMoney([eur, eur, eur], 'EUR'), { minor: 450n, currency: 'EUR' });
  assert.deepEqual(sumMoney([], 'JPY'), { minor: 0n, currency: 'JPY' });
  assert.deepEqual(formatMoney(eur), { amount: '1.50', currency: 'EUR' });
  const runtimeCode: string = ['USD'][0]!; // known only at run time, as when read from the database
  assert.throws(() => addMoney<string>(eur, money(1n, runtimeCode)), /Cannot combine EUR and USD/);
  assert.throws(() => sumMoney<string>([eur], 'USD'), /Cannot combine USD and EUR/);
  assert.throws(() => money(1n, 'XYZ'), /Unknown currency/);
  // @ts-expect-error -- two literal currencies do not even compile
  assert.throws(() => addMoney(money(1n, 'EUR'), money(1n, 'USD')));
});
