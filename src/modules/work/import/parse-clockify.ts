import { minutesFromClock, minutesFromHours, optional, parseDate, parseEmail, parseYesNo, required, type FormatReader } from './row.ts';

/**
 * Clockify's detailed report: Project, Client, Description, Task, User, Email, Tags, Billable,
 * Start Date, Start Time, End Date, End Time, Duration (h) as HH:MM:SS, Duration (decimal),
 * Billable Rate, Billable Amount. Dates are ISO or, by default, US (MM/DD/YYYY).
 */
export const clockify: FormatReader = {
  columns: ['Project', 'Description', 'Email', 'Billable', 'Start Date', ['Duration (h)', 'Duration (decimal)']],
  read: (cells) => ({
    date: parseDate(required(cells, 'Start Date'), 'Start Date', { us: true }),
    projectName: required(cells, 'Project'),
    taskName: optional(cells, 'Task'),
    userEmail: parseEmail(optional(cells, 'Email'), 'Email'),
    minutes: optional(cells, 'Duration (h)') !== undefined
      ? minutesFromClock(required(cells, 'Duration (h)'), 'Duration (h)')
      : minutesFromHours(required(cells, 'Duration (decimal)'), 'Duration (decimal)'),
    description: optional(cells, 'Description') ?? '',
    billable: parseYesNo(required(cells, 'Billable'), 'Billable'),
  }),
};
