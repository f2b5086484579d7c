-- Subscriptions and the billing run. Every "end" date is exclusive: the first day not covered.
-- The schedule (periods, proration, what is due) is computed in src/modules/subscriptions from
-- these rows; billing_run_items records what has been billed, one row per contract and period,
-- and its unique key is what makes billing idempotent across runs, processes and crashes.

create table subscriptions (
  id text primary key,
  organization_id text not null references organizations,
  customer_id text not null references customers,
  currency char(3) not null,
  -- The first cycle; a change of interval or anchor starts another (subscription_changes).
  interval text not null check (interval in ('weekly', 'monthly', 'quarterly', 'yearly')),
  interval_count integer not null default 1 check (interval_count between 1 and 52),
  anchor_day integer not null, -- day of the month (1..31, clamped to the month's end) or ISO weekday (1..7) when weekly
  billing_timing text not null check (billing_timing in ('advance', 'arrears')),
  start_date date not null,
  trial_end date,  -- the first day that is charged
  end_date date,   -- the first day that is not
  cancel_at_period_end boolean not null default false,
  canceled_at timestamptz,
  -- The billing run's watermarks (the latest period start billed), kept in the run's transaction
  -- beside billing_run_items, so that a run starts from them instead of from the beginning.
  billed_through date,
  usage_billed_through date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (anchor_day between 1 and case interval when 'weekly' then 7 else 31 end),
  check (trial_end is null or trial_end > start_date),
  check (end_date is null or end_date >= start_date)
);
create index subscriptions_customer on subscriptions (organization_id, customer_id, id);

-- Changes, one per effective date. A change may start a new cycle (interval, interval_count and
-- anchor_day all set) and/or replace the items (subscription_items rows with its change_id).
create table subscription_changes (
  id text primary key,
  organization_id text not null references organizations,
  subscription_id text not null references subscriptions,
  effective_date date not null,
  prorate boolean not null,
  interval text check (interval in ('weekly', 'monthly', 'quarterly', 'yearly')),
  interval_count integer check (interval_count between 1 and 52),
  anchor_day integer check (anchor_day between 1 and case interval when 'weekly' then 7 else 31 end),
  replaces_items boolean not null,
  -- True once the adjustment is billed, or from the start when the change has none to bill.
  adjustment_billed boolean not null,
  created_at timestamptz not null default now(),
  unique (subscription_id, effective_date),
  check ((interval is null) = (interval_count is null) and (interval is null) = (anchor_day is null)),
  check (interval is not null or replaces_items)
);

create table subscription_items (
  id text primary key,
  organization_id text not null references organizations,
  subscription_id text not null references subscriptions,
  change_id text references subscription_changes, -- null: the items the subscription started with
  position integer not null,
  item_id text references items,
  description text not null check (length(description) between 1 and 2000),
  unit_price numeric(20, 6) not null check (unit_price >= 0),
  quantity numeric(20, 6) not null check (quantity >= 0), -- seats; 0 for metered items
  metered boolean not null default false,
  tax_rate_ids text[] not null default '{}',
  unique nulls not distinct (subscription_id, change_id, position)
);
create index subscription_items_change on subscription_items (change_id);

-- Usage of metered items: a quantity on a date, summed per period when the period is billed.
create table usage_records (
  id text primary key,
  organization_id text not null references organizations,
  subscription_id text not null references subscriptions,
  subscription_item_id text not null references subscription_items,
  usage_date date not null,
  quantity numeric(20, 6) not null check (quantity > 0),
  created_at timestamptz not null default now()
);
create index usage_records_subscription on usage_records (subscription_id, usage_date);

-- A billing run for one date (dry runs write nothing, so they leave no row). A run left without
-- finished_at was interrupted (its committed batches stand; the next run does the rest).
create table billing_runs (
  id text primary key,
  organization_id text not null references organizations,
  run_date date not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  customers_processed integer not null default 0,
  charges_billed integer not null default 0,
  invoices_created integer not null default 0
);
create index billing_runs_org_date on billing_runs (organization_id, run_date);

-- What has been billed: the idempotency key of billing. A run claims a key with
-- INSERT ... ON CONFLICT DO NOTHING and writes the invoice only for the keys it won, all in one
-- transaction, so each (contract, period) is billed once however many runs race or crash.
-- Deleting the draft keeps the claim (invoice_id becomes null): the period is not billed again.
create table billing_run_items (
  organization_id text not null references organizations,
  billing_run_id text not null references billing_runs,
  contract_type text not null,
  contract_id text not null,
  period_start date not null,
  period_end date not null,
  customer_id text not null references customers,
  invoice_id text references invoices on delete set null deferrable initially deferred,
  created_at timestamptz not null default now(),
  unique (contract_type, contract_id, period_start)
);
create index billing_run_items_invoice on billing_run_items (invoice_id);
create index billing_run_items_run on billing_run_items (billing_run_id);
