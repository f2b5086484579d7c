import { CellError, minutesFromHours, minutesFromText, optional, parseDate, parseEmail, parseYesNo, required, type FormatReader } from './row.ts';

/**
 * Our own plain layout: date (ISO), project, task?, user email? (or email; `_` reads as a space), minutes or hours (decimal),
 * description?, billable? (yes/no, true/false; empty: the task's default).
 */
export const plain: FormatReader = {
  columns: ['date', 'project', ['minutes', 'hours']],
  read(cells) {
    const minutesText = optional(cells, 'minutes');
    const hoursText = optional(cells, 'hours');
    if (minutesText !== undefined && hoursText !== undefined) throw new CellError('minutes', 'give minutes or hours, not both');
    const billable = optional(cells, 'billable');
    return {
      date: parseDate(required(cells, 'date'), 'date'),
      projectName: required(cells, 'project'),
      taskName: optional(cells, 'task'),
      userEmail: parseEmail(optional(cells, 'user email') ?? optional(cells, 'email'), cells.has('user email') ? 'user email' : 'email'),
      minutes: hoursText !== undefined ? minutesFromHours(hoursText, 'hours') : minutesFromText(required(cells, 'minutes'), 'minutes'),
      description: optional(cells, 'description') ?? '',
      ...(billable === undefined ? {} : { billable: parseYesNo(billable, 'billable') }),
    };
  },
};
