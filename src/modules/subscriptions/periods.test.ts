import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { addDays } from '../../shared/calendar.ts';
import { DomainError } from '../../shared/errors.ts';
import {
  dayNumber, daysFrom, defaultAnchorDay, isoOfDay, shiftDays, nextBoundary, nextPeriod, periodContaining, periodsStartingBetween, validateAnchorDay, type Cycle, type Interval,
} from './periods.ts';

const cycle = (start: string, interval: Interval, anchorDay = defaultAnchorDay(interval, start), intervalCount = 1): Cycle =>
  ({ start, interval, intervalCount, anchorDay });

/** The first `n` periods as [start, end, days, fullDays]. */
function first(c: Cycle, n: number): Array<[string, string, number, number]> {
  const out: Array<[string, string, number, number]> = [];
  for (let period = periodContaining(c, c.start); out.length < n; period = nextPeriod(c, period)) {
    out.push([period.start, period.end, period.days, period.fullDays]);
  }
  return out;
}

const TABLE: Array<{ name: string; cycle: Cycle; periods: Array<[string, string, number, number]> }> = [
  {
    name: 'monthly on the 31st clamps to short months and comes back (Jan 31 → Feb 28 → Mar 31)',
    cycle: cycle('2026-01-31', 'monthly'),
    periods: [['2026-01-31', '2026-02-28', 28, 28], ['2026-02-28', '2026-03-31', 31, 31], ['2026-03-31', '2026-04-30', 30, 30], ['2026-04-30', '2026-05-31', 31, 31]],
  },
  {
    name: 'monthly on the 31st in a leap year goes through Feb 29',
    cycle: cycle('2028-01-31', 'monthly'),
    periods: [['2028-01-31', '2028-02-29', 29, 29], ['2028-02-29', '2028-03-31', 31, 31]],
  },
  {
    name: 'monthly on the 30th: Feb 28 then back to the 30th',
    cycle: cycle('2027-01-30', 'monthly'),
    periods: [['2027-01-30', '2027-02-28', 29, 29], ['2027-02-28', '2027-03-30', 30, 30]],
  },
  {
    name: 'monthly on the 1st: calendar months',
    cycle: cycle('2026-01-01', 'monthly'),
    periods: [['2026-01-01', '2026-02-01', 31, 31], ['2026-02-01', '2026-03-01', 28, 28], ['2026-03-01', '2026-04-01', 31, 31]],
  },
  {
    name: 'a start on the 15th anchored on the 1st begins with a stub prorated against the whole month',
    cycle: cycle('2026-03-15', 'monthly', 1),
    periods: [['2026-03-15', '2026-04-01', 17, 31], ['2026-04-01', '2026-05-01', 30, 30]],
  },
  {
    name: 'a start on Feb 10 anchored on the 31st: stub to Feb 28 against Jan 31..Feb 28',
    cycle: cycle('2026-02-10', 'monthly', 31),
    periods: [['2026-02-10', '2026-02-28', 18, 28], ['2026-02-28', '2026-03-31', 31, 31]],
  },
  {
    name: 'a start on Feb 28 anchored on the 31st is already on its anchor (no stub)',
    cycle: cycle('2026-02-28', 'monthly', 31),
    periods: [['2026-02-28', '2026-03-31', 31, 31]],
  },
  {
    name: 'yearly from the leap day: Feb 28 in common years, Feb 29 again in 2032',
    cycle: cycle('2028-02-29', 'yearly'),
    periods: [['2028-02-29', '2029-02-28', 365, 365], ['2029-02-28', '2030-02-28', 365, 365], ['2030-02-28', '2031-02-28', 365, 365], ['2031-02-28', '2032-02-29', 366, 366]],
  },
  {
    name: 'yearly across a leap day has 366 days',
    cycle: cycle('2027-06-01', 'yearly'),
    periods: [['2027-06-01', '2028-06-01', 366, 366], ['2028-06-01', '2029-06-01', 365, 365]],
  },
  {
    name: 'quarterly on the 31st: Mar 31 → Jun 30 → Sep 30 → Dec 31',
    cycle: cycle('2026-03-31', 'quarterly'),
    periods: [['2026-03-31', '2026-06-30', 91, 91], ['2026-06-30', '2026-09-30', 92, 92], ['2026-09-30', '2026-12-31', 92, 92]],
  },
  {
    name: 'every 2 months on the 31st',
    cycle: cycle('2026-12-31', 'monthly', 31, 2),
    periods: [['2026-12-31', '2027-02-28', 59, 59], ['2027-02-28', '2027-04-30', 61, 61]],
  },
  {
    name: 'weekly from a Wednesday',
    cycle: cycle('2026-03-04', 'weekly'),
    periods: [['2026-03-04', '2026-03-11', 7, 7], ['2026-03-11', '2026-03-18', 7, 7]],
  },
  {
    name: 'weekly anchored on Monday from a Thursday: a 4-day stub of a 7-day week',
    cycle: cycle('2026-03-05', 'weekly', 1),
    periods: [['2026-03-05', '2026-03-09', 4, 7], ['2026-03-09', '2026-03-16', 7, 7]],
  },
  {
    name: 'every 2 weeks',
    cycle: cycle('2026-12-28', 'weekly', 1, 2),
    periods: [['2026-12-28', '2027-01-11', 14, 14], ['2027-01-11', '2027-01-25', 14, 14]],
  },
];

