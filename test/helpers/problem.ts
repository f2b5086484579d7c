import assert from 'node:assert/strict';
import type { ApiResponse } from './api.ts';

export type ExpectedProblem = { status: number; code?: string; field?: string };

/**
 * Asserts an RFC 9457 answer: the status, `application/problem+json`, the members every problem
 * has (type, title, status, detail), the stable code, and, when given, a field named in `errors`.
 */
export function assertProblem(response: Pick<ApiResponse, 'status' | 'body' | 'headers'>, expected: ExpectedProblem): void {
  const shown = JSON.stringify(response.body);
  assert.equal(response.status, expected.status, `status: ${shown}`);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/, `content-type of ${shown}`);
  const body = response.body as Record<string, unknown>;
  for (const member of ['type', 'title', 'detail', 'code'] as const) {
    assert.equal(typeof body[member], 'string', `${member} of ${shown}`);
    assert.ok((body[member] as string).length > 0, `${member} is empty in ${shown}`);
  }
  assert.equal(body.status, expected.status, `problem status of ${shown}`);
  assert.equal(body.type, `https://accrue.dev/errors/${body.code}`, `type follows code in ${shown}`);
  if (expected.code) assert.equal(body.code, expected.code, `code of ${shown}`);
  if (expected.field) {
    const errors = body.errors as Array<{ field: string; message: string }> | undefined;
    assert.ok(Array.isArray(errors), `errors array in ${shown}`);
    const named = errors.find((error) => error.field === expected.field);
    assert.ok(named, `errors name ${expected.field}: ${shown}`);
    assert.ok(named.message.length > 0, `a message for ${expected.field}`);
  }
}
