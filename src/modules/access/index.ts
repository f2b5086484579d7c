export { authenticateApiKey, createApiKey } from './api-keys.ts';
export {
  acceptInvitation, createInvitation, getInvitation, INVITABLE_ROLES, INVITATION_LIFETIME_MS, type CreatedInvitation, type InvitableRole,
} from './invitations.ts';
export {
  getOrganization, insertOrganization, listOrganizations, updateOrganization, type Address, type Organization, type OrganizationChanges,
} from './organization.ts';
export { assertPassword, hashPassword, MIN_PASSWORD_LENGTH } from './passwords.ts';
export type { Principal } from './principal.ts';
export {
  authenticateSession, describeSession, endSession, endSessionOfToken, SESSION_LIFETIME_MS, signIn, startSession,
  type AuthenticatedSession, type SessionView, type SignInResult, type StartedSession,
} from './sessions.ts';
export { setUserPassword } from './set-user-password.ts';
export { MAX_FAILED_SIGN_INS, SIGN_IN_WINDOW_MS } from './sign-in-throttle.ts';
export { sameSecret } from './tokens.ts';
export { getUser, listUsers, organizationsExist, roleOf, setPasswordHash, type User } from './user-store.ts';
export { insertUser, type Role } from './users.ts';
