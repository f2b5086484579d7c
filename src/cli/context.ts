import { systemClock, type Clock } from '../shared/clock.ts';
import { openDatabase, type Database } from '../shared/database.ts';
import { DomainError } from '../shared/errors.ts';
import { listOrganizations } from '../modules/access/index.ts';

export type CommandContext = { database: Database; clock: Clock };

/** Opens the database (embedded or DATABASE_URL) for one command and always closes it. */
export async function withDatabase<T>(fn: (context: CommandContext) => Promise<T>): Promise<T> {
  const database = await openDatabase();
  try {
    return await fn({ database, clock: systemClock });
  } finally {
    await database.close();
  }
}

/**
 * The organization a command acts for: --org, else ACCRUE_ORGANIZATION, else the only one.
 * With several and none named, the command says which exist.
 */
export async function resolveOrganization(database: Database, explicit?: string): Promise<string> {
  const wanted = explicit ?? process.env.ACCRUE_ORGANIZATION;
  const rows = await listOrganizations(database.pool);
  if (wanted) {
    const match = rows.find((row) => row.id === wanted || row.legalName === wanted);
    if (!match) throw new DomainError('not_found', 'organization_not_found', `No organization ${wanted}.`);
    return match.id;
  }
  if (rows.length === 1) return rows[0]!.id;
  if (rows.length === 0) throw new DomainError('not_found', 'no_organization', 'There is no organization yet; run `accrue init` first.');
  throw new DomainError('validation', 'organization_required', `Several organizations exist; pass --org with one of: ${rows.map((r) => `${r.id} (${r.legalName})`).join(', ')}.`);
}
