import type { Command } from 'commander';
import { listOrganizations } from '../../modules/access/index.ts';
import { createOrganization } from '../../modules/setup/index.ts';
import { systemClock } from '../../shared/clock.ts';
import { openDatabase } from '../../shared/database.ts';
import { serve } from '../../http/server.ts';
import { migrate } from '../../shared/migrate.ts';
import { withDatabase } from '../context.ts';
import { printJson } from '../output.ts';

function printCreated(created: { organizationId: string; userId: string; apiKey: string }, legalName: string): void {
  console.log(`Created organization ${legalName} (${created.organizationId}).`);
  console.log(`API key (shown once; store it now):\n\n  ${created.apiKey}\n`);
  console.log(`Use it as:  curl -H "Authorization: Bearer ${created.apiKey}" http://localhost:3000/v1/organization`);
}

export function registerSetupCommands(program: Command): void {
  program
    .command('init')
    .description('create an organization with its owner and an API key')
    .requiredOption('--org <name>', 'legal name of the organization')
    .option('--currency <code>', 'base currency (ISO 4217)', 'EUR')
    .requiredOption('--email <address>', "the owner's e-mail address")
    .option('--time-zone <zone>', 'IANA time zone that decides "today"', 'UTC')
    .option('--json', 'print {organizationId, userId, apiKey} as JSON')
    .action(async (options) => {
      await withDatabase(async ({ database }) => {
        const created = await createOrganization(database.pool, {
          legalName: options.org, baseCurrency: options.currency, ownerEmail: options.email, timeZone: options.timeZone,
        });
        if (options.json) printJson(created);
        else printCreated(created, options.org);
      });
    });

  program
    .command('migrate')
    .description('apply database migrations (the server also does this on start)')
    .option('--json', 'print the applied versions as JSON')
    .action(async (options) => {
      await withDatabase(async ({ database }) => {
        const applied = await migrate(database.pool); // openDatabase already migrated; this reports "nothing to do"
        if (options.json) printJson({ applied });
        else console.log(applied.length ? `Applied ${applied.join(', ')}` : 'The database is up to date.');
      });
    });

  program
    .command('serve')
    .description('serve the HTTP API')
    .option('--port <n>', 'port to listen on', process.env.PORT ?? '3000')
    .option('--host <address>', 'address to listen on', process.env.HOST ?? '127.0.0.1')
    .action(async (options) => {
      const database = await openDatabase();
      const server = await serve(database, systemClock, { port: Number(options.port), host: options.host });
      console.log(`Accrue is serving on ${server.url} (API docs at ${server.url}/docs)`);
    });

  program
    .command('start')
    .description('serve the API; on a first start with an empty database, create an organization first')
    .option('--port <n>', 'port to listen on', process.env.PORT ?? '3000')
    .option('--host <address>', 'address to listen on', process.env.HOST ?? '127.0.0.1')
    .action(async (options) => {
      const database = await openDatabase({ log: (line) => console.log(`[postgres] ${line}`) });
      if ((await listOrganizations(database.pool)).length === 0) {
        const legalName = process.env.ACCRUE_ORG_NAME ?? 'My Company';
        const created = await createOrganization(database.pool, {
          legalName, baseCurrency: process.env.ACCRUE_CURRENCY ?? 'EUR', ownerEmail: process.env.ACCRUE_OWNER_EMAIL ?? 'owner@example.com',
        });
        printCreated(created, legalName);
        console.log('Change the profile with PATCH /v1/organization.\n');
      }
      const server = await serve(database, systemClock, { port: Number(options.port), host: options.host, quiet: true });
      console.log(`Accrue is serving on ${server.url} (API docs at ${server.url}/docs)`);
    });
}
