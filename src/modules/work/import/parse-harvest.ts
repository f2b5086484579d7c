import { minutesFromHours, optional, parseDate, parseYesNo, required, type FormatReader } from './row.ts';

/**
 * Harvest's time export: Date, Client, Project, Project Code, Task, Notes, Hours (decimal),
 * Billable?, Invoiced?, First Name, Last Name, Roles, Employee?, Billable Rate, Billable Amount,
 * Cost Rate, Cost Amount, Currency, External Reference URL. It names people but gives no e-mail
 * address, so its entries belong to the importing user.
 */
export const harvest: FormatReader = {
  columns: ['Date', 'Project', 'Task', 'Notes', 'Hours', 'Billable?'],
  read: (cells) => ({
    date: parseDate(required(cells, 'Date'), 'Date'),
    projectName: required(cells, 'Project'),
    taskName: optional(cells, 'Task'),
    minutes: minutesFromHours(required(cells, 'Hours'), 'Hours'),
    description: optional(cells, 'Notes') ?? '',
    billable: parseYesNo(required(cells, 'Billable?'), 'Billable?'),
  }),
};
