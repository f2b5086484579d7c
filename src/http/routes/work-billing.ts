import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationOf, principalOf } from '../auth.ts';
import {
  createExpense, createInvoiceFromUnbilled, deleteExpense, getExpense, getReceipt, GROUP_BY, listExpenses, listUnbilledWork,
  MAX_RECEIPT_BYTES, RECEIPT_TYPES, updateExpense,
} from '../../modules/work/index.ts';
import { InvoiceResponse } from '../response-schemas.ts';
import { AmountString, Currency, DecimalString, Id, IdParams, IsoDate, listOf, Nullable, Pagination, problemResponses, Text } from '../schemas.ts';
import { invoiceJson } from '../serializers.ts';
import { ExpenseResponse, expenseJson, UnbilledResponse, unbilledJson } from './work-json.ts';

/** A receipt travels as base64 inside the JSON body; these routes take bodies up to 8 MiB for it. */
const RECEIPT_BODY_LIMIT = 8 * 1024 * 1024;

const Receipt = Type.Object(
  {
    filename: Type.String({ minLength: 1, maxLength: 255 }),
    contentType: Type.String({ enum: [...RECEIPT_TYPES] }),
    data: Type.String({ maxLength: Math.ceil(MAX_RECEIPT_BYTES / 3) * 4, description: 'the file in base64, at most 5 MiB decoded' }),
  },
  { additionalProperties: false },
);

const expenseFields = {
  projectId: Id,
  date: IsoDate,
  amount: AmountString,
  currency: Type.Optional(Currency),
  category: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.Optional(Text(2000)),
  billable: Type.Optional(Type.Boolean()),
  markupPercent: Type.Optional(DecimalString('a percentage written like "10" or "12.5"')),
  receipt: Type.Optional(Nullable(Receipt)),
};
const ExpenseBody = Type.Object({ ...expenseFields, userId: Type.Optional(Id) }, { additionalProperties: false });
const ExpensePatch = Type.Partial(Type.Object(expenseFields), { additionalProperties: false });

const GroupBy = Type.Enum(GROUP_BY, { description: 'one time line per task (default), per project, or for the whole customer; always per rate' });

const FromUnbilledBody = Type.Object(
  {
    customerId: Id,
    projectIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 200 })),
    upTo: Type.Optional(IsoDate),
    groupBy: Type.Optional(GroupBy),
    taxRateIds: Type.Optional(Type.Array(Id, { maxItems: 5, description: "tax rates for every line (default: each project's own)" })),
    allowOverLimit: Type.Optional(Type.Boolean({ description: 'bill even what takes a project past its not-to-exceed amount' })),
  },
  { additionalProperties: false },
);

export function workBillingRoutes(app: AppInstance, { pool, clock }: RouteDeps): void {
  app.post('/v1/expenses', {
    bodyLimit: RECEIPT_BODY_LIMIT,
    schema: { tags: ['work'], summary: 'Record an expense, with its receipt in base64', body: ExpenseBody, response: { 201: ExpenseResponse, ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(expenseJson(await createExpense(pool, organizationOf(request), principalOf(request).userId, request.body))));

  app.get('/v1/expenses', {
    schema: {
      tags: ['work'], summary: 'List expenses, newest date first',
      querystring: Type.Intersect([Pagination, Type.Object({
        userId: Type.Optional(Id), projectId: Type.Optional(Id), customerId: Type.Optional(Id), from: Type.Optional(IsoDate), to: Type.Optional(IsoDate),
        billed: Type.Optional(Type.Boolean()),
      })]),
      response: { 200: listOf(ExpenseResponse), ...problemResponses },
    },
  }, async (request) => {
    const { limit = 50, ...filter } = request.query;
    const page = await listExpenses(pool, organizationOf(request), { ...filter, limit });
    return { data: page.data.map(expenseJson), nextCursor: page.nextCursor };
  });

  app.get('/v1/expenses/:id', {
    schema: { tags: ['work'], summary: 'An expense', params: IdParams, response: { 200: ExpenseResponse, ...problemResponses } },
  }, async (request) => expenseJson(await getExpense(pool, organizationOf(request), request.params.id)));

  app.patch('/v1/expenses/:id', {
    bodyLimit: RECEIPT_BODY_LIMIT,
    schema: {
      tags: ['work'], summary: 'Change an unbilled expense (receipt: null removes the receipt)', params: IdParams, body: ExpensePatch,
      response: { 200: ExpenseResponse, ...problemResponses },
    },
  }, async (request) => expenseJson(await updateExpense(pool, organizationOf(request), request.params.id, request.body)));

  app.delete('/v1/expenses/:id', {
    schema: { tags: ['work'], summary: 'Delete an unbilled expense', params: IdParams, response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    await deleteExpense(pool, organizationOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.get('/v1/expenses/:id/receipt', {
    schema: { tags: ['work'], summary: 'The receipt file, as uploaded (404 receipt_not_found when it has none)', params: IdParams },
  }, async (request, reply) => {
    const receipt = await getReceipt(pool, organizationOf(request), request.params.id);
    // Only picture and PDF types are accepted; still, nothing in the file may run as this site.
    return reply
      .type(receipt.contentType)
      .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(receipt.filename)}`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-cache')
      .send(receipt.data);
  });

  app.get('/v1/unbilled', {
    schema: {
      tags: ['work'], summary: 'Unbilled work per customer and project, priced as it would be invoiced',
      querystring: Type.Object({
        customerId: Type.Optional(Id), projectIds: Type.Optional(Type.Array(Id, { maxItems: 200 })), upTo: Type.Optional(IsoDate), groupBy: Type.Optional(GroupBy),
      }),
      response: { 200: UnbilledResponse, ...problemResponses },
    },
  }, async (request) => ({ data: (await listUnbilledWork(pool, organizationOf(request), request.query)).map(unbilledJson) }));

  app.post('/v1/invoices/from-unbilled', {
    schema: {
      tags: ['invoices'], summary: "A draft invoice from a customer's unbilled time and expenses; each is linked to the line that bills it",
      body: FromUnbilledBody, response: { 201: InvoiceResponse, ...problemResponses },
    },
  }, async (request, reply) => reply.status(201).send(invoiceJson(await createInvoiceFromUnbilled(pool, clock, organizationOf(request), request.body))));
}
