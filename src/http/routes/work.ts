import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationOf, principalOf } from '../auth.ts';
import {
  APPROVAL_STATES, BILLING_MODELS, createProject, createTask, createTimeEntry, decideWeek, deleteRateRule, deleteTimeEntry, discardTimer,
  getProject, getTimeEntry, getTimer, listApprovalDecisions, listPendingWeeks, listProjects, listRateRules, listTasks, listTimeEntries,
  MAX_MINUTES, RETAINER_INTERVALS, ROLLOVER_MODES, ROUNDING_INCREMENTS, setRateRule, startTimer, stopTimer, switchTimer, updateProject,
  updateTask, updateTimeEntry, weekView,
} from '../../modules/work/index.ts';
import { AmountString, Currency, DecimalString, Id, IdParams, IsoDate, listOf, Nullable, Pagination, problemResponses, Text } from '../schemas.ts';
import {
  DecisionResponse, PendingWeekResponse, ProjectResponse, RateRuleResponse, rateRuleJson, TaskResponse, TimeEntryResponse, timeEntryJson,
  TimerResponse, WeekResponse,
} from './work-json.ts';
import { workBillingRoutes } from './work-billing.ts';

const Rate = DecimalString('an hourly rate written like "120.00"');
const Hours = DecimalString('hours written like "20" or "7.5"');
const Instant = Type.String({ format: 'date-time', description: 'an instant written like "2026-03-02T09:00:00Z"' });

const Billing = Type.Object(
  {
    model: Type.Enum(BILLING_MODELS),
    rate: Type.Optional(Nullable(Rate)),
    notToExceed: Type.Optional(Nullable(DecimalString('hourly: a cap on what the project bills in all, like "20000.00"'))),
    amount: Type.Optional(AmountString),
    fee: Type.Optional(AmountString),
    interval: Type.Optional(Type.Enum(RETAINER_INTERVALS)),
    includedHours: Type.Optional(Hours),
    overageRate: Type.Optional(Nullable(Rate)),
    rollover: Type.Optional(Type.Enum(ROLLOVER_MODES)),
    rolloverMaxHours: Type.Optional(Nullable(Hours)),
    startDate: Type.Optional(IsoDate),
    includeUnbilledWork: Type.Optional(Type.Boolean({ description: "retainer: each period's invoice also bills the customer's approved unbilled hourly work and expenses" })),
  },
  {
    additionalProperties: false,
    description: 'hourly: {model, rate?, notToExceed?}; fixed: {model, amount}; retainer: {model, fee, interval, includedHours, overageRate?, rollover?, rolloverMaxHours? (capped), startDate?, includeUnbilledWork?}',
  },
);

const projectFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  code: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  billing: Billing,
  budget: Type.Optional(Nullable(Type.Object({ hours: Type.Optional(Hours), amount: Type.Optional(AmountString) }, { additionalProperties: false }))),
  roundingMinutes: Type.Optional(Type.Integer({ enum: [...ROUNDING_INCREMENTS], description: 'each entry is rounded up to this many minutes when billed' })),
  requiresApproval: Type.Optional(Type.Boolean()),
  taxRateIds: Type.Optional(Type.Array(Id, { maxItems: 5, description: 'tax rates of every line the project bills: time, expenses, retainer fees and overage, schedule entries' })),
};
const ProjectBody = Type.Object({ customerId: Id, ...projectFields }, { additionalProperties: false });
const ProjectPatch = Type.Partial(
  Type.Object({ ...projectFields, status: Type.Union([Type.Literal('active'), Type.Literal('archived')]) }),
  { additionalProperties: false },
);

const TaskBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), rate: Type.Optional(Nullable(Rate)), billable: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const TaskPatch = Type.Partial(Type.Object({ ...TaskBody.properties, archived: Type.Boolean() }), { additionalProperties: false });

const RateRuleBody = Type.Object(
  { userId: Type.Optional(Id), projectId: Type.Optional(Id), taskId: Type.Optional(Id), rate: Rate, currency: Type.Optional(Currency) },
  { additionalProperties: false, description: 'no ids: the organization default; userId and/or projectId; or taskId alone' },
);

const entryFields = {
  projectId: Id,
  taskId: Type.Optional(Nullable(Id)),
  date: Type.Optional(IsoDate),
  minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_MINUTES })),
  start: Type.Optional(Instant),
  end: Type.Optional(Instant),
  description: Type.Optional(Text(2000)),
  billable: Type.Optional(Type.Boolean()),
};
const TimeEntryBody = Type.Object(
  { ...entryFields, userId: Type.Optional(Id) },
  { additionalProperties: false, description: 'minutes on a date, or start and end; userId defaults to the user of the request' },
);
const TimeEntryPatch = Type.Partial(Type.Object(entryFields), { additionalProperties: false });

