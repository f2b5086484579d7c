import { createHash, randomBytes } from 'node:crypto';

// The customer answers a quote through a link holding 256 random bits. Only the token's SHA-256
// is stored (as for sessions and invitations): a leaked table opens no quote.

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Null for text that cannot be a token, so a lookup is never made for it. */
export function hashLinkToken(token: string): Buffer | null {
  return TOKEN.test(token) ? createHash('sha256').update(token).digest() : null;
}

export function publicUrlOf(token: string): string {
  return `/quote/${token}`;
}
