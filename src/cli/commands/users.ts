import type { Command } from 'commander';
import { setUserPassword } from '../../modules/access/index.ts';
import { resolveOrganization, withDatabase } from '../context.ts';
import { printJson } from '../output.ts';

/** The password comes from standard input (or ACCRUE_PASSWORD), never from a flag in shell history. */
async function readPassword(): Promise<string> {
  if (process.env.ACCRUE_PASSWORD) return process.env.ACCRUE_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('New password (then Enter): ');
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0]!.replace(/\r$/, '');
}

export function registerUserCommands(program: Command): void {
  program
    .command('users')
    .description('people who sign in to the web app')
    .command('set-password')
    .description('set the sign-in password of a user, e.g. the owner created by `accrue init`')
    .requiredOption('--email <address>', "the user's e-mail address")
    .option('--org <id>', 'organization (when there are several)')
    .option('--json', 'print JSON')
    .action(async (options) => {
      const password = await readPassword();
      await withDatabase(async ({ database }) => {
        const organizationId = await resolveOrganization(database, options.org);
        const { userId } = await setUserPassword(database.pool, organizationId, options.email, password);
        if (options.json) printJson({ userId });
        else console.log(`Password set for ${options.email}; sign in at the web app.`);
      });
    });
}
