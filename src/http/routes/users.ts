import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationOf, principalOf } from '../auth.ts';
import { acceptInvitation, createInvitation, getInvitation, INVITABLE_ROLES, listUsers } from '../../modules/access/index.ts';
import { Problem, problemResponses } from '../schemas.ts';
import { EmailAddress, Password, Role, SessionResponse, sendSession } from './session.ts';

const InvitableRole = Type.Enum(INVITABLE_ROLES);
const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) });

export function userRoutes(app: AppInstance, deps: RouteDeps): void {
  const { pool, clock } = deps;

  app.get('/v1/users', {
    schema: {
      tags: ['users'], summary: 'The people of the organization',
      response: { 200: Type.Object({ data: Type.Array(Type.Object({ id: Type.String(), email: Type.String(), name: Type.Union([Type.String(), Type.Null()]), role: Role, createdAt: Type.String() })) }) },
    },
  }, async (request) => ({ data: await listUsers(pool, organizationOf(request)) }));

  app.post('/v1/invitations', {
    schema: {
      tags: ['users'], summary: 'Invite a person (owners and admins); the link works once, for 7 days',
      body: Type.Object({ email: EmailAddress, role: InvitableRole }, { additionalProperties: false }),
      response: {
        201: Type.Object({
          id: Type.String(), email: Type.String(), role: InvitableRole,
          token: Type.String({ description: 'shown once; only its hash is stored' }),
          url: Type.String({ description: 'path of the web app page that accepts it: /invite/<token>' }),
          expiresAt: Type.String(),
        }),
        ...problemResponses, 403: Problem,
      },
    },
  }, async (request, reply) => reply.status(201).send(await createInvitation(pool, clock, principalOf(request), request.body)));

  app.get('/v1/invitations/:token', {
    config: { public: true },
    schema: {
      tags: ['users'], summary: 'What an invitation is for (no sign-in needed)', security: [], params: TokenParams,
      response: { 200: Type.Object({ email: Type.String(), role: InvitableRole, organizationName: Type.String() }), 404: Problem },
    },
  }, async (request) => getInvitation(pool, clock, request.params.token));

  app.post('/v1/invitations/:token/accept', {
    config: { public: true },
    schema: {
      tags: ['users'], summary: 'Accept an invitation: creates the user and signs them in', security: [], params: TokenParams,
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'text that is not blank' }), password: Password }, { additionalProperties: false }),
      response: { 201: SessionResponse, 400: Problem, 404: Problem, 409: Problem, 422: Problem },
    },
  }, async (request, reply) => sendSession(deps, request, reply, 201, await acceptInvitation(pool, clock, request.params.token, request.body)));
}
