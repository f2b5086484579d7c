import type { Command } from 'commander';
import { listOrganizations } from '../../modules/access/index.ts';
import { createOrganization } from '../../modules/setup/index.ts';
import { systemClock } from '../../shared/clock.ts';
import { openDatabase } from '../../shared/database.ts';
import { migrate } from '../../shared/migrate.ts';
import { withDatabase } from '../context.ts';
import { printJson } from '../output.ts';

/** The server and the web build load Fastify and Vite: only the commands that serve pay for them. */
async function serverParts() {
  const [{ serve }, { ensureWebBuild }] = await Promise.all([import('../../http/server.ts'), import('../../web-build.ts')]);
  return { serve, ensureWebBuild };
}

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
      const { serve, ensureWebBuild } = await serverParts();
      await ensureWebBuild();
      const database = await openDatabase();
      const server = await serve(database, systemClock, { port: Number(options.port), host: options.host });
      console.log(`Accrue is serving on ${server.url} (API docs at ${server.url}/docs)`);
    });

  program
    .command('start')
    .description('serve the web app and the API; a first start leads to the set-up page')
    .option('--port <n>', 'port to listen on', process.env.PORT ?? '3000')
    .option('--host <address>', 'address to listen on', process.env.HOST ?? '127.0.0.1')
    .action(async (options) => {
      const { serve, ensureWebBuild } = await serverParts();
      await ensureWebBuild();
      const database = await openDatabase({ log: (line) => console.log(`[postgres] ${line}`) });
      const firstStart = (await listOrganizations(database.pool)).length === 0;
      const server = await serve(database, systemClock, { port: Number(options.port), host: options.host, quiet: true });
      const url = server.url.replace('127.0.0.1', 'localhost');
      console.log(`Accrue is serving on ${url} (API docs at ${url}/docs)`);
      if (firstStart) console.log(`First start: open ${url} to create your organization and its owner (or run \`npx accrue init\` for an API key).`);
    });
}
