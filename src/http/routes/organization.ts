import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationOf } from '../auth.ts';
import { getOrganization, updateOrganization } from '../../modules/access/index.ts';
import { listNumberSeries, updateNumberSeries, validateNumberPattern } from '../../modules/invoicing/index.ts';
import { isValidTimeZone } from '../../shared/calendar.ts';
import { inTransaction } from '../../shared/db.ts';
import { invalid } from '../../shared/errors.ts';
import { assertCountry } from '../../shared/validation.ts';
import { Address, Nullable, problemResponses, Text } from '../schemas.ts';

const OrganizationResponse = Type.Object({
  id: Type.String(), legalName: Type.String(), taxId: Nullable(Type.String()), address: Nullable(Address), email: Nullable(Type.String()),
  baseCurrency: Type.String(), timeZone: Type.String(), locale: Type.String(), roundingMode: Type.String(), allowNegativeStock: Type.Boolean(),
  createdAt: Type.String(),
});

const SeriesResponse = Type.Object({ id: Type.String(), documentType: Type.String(), pattern: Type.String(), resetYearly: Type.Boolean() });

export function organizationRoutes(app: AppInstance, { pool }: RouteDeps): void {
  app.get('/v1/organization', {
    schema: { tags: ['organization'], summary: 'The organization of the API key', response: { 200: OrganizationResponse } },
  }, async (request) => getOrganization(pool, organizationOf(request)));

  app.patch('/v1/organization', {
    schema: {
      tags: ['organization'], summary: 'Change the organization profile',
      body: Type.Object({
        legalName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        taxId: Type.Optional(Nullable(Text(50))),
        address: Type.Optional(Nullable(Address)),
        email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
        timeZone: Type.Optional(Type.String({ maxLength: 64 })),
        locale: Type.Optional(Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$', description: 'a locale like "en" or "de-DE"' })),
        roundingMode: Type.Optional(Type.Union([Type.Literal('half_up'), Type.Literal('half_even')])),
        allowNegativeStock: Type.Optional(Type.Boolean({ description: 'let issued invoices take stock below zero' })),
      }, { additionalProperties: false }),
      response: { 200: OrganizationResponse, ...problemResponses },
    },
  }, async (request) => {
    const changes = request.body;
    if (changes.timeZone && !isValidTimeZone(changes.timeZone)) throw invalid('timeZone', `is not an IANA time zone (${changes.timeZone})`);
    if (changes.address) assertCountry(changes.address.country, 'address.country');
    return inTransaction(pool, (tx) => updateOrganization(tx, organizationOf(request), changes));
  });

  app.get('/v1/number-series', {
    schema: { tags: ['organization'], summary: 'Number series of invoices and credit notes', response: { 200: Type.Object({ data: Type.Array(SeriesResponse) }) } },
  }, async (request) => ({ data: await listNumberSeries(pool, organizationOf(request)) }));

  app.put('/v1/number-series/:documentType', {
    schema: {
      tags: ['organization'], summary: 'Change the pattern of a number series',
      params: Type.Object({ documentType: Type.Union([Type.Literal('invoice'), Type.Literal('credit_note'), Type.Literal('quote')]) }),
      body: Type.Object({ pattern: Type.String({ maxLength: 60 }), resetYearly: Type.Boolean() }, { additionalProperties: false }),
      response: { 200: Type.Object({ data: Type.Array(SeriesResponse) }), ...problemResponses },
    },
  }, async (request) => {
    const organizationId = organizationOf(request);
    validateNumberPattern(request.body.pattern, 'pattern');
    await inTransaction(pool, (tx) => updateNumberSeries(tx, organizationId, request.params.documentType, request.body.pattern, request.body.resetYearly));
    return { data: await listNumberSeries(pool, organizationId) };
  });
}
