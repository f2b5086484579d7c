import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const common: Options = { removeAdditional: false, allErrors: true, verbose: true, useDefaults: true };

/**
 * Bodies are validated strictly: JSON says what type a value has, so `"quantity": 5` is an error
 * (amounts are strings), never coerced. Query strings and path parameters are text by nature, so
 * `?limit=10` and `?includeArchived=true` are coerced to their schema types.
 */
export function registerValidators(app: FastifyInstance): void {
  const strict = addFormats(new Ajv({ ...common, coerceTypes: false }));
  const coercing = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
  // Action endpoints (void, apply-credit) take optional options: no body at all means `{}`.
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && request.routeOptions.schema?.body && request.headers['content-type'] === undefined) request.body = {};
  });
}
