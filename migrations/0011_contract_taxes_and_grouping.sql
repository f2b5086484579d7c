-- Taxes on what projects bill, and how a customer wants the billing run to group charges.
-- A project's tax rates apply to every line it bills: hourly time and expenses, a retainer's fee
-- and overage, a fixed-price schedule's entries and their deposit deductions. The work module
-- checks that they are this organization's rates.
alter table projects add column tax_rate_ids text[] not null default '{}';

-- 'combined': one invoice per customer and currency for everything due on a run (the default);
-- 'per_contract': one invoice per contract (subscription, retainer, fixed-price project).
alter table customers add column invoice_grouping text not null default 'combined'
  check (invoice_grouping in ('combined', 'per_contract'));
