-- A subscription may carry its customer's approved unbilled time and expenses: when the billing
-- run creates an invoice with a charge of such a subscription, it adds the work up to the run date
-- (same currency) and links the entries and expenses to those lines, so they are billed once.
alter table subscriptions add column include_unbilled_work boolean not null default false;
