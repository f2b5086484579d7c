import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainError } from './errors.ts';
import {
  add, compare, decimal, divide, fromMinor, isZero, multiply, negate, parseDecimal, percentOf, rescale, roundToInteger,
  sign, subtract, toDecimalString, type Decimal, type RoundingMode,
} from './decimal.ts';

const MODES: RoundingMode[] = ['half_up', 'half_even', 'up', 'down', 'floor', 'ceiling'];

function rejection(text: unknown, opts?: Parameters<typeof parseDecimal>[2]): string {
  try {
    parseDecimal(text, 'amount', opts);
  } catch (error) {
    assert.ok(error instanceof DomainError, 'a DomainError');
    assert.equal(error.kind, 'validation');
    assert.equal(error.fieldErrors[0]?.field, 'amount');
    return error.fieldErrors[0]!.message;
  }
  assert.fail(`${JSON.stringify(text)} was accepted`);
}

test('parseDecimal accepts plain decimals exactly', () => {
  const cases: [string, bigint, number][] = [
    ['0', 0n, 0], ['12.50', 1250n, 2], ['-3', -3n, 0], ['0.0001', 1n, 4], ['007.5', 75n, 1],
    ['999999999999999', 999999999999999n, 0], ['-0.25', -25n, 2], ['1.0000000001', 10000000001n, 10],
  ];
  for (const [text, units, scale] of cases) assert.deepEqual(parseDecimal(text, 'amount'), { units, scale }, text);
});

test('parseDecimal refuses every malformed or risky form with a clear reason', () => {
  const malformed = ['1e3', '1E3', '1,5', '1.000,00', 'NaN', 'Infinity', '-Infinity', ' 1', '1 ', '+1', '', '.5', '5.', '-', '--1',
    '0x10', '1_000', '١٢', '1.2.3', '½', '1\n'];
  for (const text of malformed) {
    assert.equal(rejection(text), `must be a decimal number like 12.50 (got ${JSON.stringify(text)})`, text);
  }
  assert.equal(rejection('1'.repeat(40)), 'has more than 15 digits before the decimal point');
  assert.equal(rejection('1234567890123456'), 'has more than 15 digits before the decimal point');
  assert.equal(rejection('0.12345678901'), 'has more than 10 decimal places');
  assert.equal(rejection('1.23456', { maxScale: 4 }), 'has more than 4 decimal places');
  assert.equal(rejection('1.5', { maxScale: 0 }), 'must be a whole number');
  assert.equal(rejection('1234', { maxIntegerDigits: 3 }), 'has more than 3 digits before the decimal point');
  assert.equal(rejection('-1', { allowNegative: false }), 'must not be negative');
  for (const value of [12.5, 1n, null, undefined, {}, ['1'], true]) {
    assert.equal(rejection(value), 'must be a decimal number given as a string like "12.50"', String(value));
  }
  assert.match(rejection('9'.repeat(200) + 'x'), /got "9{32}…"\)$/, 'long input is truncated in the message');
});

test('decimal() parses trusted text and throws a plain Error on garbage', () => {
  assert.deepEqual(decimal('19.000'), { units: 19000n, scale: 3 });
  assert.throws(() => decimal('1e3'), (error: unknown) => error instanceof Error && !(error instanceof DomainError));
});

test('arithmetic is exact', () => {
  assert.equal(toDecimalString(add(decimal('0.1'), decimal('0.2'))), '0.3');
  assert.equal(toDecimalString(subtract(decimal('1'), decimal('0.9999'))), '0.0001');
  assert.equal(toDecimalString(multiply(decimal('0.3333'), decimal('3'))), '0.9999');
  assert.equal(toDecimalString(multiply(decimal('-1.5'), decimal('-2.25'))), '3.375');
  assert.equal(toDecimalString(percentOf(decimal('200'), decimal('9.975'))), '19.95');
  assert.equal(toDecimalString(negate(decimal('2.50'))), '-2.5');
  assert.equal(isZero(decimal('0.000')), true);
  assert.deepEqual([sign(decimal('-0.01')), sign(decimal('0')), sign(decimal('7'))], [-1, 0, 1]);
  assert.equal(compare(decimal('1.50'), decimal('1.5')), 0);
  assert.equal(compare(decimal('1.49'), decimal('1.5')), -1);
  assert.equal(compare(decimal('-1'), decimal('-2')), 1);
  const big = decimal('123456789012345.123456789');
  assert.equal(toDecimalString(multiply(big, big)), '15241578753238699603719902454.205361988750190521'); // beyond any float
});

test('division rounds to the requested scale', () => {
  assert.equal(toDecimalString(divide(decimal('1'), decimal('3'), 4, 'half_up')), '0.3333');
  assert.equal(toDecimalString(divide(decimal('2'), decimal('3'), 4, 'half_up')), '0.6667');
  assert.equal(toDecimalString(divide(decimal('-2'), decimal('3'), 4, 'down')), '-0.6666');
  assert.equal(toDecimalString(divide(decimal('119'), decimal('1.19'), 2, 'half_up')), '100');
  assert.equal(toDecimalString(divide(decimal('29.97'), decimal('1.19'), 2, 'half_up')), '25.18');
  assert.equal(toDecimalString(divide(decimal('1'), decimal('-8'), 2, 'half_even')), '-0.12');
  assert.throws(() => divide(decimal('1'), decimal('0.00'), 2, 'half_up'), /Division by zero/);
});

