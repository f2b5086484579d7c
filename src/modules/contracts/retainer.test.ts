import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimal } from '../../shared/decimal.ts';
import { amountForSeconds, closePeriod, formatHours, hoursToSeconds, periodLabel, type Rollover } from './retainer.ts';

const H = 3600;

test('closePeriod: rollover none / unlimited / capped; under, exactly at and over the included hours', () => {
  // [rollover, cap h, carried in h, used h] → [overage h, carried out h]
  const cases: Array<[Rollover, number | null, number, number, number, number]> = [
    ['none', null, 0, 32.5, 0, 0],
    ['none', null, 0, 40, 0, 0],
    ['none', null, 0, 42.5, 2.5, 0],
    ['unlimited', null, 0, 32.5, 0, 7.5],
    ['unlimited', null, 0, 40, 0, 0],
    ['unlimited', null, 0, 42.5, 2.5, 0],
    ['unlimited', null, 7.5, 32.5, 0, 15], // carried hours accumulate
    ['unlimited', null, 7.5, 47.5, 0, 0], // carried hours are used before overage
    ['unlimited', null, 7.5, 50, 2.5, 0],
    ['capped', 5, 0, 32.5, 0, 5],
    ['capped', 10, 0, 32.5, 0, 7.5],
    ['capped', 5, 0, 40, 0, 0],
    ['capped', 5, 0, 42.5, 2.5, 0],
    ['capped', 5, 5, 30, 0, 5], // the cap bounds the balance, not just this period's rest
    ['capped', 5, 5, 46, 1, 0],
  ];
  for (const [rollover, cap, carriedIn, used, overage, carriedOut] of cases) {
    const result = closePeriod({ includedSeconds: 40 * H, rollover, capSeconds: cap === null ? null : cap * H }, carriedIn * H, used * H);
    assert.deepEqual([result.overageSeconds / H, result.carriedOutSeconds / H], [overage, carriedOut], `${rollover} cap ${cap} in ${carriedIn} used ${used}`);
  }
});

test('hours, amounts and labels are exact', () => {
  assert.equal(hoursToSeconds('40'), 144000);
  assert.equal(hoursToSeconds('7.25'), 26100);
  assert.equal(hoursToSeconds('0.01'), 36);
  assert.equal(amountForSeconds(2.5 * H, decimal('150'), 'EUR', 'half_up'), 37500n);
  assert.equal(amountForSeconds(20 * 60, decimal('100'), 'EUR', 'half_up'), 3333n); // 20 min: one rounding
  assert.equal(amountForSeconds(20 * 60, decimal('100'), 'JPY', 'half_up'), 33n);
  assert.deepEqual([formatHours(32.5 * H), formatHours(40 * H), formatHours(20 * 60), formatHours(0)], ['32.5 h', '40 h', '0.33 h', '0 h']);
  assert.equal(periodLabel('2026-03-01', '2026-04-01', '2026-03-31'), 'March 2026');
  assert.equal(periodLabel('2026-03-15', '2026-04-15', '2026-04-14'), '2026-03-15 – 2026-04-14');
  assert.equal(periodLabel('2026-01-01', '2027-01-01', '2026-12-31'), '2026');
});
