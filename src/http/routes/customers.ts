import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationOf } from '../auth.ts';
import {
  applyCustomerCredit,
} from '../../modules/payments/index.ts';
import {
  archiveCustomer, createCustomer, deleteCustomer, getCustomerWithBalance, listCustomers, updateCustomer,
} from '../../modules/customers/index.ts';
import { formatAmount } from '../../shared/money.ts';
import { CustomerResponse } from '../response-schemas.ts';
import { Address, Currency, Id, IdParams, listOf, Nullable, Pagination, problemResponses, Text } from '../schemas.ts';
import { customerJson } from '../serializers.ts';

const customerFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  legalName: Type.Optional(Nullable(Text(200))),
  email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
  taxId: Type.Optional(Nullable(Text(50))),
  legalId: Type.Optional(Nullable(Text(50))),
  address: Type.Optional(Nullable(Address)),
  currency: Currency,
  paymentTermsType: Type.Optional(Type.Union([Type.Literal('net'), Type.Literal('end_of_month')])),
  paymentTermsDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  language: Type.Optional(Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$', description: 'a language tag like "en" or "de-AT"' })),
  taxTreatment: Type.Optional(Type.Union([Type.Literal('standard'), Type.Literal('reverse_charge'), Type.Literal('exempt')])),
  invoiceGrouping: Type.Optional(Type.Enum(['combined', 'per_contract'] as const, {
    description: 'how the billing run groups what is due: one invoice per currency (combined, the default) or one per contract',
  })),
  notes: Type.Optional(Nullable(Text(5000))),
  contacts: Type.Optional(Type.Array(
    Type.Object({ name: Type.Optional(Nullable(Text(200))), email: Type.String({ maxLength: 254 }), receivesInvoices: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
    { maxItems: 50 },
  )),
};

const CustomerBody = Type.Object(customerFields, { additionalProperties: false });
const CustomerPatch = Type.Partial(CustomerBody, { additionalProperties: false });

export function customerRoutes(app: AppInstance, { pool, clock }: RouteDeps): void {
  app.post('/v1/customers', {
    schema: { tags: ['customers'], summary: 'Create a customer', body: CustomerBody, response: { 201: CustomerResponse, ...problemResponses } },
  }, async (request, reply) => {
    const customer = await createCustomer(pool, organizationOf(request), request.body);
    return reply.status(201).send(customerJson(await getCustomerWithBalance(pool, organizationOf(request), customer.id)));
  });

  app.get('/v1/customers', {
    schema: {
      tags: ['customers'], summary: 'List customers alphabetically, with search',
      querystring: Type.Intersect([Pagination, Type.Object({ search: Type.Optional(Type.String({ maxLength: 200 })), includeArchived: Type.Optional(Type.Boolean()) })]),
      response: { 200: listOf(CustomerResponse), ...problemResponses },
    },
  }, async (request) => {
    const { search, includeArchived, cursor, limit = 50 } = request.query;
    const page = await listCustomers(pool, organizationOf(request), { search, includeArchived, cursor, limit });
    return { data: page.data.map(customerJson), nextCursor: page.nextCursor };
  });

  app.get('/v1/customers/:id', {
    schema: { tags: ['customers'], summary: 'A customer with balance and credit', params: IdParams, response: { 200: CustomerResponse, ...problemResponses } },
  }, async (request) => customerJson(await getCustomerWithBalance(pool, organizationOf(request), request.params.id)));

  app.patch('/v1/customers/:id', {
    schema: { tags: ['customers'], summary: 'Change a customer', params: IdParams, body: CustomerPatch, response: { 200: CustomerResponse, ...problemResponses } },
  }, async (request) => {
    await updateCustomer(pool, organizationOf(request), request.params.id, request.body);
    return customerJson(await getCustomerWithBalance(pool, organizationOf(request), request.params.id));
  });

  for (const [action, archived] of [['archive', true], ['unarchive', false]] as const) {
    app.post(`/v1/customers/:id/${action}`, {
      schema: { tags: ['customers'], summary: `${archived ? 'Archive' : 'Restore'} a customer`, params: IdParams, response: { 200: CustomerResponse, ...problemResponses } },
    }, async (request) => customerJson(await archiveCustomer(pool, organizationOf(request), request.params.id, archived)));
  }

  app.delete('/v1/customers/:id', {
    schema: { tags: ['customers'], summary: 'Delete a customer that has no documents', params: IdParams, response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    await deleteCustomer(pool, organizationOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.post('/v1/customers/:id/apply-credit', {
    schema: {
      tags: ['customers'], summary: "Settle open invoices with the customer's credit", params: IdParams,
      body: Type.Object({ currency: Type.Optional(Currency), invoiceId: Type.Optional(Id) }, { additionalProperties: false }),
      response: { 200: Type.Object({ currency: Type.String(), applied: Type.String(), remainingCredit: Type.String(), invoices: Type.Array(Type.Object({ invoiceId: Type.String(), invoiceNumber: Type.String(), amount: Type.String() })) }), ...problemResponses },
    },
  }, async (request) => {
    const result = await applyCustomerCredit(pool, clock, organizationOf(request), request.params.id, request.body);
    const c = result.currency;
    return {
      currency: c, applied: formatAmount(result.appliedMinor, c), remainingCredit: formatAmount(result.remainingCreditMinor, c),
      invoices: result.invoices.map((i) => ({ invoiceId: i.invoiceId, invoiceNumber: i.invoiceNumber, amount: formatAmount(i.amountMinor, c) })),
    };
  });
}
