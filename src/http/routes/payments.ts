import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationOf } from '../auth.ts';
import { getPayment, listPayments, PAYMENT_METHODS, recordPayment } from '../../modules/payments/index.ts';
import { PaymentResponse } from '../response-schemas.ts';
import { AmountString, Currency, Id, IdParams, IsoDate, listOf, Nullable, Pagination, problemResponses, Text } from '../schemas.ts';
import { paymentJson } from '../serializers.ts';

const PaymentBody = Type.Object(
  {
    customerId: Id,
    amount: AmountString,
    currency: Currency,
    date: IsoDate,
    method: Type.Enum(PAYMENT_METHODS),
    reference: Type.Optional(Nullable(Text(200))),
    notes: Type.Optional(Nullable(Text(2000))),
    allocations: Type.Optional(Type.Array(Type.Object({ invoiceId: Id, amount: AmountString }, { additionalProperties: false }), { maxItems: 500 })),
  },
  { additionalProperties: false },
);

export function paymentRoutes(app: AppInstance, { pool, clock }: RouteDeps): void {
  app.post('/v1/payments', {
    schema: { tags: ['payments'], summary: 'Record a payment and settle invoices with it', body: PaymentBody, response: { 201: PaymentResponse, ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(paymentJson(await recordPayment(pool, clock, organizationOf(request), request.body))));

  app.get('/v1/payments', {
    schema: {
      tags: ['payments'], summary: 'List payments, newest first',
      querystring: Type.Intersect([Pagination, Type.Object({ customerId: Type.Optional(Id) })]),
      response: { 200: listOf(PaymentResponse), ...problemResponses },
    },
  }, async (request) => {
    const page = await listPayments(pool, organizationOf(request), { ...request.query, limit: request.query.limit ?? 50 });
    return { data: page.data.map(paymentJson), nextCursor: page.nextCursor };
  });

  app.get('/v1/payments/:id', {
    schema: { tags: ['payments'], summary: 'A payment and what it settled', params: IdParams, response: { 200: PaymentResponse, ...problemResponses } },
  }, async (request) => paymentJson(await getPayment(pool, organizationOf(request), request.params.id)));
}