const TimerBody = Type.Object(
  { projectId: Id, taskId: Type.Optional(Nullable(Id)), description: Type.Optional(Text(2000)), billable: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

const DecisionBody = Type.Object(
  {
    userId: Id, weekStart: IsoDate, decision: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
    comment: Type.Optional(Nullable(Text(2000))),
  },
  { additionalProperties: false },
);

const NoContent = { 204: Type.Null(), ...problemResponses };

export function workRoutes(app: AppInstance, deps: RouteDeps): void {
  const { pool, clock } = deps;
  const userOf = (request: Parameters<typeof principalOf>[0]) => principalOf(request).userId;

  // Projects and tasks ---------------------------------------------------------------------------

  app.post('/v1/projects', {
    schema: { tags: ['work'], summary: 'Create a project of a customer, with its billing model', body: ProjectBody, response: { 201: ProjectResponse, ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(await createProject(pool, clock, organizationOf(request), request.body)));

  app.get('/v1/projects', {
    schema: {
      tags: ['work'], summary: 'List projects alphabetically',
      querystring: Type.Intersect([Pagination, Type.Object({
        customerId: Type.Optional(Id), status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('archived')])),
        search: Type.Optional(Type.String({ maxLength: 200 })),
      })]),
      response: { 200: listOf(ProjectResponse), ...problemResponses },
    },
  }, async (request) => {
    const { limit = 50, ...filter } = request.query;
    return listProjects(pool, organizationOf(request), { ...filter, limit });
  });

  app.get('/v1/projects/:id', {
    schema: { tags: ['work'], summary: 'A project', params: IdParams, response: { 200: ProjectResponse, ...problemResponses } },
  }, async (request) => getProject(pool, organizationOf(request), request.params.id));

  app.patch('/v1/projects/:id', {
    schema: { tags: ['work'], summary: 'Change a project (billing, when given, is replaced whole)', params: IdParams, body: ProjectPatch, response: { 200: ProjectResponse, ...problemResponses } },
  }, async (request) => updateProject(pool, clock, organizationOf(request), request.params.id, request.body));

  app.post('/v1/projects/:id/tasks', {
    schema: { tags: ['work'], summary: 'Add a task to a project', params: IdParams, body: TaskBody, response: { 201: TaskResponse, ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(await createTask(pool, organizationOf(request), request.params.id, request.body)));

  app.get('/v1/projects/:id/tasks', {
    schema: { tags: ['work'], summary: "A project's tasks", params: IdParams, response: { 200: Type.Object({ data: Type.Array(TaskResponse) }), ...problemResponses } },
  }, async (request) => ({ data: await listTasks(pool, organizationOf(request), request.params.id) }));

  app.patch('/v1/tasks/:id', {
    schema: { tags: ['work'], summary: 'Change or archive a task', params: IdParams, body: TaskPatch, response: { 200: TaskResponse, ...problemResponses } },
  }, async (request) => updateTask(pool, organizationOf(request), request.params.id, request.body));

  // Rate rules -------------------------------------------------------------------------------------

  app.post('/v1/rate-rules', {
    schema: {
      tags: ['work'], summary: 'Set the hourly rate of a scope (replaces the rate set there): task > user on project > project > user > organization',
      body: RateRuleBody, response: { 201: RateRuleResponse, ...problemResponses },
    },
  }, async (request, reply) => reply.status(201).send(rateRuleJson(await setRateRule(pool, organizationOf(request), request.body))));

  app.get('/v1/rate-rules', {
    schema: {
      tags: ['work'], summary: 'List rate rules', querystring: Type.Object({ userId: Type.Optional(Id), projectId: Type.Optional(Id) }),
      response: { 200: Type.Object({ data: Type.Array(RateRuleResponse) }), ...problemResponses },
    },
  }, async (request) => ({ data: (await listRateRules(pool, organizationOf(request), request.query)).map(rateRuleJson) }));

  app.delete('/v1/rate-rules/:id', {
    schema: { tags: ['work'], summary: 'Remove a rate rule', params: IdParams, response: NoContent },
  }, async (request, reply) => {
    await deleteRateRule(pool, organizationOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  // Time entries -----------------------------------------------------------------------------------

  app.post('/v1/time-entries', {
    schema: { tags: ['work'], summary: 'Record time: minutes on a date, or start and end', body: TimeEntryBody, response: { 201: TimeEntryResponse, ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(timeEntryJson(await createTimeEntry(pool, organizationOf(request), userOf(request), request.body))));

  app.get('/v1/time-entries', {
    schema: {
      tags: ['work'], summary: 'List time entries, newest date first',
      querystring: Type.Intersect([Pagination, Type.Object({
        userId: Type.Optional(Id), projectId: Type.Optional(Id), customerId: Type.Optional(Id), from: Type.Optional(IsoDate), to: Type.Optional(IsoDate),
        approvalState: Type.Optional(Type.Enum(APPROVAL_STATES)), billed: Type.Optional(Type.Boolean()),
      })]),
      response: { 200: listOf(TimeEntryResponse), ...problemResponses },
    },
  }, async (request) => {
    const { limit = 50, ...filter } = request.query;
    const page = await listTimeEntries(pool, organizationOf(request), { ...filter, limit });
    return { data: page.data.map(timeEntryJson), nextCursor: page.nextCursor };
  });

  app.get('/v1/time-entries/week', {
    schema: {
      tags: ['work'], summary: "A person's week, Monday to Sunday: minutes per project and task per day",
      querystring: Type.Object({ userId: Type.Optional(Id), date: Type.Optional(IsoDate) }, { description: 'userId defaults to you; date to today' }),
      response: { 200: WeekResponse, ...problemResponses },
    },
  }, async (request) => weekView(pool, clock, organizationOf(request), userOf(request), request.query));

  app.get('/v1/time-entries/:id', {
    schema: { tags: ['work'], summary: 'A time entry', params: IdParams, response: { 200: TimeEntryResponse, ...problemResponses } },
  }, async (request) => timeEntryJson(await getTimeEntry(pool, organizationOf(request), request.params.id)));

  app.patch('/v1/time-entries/:id', {
    schema: { tags: ['work'], summary: 'Change a time entry that is neither approved nor billed', params: IdParams, body: TimeEntryPatch, response: { 200: TimeEntryResponse, ...problemResponses } },
  }, async (request) => timeEntryJson(await updateTimeEntry(pool, organizationOf(request), request.params.id, request.body)));

  app.delete('/v1/time-entries/:id', {
    schema: { tags: ['work'], summary: 'Delete a time entry that is neither approved nor billed', params: IdParams, response: NoContent },
  }, async (request, reply) => {
    await deleteTimeEntry(pool, organizationOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  // The running timer (the request's user's own) --------------------------------------------------

  app.get('/v1/timer', {
    schema: { tags: ['work'], summary: 'Your running timer, or null', response: { 200: Type.Object({ timer: Nullable(TimerResponse) }), ...problemResponses } },
  }, async (request) => ({ timer: await getTimer(pool, organizationOf(request), userOf(request)) }));

  app.post('/v1/timer/start', {
    schema: { tags: ['work'], summary: 'Start your timer (409 when one is running)', body: TimerBody, response: { 201: TimerResponse, ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(await startTimer(pool, clock, organizationOf(request), userOf(request), request.body)));

  app.post('/v1/timer/stop', {
    schema: { tags: ['work'], summary: 'Stop your timer: it becomes a time entry', response: { 200: TimeEntryResponse, ...problemResponses } },
  }, async (request) => timeEntryJson(await stopTimer(pool, clock, organizationOf(request), userOf(request))));

  app.post('/v1/timer/switch', {
    schema: {
      tags: ['work'], summary: 'Stop your running timer (if any) and start another', body: TimerBody,
      response: { 201: Type.Object({ stopped: Nullable(TimeEntryResponse), timer: TimerResponse }), ...problemResponses },
    },
  }, async (request, reply) => {
    const { stopped, timer } = await switchTimer(pool, clock, organizationOf(request), userOf(request), request.body);
    return reply.status(201).send({ stopped: stopped && timeEntryJson(stopped), timer });
  });

  app.delete('/v1/timer', {
    schema: { tags: ['work'], summary: 'Discard your running timer without recording time', response: NoContent },
  }, async (request, reply) => {
    await discardTimer(pool, organizationOf(request), userOf(request));
    return reply.status(204).send(null);
  });

  // Approvals --------------------------------------------------------------------------------------

  app.get('/v1/approvals/pending', {
    schema: {
      tags: ['work'], summary: 'Weeks with time awaiting approval, per person', querystring: Type.Object({ userId: Type.Optional(Id) }),
      response: { 200: Type.Object({ data: Type.Array(PendingWeekResponse) }), ...problemResponses },
    },
  }, async (request) => ({ data: await listPendingWeeks(pool, organizationOf(request), request.query) }));

  app.post('/v1/approvals', {
    schema: {
      tags: ['work'], summary: "Approve (locks) or reject (with a comment) a person's pending time of a week", body: DecisionBody,
      response: { 201: DecisionResponse, ...problemResponses, 403: problemResponses[401] },
    },
  }, async (request, reply) => reply.status(201).send(await decideWeek(pool, clock, organizationOf(request), userOf(request), request.body)));

  app.get('/v1/approvals', {
    schema: {
      tags: ['work'], summary: 'Approval decisions, newest first', querystring: Type.Object({ userId: Type.Optional(Id), weekStart: Type.Optional(IsoDate) }),
      response: { 200: Type.Object({ data: Type.Array(DecisionResponse) }), ...problemResponses },
    },
  }, async (request) => ({ data: await listApprovalDecisions(pool, organizationOf(request), request.query) }));

  workBillingRoutes(app, deps);
}
