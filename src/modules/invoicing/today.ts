import type { Clock } from '../../shared/clock.ts';
import { todayIn } from '../../shared/clock.ts';
import type { Queryable } from '../../shared/db.ts';
import { getOrganization } from '../access/index.ts';

/** "Today" for an organization: its own time zone decides dates and overdue status. */
export async function todayFor(db: Queryable, organizationId: string, clock: Clock): Promise<string> {
  const organization = await getOrganization(db, organizationId);
  return todayIn(organization.timeZone, clock);
}
