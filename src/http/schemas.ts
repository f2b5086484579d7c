import { Type, type TSchema } from 'typebox';

// Shapes only: the modules check the rules (scales, currencies, states). Descriptions double as
// error messages for pattern failures, so keep them in the form "a ... like ...".
export const DecimalString = (description = 'a decimal number written like "12.50"') =>
  Type.String({ pattern: '^-?[0-9]+(\\.[0-9]+)?$', maxLength: 40, description });
export const AmountString = DecimalString('an amount written like "1234.50"');
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'an ISO 4217 currency code like "EUR"' });
export const IsoDate = Type.String({ format: 'date', description: 'a date written YYYY-MM-DD' });
export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const Text = (maxLength = 2000) => Type.String({ maxLength });

export const Address = Type.Object(
  {
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    postalCode: Type.String({ maxLength: 20 }),
    region: Type.Optional(Type.String({ maxLength: 100 })),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'an ISO 3166-1 alpha-2 country code like "DE"' }),
  },
  { additionalProperties: false },
);

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { description: 'RFC 9457 problem details' },
);

export const Pagination = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const IdParams = Type.Object({ id: Id });

export const listOf = <T extends TSchema>(item: T) => Type.Object({ data: Type.Array(item), nextCursor: Nullable(Type.String()) });

/** Error responses every route may give, for the OpenAPI document. */
export const problemResponses = { 400: Problem, 401: Problem, 404: Problem, 409: Problem, 422: Problem };
