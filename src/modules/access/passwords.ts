import { hash, verify } from '@node-rs/argon2';
import { invalid } from '../../shared/errors.ts';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1000; // argon2 takes any length; this bounds the work a request can ask for

/** Length in characters (code points), so "ä" counts once whatever its encoding. */
export function assertPassword(password: string, field = 'password'): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) throw invalid(field, `must be at least ${MIN_PASSWORD_LENGTH} characters`, 'password_too_short');
  if (length > MAX_PASSWORD_LENGTH) throw invalid(field, `must be at most ${MAX_PASSWORD_LENGTH} characters`);
}

/**
 * argon2id with the library's defaults (19 MiB, 2 passes, 1 lane: OWASP's recommended minimum).
 * The PHC string records the parameters, so hashes made with other ones keep verifying.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

let dummyHash: Promise<string> | undefined;

/**
 * True when `password` matches `passwordHash`. Without a hash (no such user, or a user who never
 * set a password) it still verifies against a dummy hash, so the answer takes about as long
 * whether or not the address is known.
 */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  dummyHash ??= hash('no user has this password; it only spends the same time');
  const against = passwordHash ?? (await dummyHash);
  const matches = await verify(against, password).catch(() => false);
  return matches && passwordHash !== null;
}