test('each rounding mode on positive and negative halves and non-halves', () => {
  // value → [half_up, half_even, up, down, floor, ceiling] at 0 decimals
  const table: [string, bigint[]][] = [
    ['2.5', [3n, 2n, 3n, 2n, 2n, 3n]],
    ['3.5', [4n, 4n, 4n, 3n, 3n, 4n]],
    ['-2.5', [-3n, -2n, -3n, -2n, -3n, -2n]],
    ['-3.5', [-4n, -4n, -4n, -3n, -4n, -3n]],
    ['2.4', [2n, 2n, 3n, 2n, 2n, 3n]],
    ['2.6', [3n, 3n, 3n, 2n, 2n, 3n]],
    ['-2.4', [-2n, -2n, -3n, -2n, -3n, -2n]],
    ['-2.6', [-3n, -3n, -3n, -2n, -3n, -2n]],
    ['0.5', [1n, 0n, 1n, 0n, 0n, 1n]],
    ['-0.5', [-1n, 0n, -1n, 0n, -1n, 0n]],
    ['7', [7n, 7n, 7n, 7n, 7n, 7n]],
    ['-0.0001', [0n, 0n, -1n, 0n, -1n, 0n]],
  ];
  for (const [text, expected] of table) {
    MODES.forEach((mode, i) => assert.equal(roundToInteger(decimal(text), mode), expected[i], `${text} ${mode}`));
  }
  assert.equal(toDecimalString(rescale(decimal('1.005'), 2, 'half_up')), '1.01'); // the float classic: 1.005 → 1.00
  assert.equal(toDecimalString(rescale(decimal('1.015'), 2, 'half_even')), '1.02');
  assert.equal(toDecimalString(rescale(decimal('1.025'), 2, 'half_even')), '1.02');
  assert.equal(toDecimalString(rescale(decimal('-1.005'), 2, 'half_up')), '-1.01');
  assert.deepEqual(rescale(decimal('1.5'), 3, 'down'), { units: 1500n, scale: 3 });
});

test('toDecimalString is canonical and pads to minScale', () => {
  const cases: [Decimal, number, string][] = [
    [decimal('0.250'), 0, '0.25'], [decimal('-3.000'), 0, '-3'], [decimal('1.5'), 2, '1.50'], [decimal('0'), 0, '0'],
    [fromMinor(-5n, 2), 2, '-0.05'], [fromMinor(1n, 3), 3, '0.001'], [fromMinor(123450n, 2), 2, '1234.50'],
    [fromMinor(5n, 0), 0, '5'], [decimal('12.3400'), 3, '12.340'], [fromMinor(0n, 2), 2, '0.00'],
  ];
  for (const [value, minScale, text] of cases) assert.equal(toDecimalString(value, minScale), text);
});

const decimalArb = fc.record({ units: fc.bigInt(-(10n ** 20n), 10n ** 20n), scale: fc.integer({ min: 0, max: 12 }) });

test('property: toDecimalString and parseDecimal round-trip', () => {
  fc.assert(fc.property(decimalArb, (d) => compare(decimal(toDecimalString(d)), d) === 0));
});

test('property: every rounding mode brackets the exact value', () => {
  fc.assert(
    fc.property(decimalArb, fc.integer({ min: 0, max: 6 }), (d, scale) => {
      const results = Object.fromEntries(MODES.map((mode) => [mode, rescale(d, scale, mode)])) as Record<RoundingMode, Decimal>;
      const unit = fromMinor(1n, scale);
      const { floor, ceiling } = results;
      assert.ok(compare(floor, d) <= 0 && compare(d, ceiling) <= 0, 'floor ≤ x ≤ ceiling');
      assert.ok(compare(subtract(ceiling, floor), unit) <= 0, 'floor and ceiling are adjacent');
      for (const mode of MODES) {
        const r = results[mode];
        assert.ok(compare(r, floor) === 0 || compare(r, ceiling) === 0, `${mode} is floor or ceiling`);
      }
      const distance = (r: Decimal) => { const gap = subtract(r, d); return sign(gap) < 0 ? negate(gap) : gap; };
      const halfUnit = fromMinor(5n, scale + 1);
      assert.ok(compare(distance(results.half_up), halfUnit) <= 0, 'half_up within half a unit');
      assert.ok(compare(distance(results.half_even), halfUnit) <= 0, 'half_even within half a unit');
      const magnitude = (x: Decimal) => (sign(x) < 0 ? negate(x) : x);
      assert.ok(compare(magnitude(results.down), magnitude(d)) <= 0, 'down is toward zero');
      assert.ok(compare(magnitude(results.up), magnitude(d)) >= 0, 'up is away from zero');
    }),
  );
});

test('property: division times divisor is back within one unit of the dividend', () => {
  const nonZero = decimalArb.filter((d) => d.units !== 0n);
  fc.assert(
    fc.property(decimalArb, nonZero, (a, b) => {
      const q = divide(a, b, 6, 'floor');
      const below = multiply(q, b);
      const above = multiply(add(q, fromMinor(1n, 6)), b);
      // q ≤ a/b < q + 1e-6; multiplying by a negative b flips both comparisons.
      if (sign(b) > 0) return compare(below, a) <= 0 && compare(a, above) < 0;
      return compare(above, a) < 0 && compare(a, below) <= 0;
    }),
  );
});
