import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationOf } from '../auth.ts';
import { adjustStock, archiveTaxRate, createItem, createTaxRate, listItems, listLowStock, listStockMovements, listTaxRates, TAX_CATEGORIES, updateItem } from '../../modules/catalog/index.ts';
import { ItemResponse, TaxRateResponse } from '../response-schemas.ts';
import { DecimalString, Id, IdParams, Nullable, problemResponses, Text } from '../schemas.ts';

const TaxRateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    percentage: DecimalString('a percentage written like "19" or "9.975"'),
    category: Type.Enum(TAX_CATEGORIES, { description: 'EN 16931 VAT category code' }),
    exemptionReason: Type.Optional(Nullable(Text(300))),
    compound: Type.Optional(Type.Boolean({ description: 'applies to the line amount plus the taxes before it' })),
  },
  { additionalProperties: false },
);

const ItemBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Nullable(Text(2000))),
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    unitPrice: Type.Optional(DecimalString()),
    taxRateIds: Type.Optional(Type.Array(Id, { maxItems: 5 })),
    trackStock: Type.Optional(Type.Boolean({ description: 'count quantity on hand: issued invoices take stock, credit notes and voids return it' })),
    lowStockThreshold: Type.Optional(Nullable(DecimalString('a quantity written like "5"'))),
  },
  { additionalProperties: false },
);

export function catalogRoutes(app: AppInstance, { pool }: RouteDeps): void {
  app.post('/v1/tax-rates', {
    schema: { tags: ['catalog'], summary: 'Create a tax rate', body: TaxRateBody, response: { 201: TaxRateResponse, ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(await createTaxRate(pool, organizationOf(request), request.body)));

  app.get('/v1/tax-rates', {
    schema: {
      tags: ['catalog'], summary: 'List tax rates', querystring: Type.Object({ includeArchived: Type.Optional(Type.Boolean()) }),
      response: { 200: Type.Object({ data: Type.Array(TaxRateResponse) }) },
    },
  }, async (request) => ({ data: await listTaxRates(pool, organizationOf(request), request.query.includeArchived) }));

  app.post('/v1/tax-rates/:id/archive', {
    schema: { tags: ['catalog'], summary: 'Archive a tax rate (documents keep their copy)', params: IdParams, response: { 200: TaxRateResponse, ...problemResponses } },
  }, async (request) => archiveTaxRate(pool, organizationOf(request), request.params.id));

  app.post('/v1/items', {
    schema: { tags: ['catalog'], summary: 'Create an item or service', body: ItemBody, response: { 201: ItemResponse, ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(await createItem(pool, organizationOf(request), request.body)));

  app.get('/v1/items', {
    schema: {
      tags: ['catalog'], summary: 'List items', querystring: Type.Object({ search: Type.Optional(Type.String({ maxLength: 200 })) }),
      response: { 200: Type.Object({ data: Type.Array(ItemResponse) }) },
    },
  }, async (request) => ({ data: await listItems(pool, organizationOf(request), request.query.search) }));

  app.post('/v1/items/:id/stock-adjustments', {
    schema: {
      tags: ['catalog'], summary: 'Correct the stock of an item (a delivery is positive, a loss negative)', params: IdParams,
      body: Type.Object({ quantity: DecimalString('a quantity written like "10" or "-2"'), note: Type.Optional(Nullable(Text(500))) }, { additionalProperties: false }),
      response: { 200: ItemResponse, ...problemResponses },
    },
  }, async (request) => adjustStock(pool, organizationOf(request), request.params.id, request.body));

  app.get('/v1/items/:id/stock-movements', {
    schema: {
      tags: ['catalog'], summary: "An item's stock movements, newest first: issues, voids, credit notes and adjustments", params: IdParams,
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          data: Type.Array(Type.Object({
            id: Type.String(), quantityChange: Type.String({ description: 'signed decimal: positive adds to stock' }),
            reason: Type.Enum(['invoice_issued', 'invoice_voided', 'credit_note', 'adjustment'] as const),
            sourceId: Nullable(Type.String({ description: 'the invoice or credit note that moved it' })), note: Nullable(Type.String()), createdAt: Type.String(),
          })),
        }),
        ...problemResponses,
      },
    },
  }, async (request) => ({ data: await listStockMovements(pool, organizationOf(request), request.params.id, request.query.limit ?? 100) }));

  app.get('/v1/items/low-stock', {
    schema: {
      tags: ['catalog'], summary: 'Tracked items at or below their low-stock threshold',
      response: { 200: Type.Object({ data: Type.Array(Type.Object({ itemId: Type.String(), name: Type.String(), unit: Type.String(), quantityOnHand: Type.String(), lowStockThreshold: Nullable(Type.String()) })) }) },
    },
  }, async (request) => ({ data: await listLowStock(pool, organizationOf(request)) }));

  app.patch('/v1/items/:id', {
    schema: { tags: ['catalog'], summary: 'Change an item', params: IdParams, body: Type.Partial(ItemBody, { additionalProperties: false }), response: { 200: ItemResponse, ...problemResponses } },
  }, async (request) => updateItem(pool, organizationOf(request), request.params.id, request.body));
}
