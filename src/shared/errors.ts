/**
 * One error family for everything the domain refuses. `code` is stable snake_case and
 * documented in docs/ERRORS.md; the HTTP error handler maps each kind to a status.
 */
export type FieldError = { field: string; message: string };

export type ErrorKind =
  | 'validation' // 400/422: the input is malformed or breaks a rule about itself
  | 'not_found' // 404: unknown id, or another organization's record
  | 'conflict' // 409: the record's state forbids the operation (issuing twice, paying a void invoice)
  | 'unauthorized' // 401
  | 'forbidden'; // 403

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function invalid(field: string, message: string, code = 'invalid_input'): DomainError {
  return new DomainError('validation', code, `${field}: ${message}`, [{ field, message }]);
}

export function notFound(what: string, id: string): DomainError {
  return new DomainError('not_found', `${what}_not_found`, `No ${what.replaceAll('_', ' ')} with id ${id}.`);
}

export function conflict(code: string, message: string, field?: string): DomainError {
  return new DomainError('conflict', code, message, field ? [{ field, message }] : []);
}

/** For states that must be impossible; a failure here is a bug, never user input. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}
