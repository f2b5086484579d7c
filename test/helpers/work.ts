import { createApiKey, insertUser, type Role } from '../../src/modules/access/index.ts';
import { inTransaction } from '../../src/shared/db.ts';
import { newId } from '../../src/shared/ids.ts';
import type { ApiResponse, Tenant, TestApi } from './api.ts';
import { createCustomer, expectStatus } from './fixtures.ts';

/** A person of the firm with an API key of their own: time they record is theirs. */
export type Person = Tenant & { userId: string };

export async function addPerson(api: TestApi, firm: Tenant, options: { role?: Role; email?: string; withoutUser?: boolean } = {}): Promise<Person> {
  const userId = options.withoutUser ? null : newId('usr');
  const { key } = await inTransaction(api.db.pool, async (tx) => {
    if (userId) await insertUser(tx, { id: userId, organizationId: firm.organizationId, email: options.email ?? `${userId}@test.example`, role: options.role ?? 'member' });
    return createApiKey(tx, firm.organizationId, userId, 'test');
  });
  return { ...asKey(api, firm.organizationId, key), userId: userId ?? '' };
}

/** Requests with another API key of an organization. */
export function asKey(api: TestApi, organizationId: string, apiKey: string): Tenant {
  return {
    organizationId, apiKey,
    async request(method, url, body, headers = {}): Promise<ApiResponse> {
      const response = await api.app.inject({
        method: method as 'GET', url,
        headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : null, headers: response.headers };
    },
  };
}

/** The owner's user id (the tenant's own key belongs to the owner). */
export async function ownerId(firm: Tenant): Promise<string> {
  const users = expectStatus(await firm.request('GET', '/v1/users'), 200).data;
  return users.find((user: any) => user.role === 'owner').id;
}

export async function createProject(firm: Tenant, customerId: string, fields: Record<string, unknown> = {}): Promise<any> {
  return expectStatus(await firm.request('POST', '/v1/projects', { customerId, name: 'Website', billing: { model: 'hourly', rate: '100' }, ...fields }), 201);
}

/** A customer with an hourly project: the usual start. */
export async function hourlyProject(firm: Tenant, rate = '100', fields: Record<string, unknown> = {}) {
  const customer = await createCustomer(firm);
  const project = await createProject(firm, customer.id, { billing: { model: 'hourly', rate }, ...fields });
  return { customer, project };
}

export async function logTime(firm: Tenant, projectId: string, minutes: number, date = '2026-03-02', fields: Record<string, unknown> = {}): Promise<any> {
  return expectStatus(await firm.request('POST', '/v1/time-entries', { projectId, date, minutes, description: 'Work', ...fields }), 201);
}