for (const row of TABLE) {
  test(`periods: ${row.name}`, () => {
    assert.deepEqual(first(row.cycle, row.periods.length), row.periods);
  });
}

test('periodContaining finds the period of any day, far from the start too', () => {
  const c = cycle('2026-01-31', 'monthly');
  assert.deepEqual(pick(periodContaining(c, '2026-02-27')), ['2026-01-31', '2026-02-28']);
  assert.deepEqual(pick(periodContaining(c, '2026-02-28')), ['2026-02-28', '2026-03-31']);
  assert.deepEqual(pick(periodContaining(c, '2036-02-29')), ['2036-02-29', '2036-03-31']);
  assert.deepEqual(pick(periodContaining(c, '2036-02-28')), ['2036-01-31', '2036-02-29']);
  assert.deepEqual(pick(periodContaining(cycle('2026-03-15', 'monthly', 1), '2026-03-31')), ['2026-03-15', '2026-04-01']);
  assert.throws(() => periodContaining(c, '2026-01-30'));
});

test('nextBoundary: a day on a boundary is its own, any other day the end of its period', () => {
  const c = cycle('2026-01-31', 'monthly');
  assert.equal(nextBoundary(c, '2026-02-28'), '2026-02-28');
  assert.equal(nextBoundary(c, '2026-03-01'), '2026-03-31');
});

test('periodsStartingBetween lists whole periods that start in [from, to)', () => {
  const c = cycle('2026-01-01', 'monthly');
  assert.deepEqual(periodsStartingBetween(c, '2026-01-02', '2026-04-01').map(pick), [['2026-02-01', '2026-03-01'], ['2026-03-01', '2026-04-01']]);
  assert.deepEqual(periodsStartingBetween(c, '2026-01-01', '2026-01-02').map(pick), [['2026-01-01', '2026-02-01']]);
});

test('anchor days: defaults and limits', () => {
  assert.equal(defaultAnchorDay('monthly', '2026-03-31'), 31);
  assert.equal(defaultAnchorDay('weekly', '2026-03-15'), 7); // a Sunday
  assert.throws(() => validateAnchorDay('weekly', 8), DomainError);
  assert.throws(() => validateAnchorDay('monthly', 0), DomainError);
  assert.throws(() => validateAnchorDay('yearly', 32), DomainError);
  validateAnchorDay('monthly', 31);
});

const pick = (period: { start: string; end: string }) => [period.start, period.end];

const anyCycle = fc.record({
  start: fc.integer({ min: 0, max: 365 * 12 }).map((n) => addDays('2024-01-01', n)),
  interval: fc.constantFrom<Interval>('weekly', 'monthly', 'quarterly', 'yearly'),
  intervalCount: fc.integer({ min: 1, max: 3 }),
  anchor: fc.integer({ min: 1, max: 31 }),
}).map(({ start, interval, intervalCount, anchor }) => ({ start, interval, intervalCount, anchorDay: interval === 'weekly' ? (anchor % 7) + 1 : anchor }));

test('property: periods tile the calendar with no gap or overlap, each on its clamped anchor day', () => {
  fc.assert(fc.property(anyCycle, (c) => {
    let period = periodContaining(c, c.start);
    assert.equal(period.start, c.start);
    for (let i = 0; i < 30; i++) {
      const next = nextPeriod(c, period);
      assert.equal(next.start, period.end);
      assert.ok(period.days > 0 && period.days <= period.fullDays);
      assert.equal(period.days, daysFrom(period.start, period.end));
      const end = Temporal.PlainDate.from(period.end);
      if (c.interval === 'weekly') assert.equal(end.dayOfWeek, c.anchorDay);
      else assert.equal(end.day, Math.min(c.anchorDay, end.daysInMonth));
      period = next;
    }
  }), { numRuns: 300 });
});

test('property: every day lies in the period periodContaining returns', () => {
  fc.assert(fc.property(anyCycle, fc.integer({ min: 0, max: 3000 }), (c, offset) => {
    const day = addDays(c.start, offset);
    const period = periodContaining(c, day);
    assert.ok(period.start <= day && day < period.end, `${day} not in [${period.start}, ${period.end})`);
  }), { numRuns: 500 });
});

test('property: day numbers agree with Temporal, leap days and centuries included', () => {
  const epoch = Temporal.PlainDate.from('1970-01-01');
  fc.assert(fc.property(fc.integer({ min: -200_000, max: 200_000 }), fc.integer({ min: -1000, max: 1000 }), (n, shift) => {
    const iso = epoch.add({ days: n }).toString();
    assert.equal(isoOfDay(n), iso);
    assert.equal(dayNumber(iso), n);
    assert.equal(shiftDays(iso, shift), Temporal.PlainDate.from(iso).add({ days: shift }).toString());
  }), { numRuns: 2000 });
  for (const [iso, n] of [['2000-02-29', 11016], ['1900-03-01', -25508], ['2028-02-29', 21243]] as const) assert.equal(dayNumber(iso), n);
});
