import { readFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { IMPORT_FORMATS, importingUser, importTimeEntries, type ImportFormat } from '../../modules/work/index.ts';
import { DomainError } from '../../shared/errors.ts';
import { resolveOrganization, withDatabase } from '../context.ts';
import { printJson, printTable } from '../output.ts';

export function registerImportCommands(program: Command): void {
  const imports = program.command('import').description('import data exported from other tools');
  imports
    .command('time')
    .description('import time entries from a Toggl, Clockify, Harvest or plain CSV export (all rows or none; rows imported before are skipped)')
    .argument('<file>', 'the CSV file')
    .requiredOption('--format <format>', `one of ${IMPORT_FORMATS.join(', ')}`)
    .option('--dry-run', 'check the file and show what would be imported; write nothing')
    .option('--user <email>', 'whose time rows without a known e-mail address are (default: the owner)')
    .option('--org <id>', 'organization (when there are several)')
    .option('--json', 'print JSON')
    .action(async (file: string, options) => {
      if (!(IMPORT_FORMATS as readonly string[]).includes(options.format)) {
        throw new DomainError('validation', 'invalid_input', `--format must be one of ${IMPORT_FORMATS.join(', ')} (got ${options.format}).`);
      }
      let csv: string;
      try {
        csv = await readFile(file, 'utf8');
      } catch (error) {
        throw new DomainError('not_found', 'file_not_found', `Cannot read ${file}: ${(error as Error).message}`);
      }
      await withDatabase(async ({ database }) => {
        const organizationId = await resolveOrganization(database, options.org);
        const userId = await importingUser(database.pool, organizationId, options.user);
        // Progress on stderr, so that stdout stays the result (and --json stays parseable).
        const bar = new cliProgress.SingleBar({ stream: process.stderr, hideCursor: true, clearOnComplete: true, format: 'importing [{bar}] {percentage}% | {value}/{total} entries' }, cliProgress.Presets.shades_classic);
        let started = false;
        const result = await importTimeEntries(database.pool, organizationId, userId, {
          csv, format: options.format as ImportFormat, dryRun: Boolean(options.dryRun),
          onProgress(done, total) {
            if (!started) { bar.start(total, 0); started = true; }
            bar.update(done);
          },
        }).finally(() => { if (started) bar.stop(); });

        if (options.json) printJson(result);
        else if (result.errorCount > 0) {
          printTable(result.errors.map((e) => ({ line: String(e.line), column: e.column, error: e.message })), '');
        } else {
          if (options.dryRun) {
            printTable(result.preview.map((row) => ({
              line: String(row.line), date: row.date, project: row.projectName, task: row.taskName ?? '', user: row.userEmail ?? '',
              minutes: String(row.minutes), billable: row.billable ? 'yes' : 'no', description: row.description.replace(/\s+/g, ' ').slice(0, 40),
              ...(row.duplicate ? { note: 'imported before' } : { note: '' }),
            })), 'No rows in the file.');
            console.log(`Dry run: ${result.total - result.skipped} of ${result.total} rows would be imported, ${result.skipped} were imported before; nothing was written.`);
          } else {
            console.log(`Imported ${result.imported} time entries; skipped ${result.skipped} imported before.`);
          }
        }
        if (result.errorCount > 0) {
          console.error(`accrue: ${result.errorCount} row${result.errorCount === 1 ? '' : 's'} refused; nothing was imported.`);
          process.exitCode = 2;
        }
      });
    });
}
