import { after } from 'node:test';
import { buildApp, type AppInstance } from '../../src/http/app.ts';
import { createOrganization } from '../../src/modules/setup/index.ts';
import { fixedClock, type Clock } from '../../src/shared/clock.ts';
import { createTestDatabase, type TestDatabase } from './test-db.ts';

export type ApiResponse = { status: number; body: any; headers: Record<string, unknown> };

export type Tenant = {
  organizationId: string;
  apiKey: string;
  /** Sends a request as this organization; `body` is JSON unless `raw` is given. */
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
};

export type TestApi = {
  app: AppInstance;
  db: TestDatabase;
  /** A mutable clock: set `clock.at` to travel in time. */
  clock: Clock & { at: Date };
  tenant(options?: { name?: string; currency?: string; timeZone?: string }): Promise<Tenant>;
};

/** An app on a fresh database of its own, closed when the test file ends. */
export async function createTestApi(now = '2026-03-15T10:00:00Z'): Promise<TestApi> {
  const db = await createTestDatabase();
  const clock = { at: new Date(now), now() { return this.at; } };
  const app = await buildApp({ pool: db.pool, clock });
  after(async () => {
    await app.close();
    await db.drop();
  });
  return {
    app, db, clock,
    async tenant(options = {}) {
      const created = await createOrganization(db.pool, {
        legalName: options.name ?? 'Test Firm', baseCurrency: options.currency ?? 'EUR', ownerEmail: 'owner@test.example',
        timeZone: options.timeZone ?? 'Europe/Berlin',
      });
      return {
        organizationId: created.organizationId,
        apiKey: created.apiKey,
        async request(method, url, body, headers = {}) {
          const response = await app.inject({
            method: method as 'GET', url,
            headers: { authorization: `Bearer ${created.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
            ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
          });
          const text = response.body;
          return { status: response.statusCode, body: text ? JSON.parse(text) : null, headers: response.headers };
        },
      };
    },
  };
}

export { fixedClock };
