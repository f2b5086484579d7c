export { createOrganization, type CreatedOrganization, type NewOrganization } from './create-organization.ts';
