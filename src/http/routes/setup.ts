import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationsExist, startSession } from '../../modules/access/index.ts';
import { setUpFirstOrganization } from '../../modules/setup/index.ts';
import { Currency, Problem } from '../schemas.ts';
import { EmailAddress, Password, SessionResponse, sendSession } from './session.ts';

const NotBlank = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S', description: 'text that is not blank' });

const SetupBody = Type.Object(
  {
    organizationName: NotBlank(200),
    currency: Currency,
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'an IANA time zone like "Europe/Berlin"' })),
    locale: Type.Optional(Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$', description: 'a language tag like "en" or "de-AT"' })),
    name: NotBlank(200),
    email: EmailAddress,
    password: Password,
  },
  { additionalProperties: false },
);

export function setupRoutes(app: AppInstance, deps: RouteDeps): void {
  const { pool, clock } = deps;

  app.get('/v1/setup', {
    config: { public: true },
    schema: {
      tags: ['session'], summary: 'Whether this installation still needs its first organization', security: [],
      response: { 200: Type.Object({ needsSetup: Type.Boolean() }) },
    },
  }, async () => ({ needsSetup: !(await organizationsExist(pool)) }));

  app.post('/v1/setup', {
    config: { public: true },
    schema: {
      tags: ['session'], summary: 'First run: create the organization and its owner, and sign the owner in', security: [],
      body: SetupBody,
      response: { 201: SessionResponse, 400: Problem, 409: Problem, 422: Problem },
    },
  }, async (request, reply) => {
    const { organizationName, currency, timeZone, locale, name, email, password } = request.body;
    const created = await setUpFirstOrganization(pool, {
      legalName: organizationName, baseCurrency: currency, timeZone, locale, ownerName: name, ownerEmail: email, ownerPassword: password,
    });
    const started = await startSession(pool, clock, { userId: created.userId, organizationId: created.organizationId });
    return sendSession(deps, request, reply, 201, started);
  });
}
