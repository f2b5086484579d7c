-- Contracts: retainer periods and fixed-price schedules of projects (src/modules/contracts). The
-- billing run claims each charge in billing_run_items; these tables are the contracts' own record
-- of what was billed, used and carried over, and their watermarks.

-- One row per billed retainer period (written when its fee is billed). The closing columns are
-- filled when the next period is billed: the time used in it, the overage billed and the unused
-- time carried into the next period. Durations are in seconds (hours have 2 decimals: 36 s).
create table retainer_periods (
  organization_id text not null references organizations,
  project_id text not null references projects,
  period_start date not null,
  period_end date not null check (period_end > period_start),
  included_seconds bigint not null check (included_seconds >= 0),
  carried_in_seconds bigint not null check (carried_in_seconds >= 0),
  used_seconds bigint check (used_seconds >= 0),
  overage_seconds bigint check (overage_seconds >= 0),
  overage_minor bigint check (overage_minor >= 0),
  carried_out_seconds bigint check (carried_out_seconds >= 0),
  closed_at timestamptz,
  primary key (project_id, period_start),
  check ((closed_at is null) = (used_seconds is null))
);

-- The time entries a closed retainer period counted: each entry counts once, ever (the unique key),
-- whether or not it led to an overage line (then it is also linked to that line).
create table retainer_period_entries (
  organization_id text not null references organizations,
  project_id text not null,
  period_start date not null,
  time_entry_id text not null unique references time_entries,
  foreign key (project_id, period_start) references retainer_periods
);

-- A fixed-price project's schedule: dated entries, milestones (billed once completed) and deposits
-- (billed on their date; what is paid of them is deducted from the project's later invoices).
create table fixed_schedule_entries (
  id text primary key,
  organization_id text not null references organizations,
  project_id text not null references projects,
  position integer not null,
  description text not null check (length(description) between 1 and 500),
  amount_minor bigint not null check (amount_minor > 0),
  kind text not null check (kind in ('date', 'milestone', 'deposit')),
  due_date date,
  completed_on date,
  billed_at timestamptz,
  invoice_id text references invoices on delete set null, -- the draft (then invoice) that billed it
  deducted_minor bigint not null default 0 check (deducted_minor >= 0 and deducted_minor <= amount_minor),
  created_at timestamptz not null default now(),
  unique (project_id, position),
  check ((kind = 'milestone') = (due_date is null)),
  check (kind = 'milestone' or completed_on is null),
  check (kind = 'deposit' or deducted_minor = 0)
);
create index fixed_schedule_entries_project on fixed_schedule_entries (organization_id, project_id);
