import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { runBilling } from '../../modules/billing/index.ts';
import { invalid } from '../../shared/errors.ts';
import { formatAmount } from '../../shared/money.ts';
import { billingRunJson } from '../../http/subscription-json.ts';
import { resolveOrganization, withDatabase } from '../context.ts';
import { printJson, printTable } from '../output.ts';

export function registerBillingCommands(program: Command): void {
  program
    .command('bill-run')
    .description('bill everything due on a date: one draft invoice per customer and currency (safe to run again)')
    .option('--date <YYYY-MM-DD>', "the billing date (default: today in the organization's time zone)")
    .option('--dry-run', 'show what would be billed; write nothing')
    .option('--issue', 'issue each draft the run created (those needing approval stay drafts and are reported)')
    .option('--batch <n>', 'customers per transaction', '500')
    .option('--org <id>', 'organization (when there are several)')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await withDatabase(async ({ database, clock }) => {
        const batchSize = Number(options.batch);
        if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw invalid('--batch', 'must be a whole number from 1 to 10000');
        const organizationId = await resolveOrganization(database, options.org);
        // Progress on stderr, so that stdout stays the result (and --json stays parseable).
        const bar = new cliProgress.SingleBar({
          stream: process.stderr, hideCursor: true, clearOnComplete: true,
          format: 'billing [{bar}] {percentage}% | {value}/{total} customers | {invoices} invoices',
        }, cliProgress.Presets.shades_classic);
        let started = false;
        const result = await runBilling(database.pool, clock, organizationId, {
          date: options.date, dryRun: Boolean(options.dryRun), issue: Boolean(options.issue), batchSize,
          onBatch(progress) {
            if (!started) bar.start(progress.customersTotal, 0, { invoices: 0 });
            started = true;
            bar.update(progress.customersDone, { invoices: progress.invoicesCreated });
          },
        }).finally(() => bar.stop());
        if (options.json) return printJson(billingRunJson(result));
        const verb = result.dryRun ? 'Would create' : 'Created';
        printTable(result.invoices.map((invoice) => ({
          invoice: invoice.invoiceId ?? '(dry run)', customer: invoice.customerId, charges: String(invoice.charges.length),
          total: `${formatAmount(invoice.totalMinor, invoice.currency)} ${invoice.currency}`,
        })), `Nothing is due on ${result.date}.`);
        console.log(`${verb} ${result.invoicesCreated} draft invoices for ${result.chargesBilled} charges on ${result.date}.`);
        if (options.issue && !result.dryRun) {
          console.log(`Issued ${result.issued} of ${result.invoicesCreated} invoices.`);
          for (const failure of result.issueFailures) console.log(`Not issued: ${failure.invoiceId} (${failure.code}): ${failure.message}`);
        }
        if (result.skipped.length > 0) console.log(`Skipped ${result.skipped.length} charges (${[...new Set(result.skipped.map((s) => s.reason))].join(', ')}); they stay due.`);
        for (const held of result.heldWork) console.log(`Held back (not-to-exceed): ${held.message}`);
        for (const credit of result.credits) console.log(`Net credit of ${formatAmount(credit.totalMinor, credit.currency)} ${credit.creditNoteId ? 'credited' : 'to credit'} on invoice ${credit.invoiceId} (the contract ended).`);
      });
    });
}
