export { authenticateApiKey, createApiKey, type Principal } from './api-keys.ts';
export {
  getOrganization, insertOrganization, listOrganizations, updateOrganization, type Address, type Organization, type OrganizationChanges,
} from './organization.ts';
export { insertUser, type Role } from './users.ts';
