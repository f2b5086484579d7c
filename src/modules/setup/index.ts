export { createOrganization, setUpFirstOrganization, type CreatedOrganization, type NewOrganization } from './create-organization.ts';
