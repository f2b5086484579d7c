import type { Problem } from './types.ts';

/** A refused request: the problem+json body, with its field errors keyed by field name. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly fieldErrors: Record<string, string>;

  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `Request failed (${problem.status})`);
    this.status = problem.status;
    this.code = problem.code ?? 'error';
    this.detail = problem.detail ?? problem.title ?? 'Something went wrong.';
    this.fieldErrors = {};
    for (const error of problem.errors ?? []) {
      if (!(error.field in this.fieldErrors)) this.fieldErrors[error.field] = error.message;
    }
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

let csrfToken: string | null = null;
let sessionUserId: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** The session's CSRF token, sent as X-CSRF-Token on every request that changes something. */
export function setCsrfToken(token: string | null, userId: string | null = null): void {
  csrfToken = token;
  sessionUserId = token ? userId : null;
}

/** Called when a request answers 401 (the session ended): the app shows the sign-in page. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

type Options = { signal?: AbortSignal; quiet401?: boolean; retried?: boolean };

export async function api<T>(method: string, path: string, body?: unknown, options: Options = {}): Promise<T> {
  try {
    return await send<T>(method, path, body, options);
  } catch (error) {
    // The same person signed in again in another tab, which renewed the session: take its token
    // and try once more. A different person's session is never used for what this page sends.
    if (error instanceof ApiError && error.code === 'csrf_token_invalid' && !options.retried && sessionUserId) {
      const session = await send<{ csrfToken: string; user: { id: string } }>('GET', '/v1/session', undefined, { quiet401: true }).catch(() => null);
      if (session && session.user.id === sessionUserId) {
        setCsrfToken(session.csrfToken, session.user.id);
        return send<T>(method, path, body, { ...options, retried: true });
      }
      onUnauthorized?.();
    }
    throw error;
  }
}

async function send<T>(method: string, path: string, body: unknown, options: Options): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({ status: 0, code: 'network_error', detail: 'Cannot reach the Accrue server. Check your connection and try again.' });
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    const problem: Problem =
      parsed && typeof parsed === 'object'
        ? { status: response.status, ...(parsed as Partial<Problem>) }
        : { status: response.status, detail: response.status >= 500 ? 'The server had a problem; nothing was saved. Try again.' : `Request failed (${response.status}).` };
    if (response.status === 401 && !options.quiet401) onUnauthorized?.();
    throw new ApiError(problem);
  }
  return parsed as T;
}

export const get = <T>(path: string, options?: Options) => api<T>('GET', path, undefined, options);
export const post = <T>(path: string, body?: unknown, options?: Options) => api<T>('POST', path, body ?? {}, options);
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = (path: string) => api<null>('DELETE', path);

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The field errors of an error that is an ApiError, else none. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  return error instanceof ApiError ? error.fieldErrors : {};
}
