import type { Command } from 'commander';
import { createCustomer, listCustomers } from '../../modules/customers/index.ts';
import { createDraftInvoice, issueInvoice, listInvoices, type InvoiceLineInput, type InvoiceStatus } from '../../modules/invoicing/index.ts';
import { verifyLedger } from '../../modules/reports/index.ts';
import { formatAmount } from '../../shared/money.ts';
import { customerJson, invoiceJson } from '../../http/serializers.ts';
import { resolveOrganization, withDatabase } from '../context.ts';
import { printJson, printTable } from '../output.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

/** `--line "Consulting|10|120.00|tax_1,tax_2"`: description, quantity, unit price, tax rate ids. */
function parseLine(text: string): InvoiceLineInput {
  const [description = '', quantity = '', unitPrice = '', taxes = ''] = text.split('|').map((part) => part.trim());
  return { description, quantity, unitPrice, taxRateIds: taxes ? taxes.split(',').map((t) => t.trim()) : [] };
}

export function registerDocumentCommands(program: Command): void {
  const customers = program.command('customers').description('list and create customers');
  customers
    .command('list')
    .option('--search <text>', 'name, e-mail or tax id contains')
    .option('--limit <n>', 'how many', '50')
    .option('--org <id>', 'organization (when there are several)')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await withDatabase(async ({ database }) => {
        const organizationId = await resolveOrganization(database, options.org);
        const page = await listCustomers(database.pool, organizationId, { search: options.search, limit: Number(options.limit) });
        if (options.json) return printJson(page.data.map(customerJson));
        printTable(page.data.map((c) => ({ id: c.id, name: c.name, email: c.email ?? '', currency: c.currency })), 'No customers yet. Create one with `accrue customers create --name NAME --currency EUR`.');
      });
    });
  customers
    .command('create')
    .requiredOption('--name <name>', 'customer name')
    .option('--email <address>', 'invoice e-mail address')
    .option('--currency <code>', 'currency of their invoices', 'EUR')
    .option('--terms <days>', 'payment terms in days', '30')
    .option('--tax-id <id>', 'VAT or tax id')
    .option('--org <id>', 'organization (when there are several)')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await withDatabase(async ({ database }) => {
        const organizationId = await resolveOrganization(database, options.org);
        const customer = await createCustomer(database.pool, organizationId, {
          name: options.name, email: options.email ?? null, currency: options.currency, paymentTermsDays: Number(options.terms), taxId: options.taxId ?? null,
        });
        if (options.json) printJson(customerJson(customer));
        else console.log(`Created customer ${customer.name} (${customer.id}).`);
      });
    });

  const invoices = program.command('invoices').description('list, create and issue invoices');
  invoices
    .command('list')
    .option('--status <status>', 'draft, open, partially_paid, paid, overdue or void')
    .option('--customer <id>', 'only this customer')
    .option('--limit <n>', 'how many', '50')
    .option('--org <id>', 'organization (when there are several)')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await withDatabase(async ({ database, clock }) => {
        const organizationId = await resolveOrganization(database, options.org);
        const page = await listInvoices(database.pool, clock, organizationId, {
          status: options.status as InvoiceStatus | undefined, customerId: options.customer, limit: Number(options.limit),
        });
        if (options.json) return printJson(page.data.map(invoiceJson));
        printTable(page.data.map((i) => ({
          number: i.number ?? '(draft)', id: i.id, status: i.status, issued: i.issueDate ?? '', due: i.dueDate ?? '',
          total: `${formatAmount(i.totalMinor, i.currency)} ${i.currency}`, owed: formatAmount(i.amountDueMinor, i.currency),
        })), 'No invoices match. Create one with `accrue invoices create --customer ID --line "Work|1|100.00"`.');
      });
    });
  invoices
    .command('create')
    .requiredOption('--customer <id>', 'customer id')
    .option('--line <line>', 'a line as "description|quantity|unit price|tax rate ids" (repeat for more lines)', collect, [])
    .option('--discount <percent>', 'document discount in percent')
    .option('--inclusive', 'unit prices include tax')
    .option('--issue', 'issue the invoice right away')
    .option('--org <id>', 'organization (when there are several)')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await withDatabase(async ({ database, clock }) => {
        const organizationId = await resolveOrganization(database, options.org);
        let invoice = await createDraftInvoice(database.pool, clock, organizationId, {
          customerId: options.customer, lines: (options.line as string[]).map(parseLine),
          priceMode: options.inclusive ? 'inclusive' : 'exclusive', ...(options.discount ? { discountPercent: options.discount } : {}),
        });
        if (options.issue) invoice = await issueInvoice(database.pool, clock, organizationId, invoice.id);
        if (options.json) return printJson(invoiceJson(invoice));
        console.log(`${invoice.number ? `Issued ${invoice.number}` : 'Created draft'} ${invoice.id}: total ${formatAmount(invoice.totalMinor, invoice.currency)} ${invoice.currency}.`);
      });
    });
  invoices
    .command('issue <id>')
    .option('--org <id>', 'organization (when there are several)')
    .option('--json', 'print JSON')
    .action(async (id: string, options) => {
      await withDatabase(async ({ database, clock }) => {
        const organizationId = await resolveOrganization(database, options.org);
        const invoice = await issueInvoice(database.pool, clock, organizationId, id);
        if (options.json) return printJson(invoiceJson(invoice));
        console.log(`Issued ${invoice.number}, due ${invoice.dueDate}: ${formatAmount(invoice.totalMinor, invoice.currency)} ${invoice.currency}.`);
      });
    });

  program
    .command('ledger')
    .description('the double-entry ledger')
    .command('verify')
    .description('check that every entry balances and receivables match open invoices; exits 1 if not')
    .option('--org <id>', 'organization (when there are several)')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await withDatabase(async ({ database }) => {
        const organizationId = await resolveOrganization(database, options.org);
        const result = await verifyLedger(database.pool, organizationId);
        if (options.json) printJson(result);
        else for (const check of result.checks) console.log(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}${check.problems.map((p) => `\n     ${p}`).join('')}`);
        if (!result.ok) process.exitCode = 1;
      });
    });
}
