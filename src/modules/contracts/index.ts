// Contracts: retainers and fixed-price schedules of projects, as charge sources of the billing run.
// Reads work's projects and time entries; links retainer overage time to its invoice line.
import type { ChargeSource } from '../billing/charge.ts';
import { fixedChargeSource } from './fixed-schedule.ts';
import { retainerChargeSource } from './retainer-source.ts';

export {
  completeMilestone, FIXED_CONTRACT_TYPE, fixedChargeSource, getSchedule, MAX_ENTRY_DESCRIPTION, MAX_SCHEDULE_ENTRIES, setSchedule, setScheduleIn, type Schedule, type ScheduleEntry,
  type ScheduleEntryInput,
} from './fixed-schedule.ts';
export { RETAINER_CONTRACT_TYPE, retainerChargeSource } from './retainer-source.ts';
export { closePeriod, formatHours, hoursToSeconds, type PeriodClose, type RetainerTerms, type Rollover } from './retainer.ts';

/** The contracts' charge sources, registered in billing's CHARGE_SOURCES. */
export const CONTRACT_CHARGE_SOURCES: readonly ChargeSource[] = [retainerChargeSource, fixedChargeSource];
