/**
 * Who a request acts for. An API key or a session cookie authenticates it; either way every
 * query is scoped to `organizationId`.
 */
export type Principal = {
  organizationId: string;
  /** The person: the session's user, or the user an API key was created for (null for keys of no one). */
  userId: string | null;
  /** Set when an API key authenticated the request. */
  apiKeyId: string | null;
  /** Set when the session cookie did; requests that change something must echo `csrfToken`. */
  session: { id: string; csrfToken: string } | null;
};
