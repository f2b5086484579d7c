import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationOf } from '../auth.ts';
import { completeMilestone, getSchedule, MAX_SCHEDULE_ENTRIES, setSchedule } from '../../modules/contracts/index.ts';
import { AmountString, Currency, Id, IsoDate, Nullable, problemResponses } from '../schemas.ts';

const EntryBody = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 500 }),
    amount: AmountString,
    dueDate: Type.Optional(IsoDate),
    milestone: Type.Optional(Type.Boolean({ description: 'billed once completed (POST .../complete) instead of on a date' })),
    deposit: Type.Optional(Type.Boolean({ description: 'billed on its dueDate and deducted from the later invoices of the project' })),
  },
  { additionalProperties: false },
);

const EntryRecord = Type.Object({
  id: Type.String(), position: Type.Integer(), description: Type.String(), amount: Type.String(),
  kind: Type.Union([Type.Literal('date'), Type.Literal('milestone'), Type.Literal('deposit')]),
  dueDate: Nullable(Type.String()), completedOn: Nullable(Type.String()), billed: Type.Boolean(), invoiceId: Nullable(Type.String()), invoiceNumber: Nullable(Type.String()),
  deducted: Nullable(Type.String({ description: 'deposits: how much of it later invoices have deducted (only what is paid is deducted)' })),
});
const ScheduleRecord = Type.Object({ projectId: Type.String(), currency: Currency, amount: Type.String(), entries: Type.Array(EntryRecord) });
const ProjectParams = Type.Object({ id: Id });

export function contractRoutes(app: AppInstance, { pool, clock }: RouteDeps): void {
  app.get('/v1/projects/:id/schedule', {
    schema: { tags: ['contracts'], summary: "A fixed-price project's schedule", params: ProjectParams, response: { 200: ScheduleRecord, ...problemResponses } },
  }, async (request) => getSchedule(pool, organizationOf(request), request.params.id));

  app.post('/v1/projects/:id/schedule', {
    schema: {
      tags: ['contracts'],
      summary: 'Set the schedule of a fixed-price project: dated entries and milestones sum to its amount exactly; deposits come on top; what is paid of them is deducted from later invoices',
      params: ProjectParams,
      body: Type.Object({ entries: Type.Array(EntryBody, { minItems: 1, maxItems: MAX_SCHEDULE_ENTRIES }) }, { additionalProperties: false }),
      response: { 201: ScheduleRecord, ...problemResponses },
    },
  }, async (request, reply) => reply.status(201).send(await setSchedule(pool, organizationOf(request), request.params.id, request.body)));

  app.post('/v1/projects/:id/schedule/:entryId/complete', {
    schema: {
      tags: ['contracts'], summary: 'Mark a milestone completed (today, or the date given); the next billing run bills it',
      params: Type.Object({ id: Id, entryId: Id }),
      body: Type.Optional(Type.Object({ date: Type.Optional(IsoDate) }, { additionalProperties: false })),
      response: { 200: ScheduleRecord, ...problemResponses },
    },
  }, async (request) => completeMilestone(pool, clock, organizationOf(request), request.params.id, request.params.entryId, request.body ?? {}));
}
