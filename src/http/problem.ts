import type { FastifyReply } from 'fastify';
import type { FieldError } from '../shared/errors.ts';

export type ProblemBody = { type: string; title: string; status: number; detail: string; code: string; errors?: FieldError[] };

const TITLES: Record<number, string> = {
  400: 'Bad request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not found', 409: 'Conflict',
  413: 'Payload too large', 415: 'Unsupported media type', 422: 'Unprocessable content', 429: 'Too many requests', 500: 'Internal server error',
};

/** RFC 9457 problem details; `type` is a stable URI per error code, documented in docs/ERRORS.md. */
export function problem(status: number, code: string, detail: string, errors?: FieldError[]): ProblemBody {
  return {
    type: `https://accrue.dev/errors/${code}`, title: TITLES[status] ?? 'Error', status, detail, code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply.status(body.status).type('application/problem+json').send(body);
}
