import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError, type FieldError } from '../shared/errors.ts';
import { problem, sendProblem } from './problem.ts';

const STATUS_BY_KIND = { validation: 422, not_found: 404, conflict: 409, unauthorized: 401, forbidden: 403 } as const;

type AjvError = { instancePath: string; keyword: string; message?: string; params: Record<string, unknown>; parentSchema?: { description?: string } };

/** `/lines/0/quantity` becomes `lines.0.quantity`, the name clients use for the field. */
function fieldOf(error: AjvError, context: string): string {
  const path = error.instancePath.split('/').filter(Boolean).join('.');
  const child = (error.params.missingProperty ?? error.params.additionalProperty) as string | undefined;
  return [path, child].filter(Boolean).join('.') || context;
}

function messageOf(error: AjvError): string {
  if (error.keyword === 'additionalProperties') return 'is not a known field';
  if (error.keyword === 'required') return 'is required';
  if ((error.keyword === 'pattern' || error.keyword === 'format') && error.parentSchema?.description) return `must be ${error.parentSchema.description}`;
  return error.message ?? 'is invalid';
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { validation?: AjvError[]; validationContext?: string }, request, reply) => {
    if (error instanceof DomainError) {
      return sendProblem(reply, problem(STATUS_BY_KIND[error.kind], error.code, error.message, error.fieldErrors));
    }
    if (error.validation) {
      const seen = new Set<string>();
      const errors: FieldError[] = [];
      for (const item of error.validation) {
        const field = fieldOf(item, error.validationContext ?? 'body');
        if (seen.has(field)) continue; // a union reports each branch; one message per field is enough
        seen.add(field);
        errors.push({ field, message: messageOf(item) });
      }
      const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      return sendProblem(reply, problem(400, 'invalid_request', detail, errors));
    }
    const status = error.statusCode ?? 500;
    if (status < 500) {
      const code = (error.code ?? 'bad_request').replace(/^FST_ERR_/, '').toLowerCase();
      const field = error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code?.startsWith('FST_ERR_CTP') ? 'body' : undefined;
      return sendProblem(reply, problem(status, code, error.message, field ? [{ field, message: error.message }] : undefined));
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, problem(500, 'internal_error', 'Something went wrong on our side; nothing was saved. Try again, or report it with the request id.'));
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem(404, 'route_not_found', `There is no ${request.method} ${request.url.split('?')[0]}.`)),
  );
}
