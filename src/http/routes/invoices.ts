import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationOf } from '../auth.ts';
import {
  createCreditNote, createDraftInvoice, deleteDraftInvoice, getCreditNote, getInvoice, INVOICE_STATUSES, issueInvoice,
  listCreditNotes, listInvoices, MAX_LINES, previewInvoice, updateDraftInvoice, voidInvoice,
} from '../../modules/invoicing/index.ts';
import { CreditNoteResponse, InvoiceResponse } from '../response-schemas.ts';
import { AmountString, Currency, DecimalString, Id, IdParams, IsoDate, listOf, Nullable, Pagination, problemResponses, Text } from '../schemas.ts';
import { creditNoteJson, invoiceJson } from '../serializers.ts';

const Percent = DecimalString('a percentage written like "10" or "12.5"');

export const LineBody = Type.Object(
  {
    itemId: Type.Optional(Id),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    quantity: DecimalString('a quantity written like "1" or "0.25"'),
    unit: Type.Optional(Type.String({ maxLength: 30 })),
    unitPrice: Type.Optional(DecimalString('a price written like "120.00"')),
    discountPercent: Type.Optional(Percent),
    taxRateIds: Type.Optional(Type.Array(Id, { maxItems: 5 })),
    serviceStart: Type.Optional(IsoDate),
    serviceEnd: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);

const InvoiceBody = Type.Object(
  {
    customerId: Id,
    currency: Type.Optional(Currency),
    priceMode: Type.Optional(Type.Union([Type.Literal('exclusive'), Type.Literal('inclusive')])),
    lines: Type.Array(LineBody, { maxItems: MAX_LINES }),
    discountPercent: Type.Optional(Percent),
    purchaseOrder: Type.Optional(Nullable(Text(100))),
    reference: Type.Optional(Nullable(Text(100))),
    notes: Type.Optional(Nullable(Text(5000))),
    terms: Type.Optional(Nullable(Text(5000))),
  },
  { additionalProperties: false },
);

const CreditNoteBody = Type.Object(
  {
    invoiceId: Id,
    lines: Type.Optional(Type.Array(Type.Object(
      {
        invoiceLineId: Type.Optional(Id),
        description: Type.Optional(Type.String({ maxLength: 2000 })),
        quantity: Type.Optional(DecimalString('a quantity written like "1" or "0.25"')),
        unitPrice: Type.Optional(DecimalString('a price written like "120.00"')),
        taxRateIds: Type.Optional(Type.Array(Id, { maxItems: 5 })),
      },
      { additionalProperties: false },
    ), { minItems: 1, maxItems: MAX_LINES })),
    amount: Type.Optional(AmountString),
    reason: Type.Optional(Nullable(Text(1000))),
  },
  { additionalProperties: false },
);

export function invoiceRoutes(app: AppInstance, { pool, clock }: RouteDeps): void {
  app.post('/v1/invoices', {
    schema: { tags: ['invoices'], summary: 'Create a draft invoice', body: InvoiceBody, response: { 201: InvoiceResponse, ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(invoiceJson(await createDraftInvoice(pool, clock, organizationOf(request), request.body))));

  app.post('/v1/invoices/preview', {
    schema: {
      tags: ['invoices'], summary: 'Compute a draft without saving it: the body of POST /v1/invoices, the invoice it would create (id "preview")',
      body: InvoiceBody, response: { 200: InvoiceResponse, ...problemResponses },
    },
  }, async (request) => invoiceJson(await previewInvoice(pool, clock, organizationOf(request), request.body)));

  app.get('/v1/invoices', {
    schema: {
      tags: ['invoices'], summary: 'List invoices, newest first',
      querystring: Type.Intersect([Pagination, Type.Object({
        status: Type.Optional(Type.Enum(INVOICE_STATUSES)),
        customerId: Type.Optional(Id),
        issuedFrom: Type.Optional(IsoDate),
        issuedTo: Type.Optional(IsoDate),
        search: Type.Optional(Type.String({ maxLength: 100 })),
      })]),
      response: { 200: listOf(InvoiceResponse), ...problemResponses },
    },
  }, async (request) => {
    const { limit = 50, ...filter } = request.query;
    const page = await listInvoices(pool, clock, organizationOf(request), { ...filter, limit });
    return { data: page.data.map(invoiceJson), nextCursor: page.nextCursor };
  });

  app.get('/v1/invoices/:id', {
    schema: { tags: ['invoices'], summary: 'An invoice with its lines and what is owed', params: IdParams, response: { 200: InvoiceResponse, ...problemResponses } },
  }, async (request) => invoiceJson(await getInvoice(pool, clock, organizationOf(request), request.params.id)));

  app.put('/v1/invoices/:id', {
    schema: { tags: ['invoices'], summary: 'Replace a draft', params: IdParams, body: InvoiceBody, response: { 200: InvoiceResponse, ...problemResponses } },
  }, async (request) => invoiceJson(await updateDraftInvoice(pool, clock, organizationOf(request), request.params.id, request.body)));

  app.delete('/v1/invoices/:id', {
    schema: { tags: ['invoices'], summary: 'Delete a draft', params: IdParams, response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    await deleteDraftInvoice(pool, clock, organizationOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.post('/v1/invoices/:id/issue', {
    schema: { tags: ['invoices'], summary: 'Issue a draft: number, dates, ledger posting', params: IdParams, response: { 200: InvoiceResponse, ...problemResponses } },
  }, async (request) => invoiceJson(await issueInvoice(pool, clock, organizationOf(request), request.params.id)));

  app.post('/v1/invoices/:id/void', {
    schema: {
      tags: ['invoices'], summary: 'Void an issued invoice that nothing has settled', params: IdParams,
      body: Type.Object({ reason: Type.Optional(Text(1000)) }, { additionalProperties: false }),
      response: { 200: InvoiceResponse, ...problemResponses },
    },
  }, async (request) => invoiceJson(await voidInvoice(pool, clock, organizationOf(request), request.params.id, request.body.reason ?? null)));

  app.post('/v1/credit-notes', {
    schema: { tags: ['invoices'], summary: 'Credit an invoice, by lines or by a gross amount', body: CreditNoteBody, response: { 201: CreditNoteResponse, ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(creditNoteJson(await createCreditNote(pool, clock, organizationOf(request), request.body))));

  app.get('/v1/credit-notes', {
    schema: {
      tags: ['invoices'], summary: 'List credit notes', querystring: Type.Object({ invoiceId: Type.Optional(Id), customerId: Type.Optional(Id) }),
      response: { 200: Type.Object({ data: Type.Array(CreditNoteResponse) }) },
    },
  }, async (request) => ({ data: (await listCreditNotes(pool, organizationOf(request), request.query)).map(creditNoteJson) }));

  app.get('/v1/credit-notes/:id', {
    schema: { tags: ['invoices'], summary: 'A credit note', params: IdParams, response: { 200: CreditNoteResponse, ...problemResponses } },
  }, async (request) => creditNoteJson(await getCreditNote(pool, organizationOf(request), request.params.id)));
}
