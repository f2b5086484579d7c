import { minutesFromClock, optional, parseDate, parseEmail, parseYesNo, required, type FormatReader } from './row.ts';

/**
 * Toggl Track's detailed report: User, Email, Client, Project, Task, Description, Billable,
 * Start date, Start time, End date, End time, Duration (HH:MM:SS), Tags, Amount (…).
 * Dates are ISO, times 24-hour; an entry is dated by its start.
 */
export const toggl: FormatReader = {
  columns: ['Email', 'Project', 'Description', 'Billable', 'Start date', 'Duration'],
  read: (cells) => ({
    date: parseDate(required(cells, 'Start date'), 'Start date'),
    projectName: required(cells, 'Project'),
    taskName: optional(cells, 'Task'),
    userEmail: parseEmail(optional(cells, 'Email'), 'Email'),
    minutes: minutesFromClock(required(cells, 'Duration'), 'Duration'),
    description: optional(cells, 'Description') ?? '',
    billable: parseYesNo(required(cells, 'Billable'), 'Billable'),
  }),
};
