import { Command } from 'commander';
import { DomainError } from '../shared/errors.ts';
import { registerBillingCommands } from './commands/billing.ts';
import { registerDocumentCommands } from './commands/documents.ts';
import { registerImportCommands } from './commands/import.ts';
import { registerSetupCommands } from './commands/setup.ts';
import { registerUserCommands } from './commands/users.ts';

const program = new Command('accrue')
  .description('Accrue: billing for service businesses')
  .showHelpAfterError();
registerSetupCommands(program);
registerDocumentCommands(program);
registerUserCommands(program);
registerBillingCommands(program);
registerImportCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Refusals are the user's to fix: say what and where, without a stack trace.
  if (error instanceof DomainError) {
    console.error(`accrue: ${error.message}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
