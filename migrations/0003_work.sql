-- Work: projects and tasks, rate rules, time entries and the running timer, expenses with their
-- receipts, approvals. Time is kept as entered, in whole minutes; a project's rounding rule is
-- applied only when the time is billed. An entry or expense points at the invoice line that
-- billed it (`invoice_line_id`); it counts as billed only while that line's invoice is not void,
-- so voiding an invoice releases its work, and deleting a draft (or replacing its lines) nulls
-- the link through the foreign key.

create table projects (
  id text primary key,
  organization_id text not null references organizations,
  customer_id text not null references customers,
  name text not null check (length(name) between 1 and 200),
  code text check (length(code) between 1 and 30),
  status text not null default 'active' check (status in ('active', 'archived')),
  -- The billing model and its terms, validated by the work module (src/modules/work/project.ts).
  -- Amounts are decimal strings beside a currency, as in the API. Hourly rates are rate_rules.
  billing_model text not null check (billing_model in ('hourly', 'fixed', 'retainer')),
  billing jsonb not null check (billing ->> 'model' = billing_model),
  budget_hours numeric(12, 2) check (budget_hours > 0),
  budget_amount_minor bigint check (budget_amount_minor > 0),
  -- Each entry is rounded up to this many minutes when billed; divisors of 60 keep hours whole.
  rounding_minutes integer not null default 1 check (rounding_minutes between 1 and 60 and 60 % rounding_minutes = 0),
  requires_approval boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, code),
  check (budget_hours is null or budget_amount_minor is null)
);
create index projects_org_name on projects (organization_id, lower(name), id);
create index projects_customer on projects (customer_id);

create table tasks (
  id text primary key,
  organization_id text not null references organizations,
  project_id text not null references projects,
  name text not null check (length(name) between 1 and 200),
  billable boolean not null default true, -- the default of new entries on the task
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  unique (project_id, name)
);

-- Hourly rates, most specific first: task > user on project > project > user > organization.
-- One rule per scope and currency.
create table rate_rules (
  id text primary key,
  organization_id text not null references organizations,
  user_id text references users,
  project_id text references projects,
  task_id text references tasks,
  rate numeric(20, 6) not null check (rate >= 0),
  currency char(3) not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (task_id is null or (user_id is null and project_id is null))
);
create unique index rate_rules_scope on rate_rules
  (organization_id, coalesce(user_id, ''), coalesce(project_id, ''), coalesce(task_id, ''), currency);

create table approval_decisions (
  id text primary key,
  organization_id text not null references organizations,
  user_id text not null references users, -- whose week
  week_start date not null check (extract(isodow from week_start) = 1),
  decision text not null check (decision in ('approved', 'rejected')),
  approver_id text references users,
  comment text check (length(comment) <= 2000),
  entry_count integer not null check (entry_count > 0),
  decided_at timestamptz not null
);
create index approval_decisions_week on approval_decisions (organization_id, user_id, week_start);

create table time_entries (
  id text primary key,
  organization_id text not null references organizations,
  user_id text not null references users,
  project_id text not null references projects,
  task_id text references tasks,
  work_date date not null,
  minutes integer not null check (minutes between 1 and 1440),
  started_at timestamptz,
  ended_at timestamptz,
  description text not null default '' check (length(description) <= 2000),
  billable boolean not null,
  -- not_required: the project needs no approval; pending -> approved (locked) or rejected (editable).
  approval_state text not null check (approval_state in ('not_required', 'pending', 'approved', 'rejected')),
  approval_decision_id text references approval_decisions,
  invoice_line_id text references invoice_lines on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((started_at is null) = (ended_at is null)),
  check (ended_at > started_at),
  -- A timed entry's minutes are its duration to the nearest minute (at least one).
  check (started_at is null or minutes = greatest(1, round(extract(epoch from ended_at - started_at) / 60)))
);
create index time_entries_user_date on time_entries (organization_id, user_id, work_date);
create index time_entries_project_date on time_entries (organization_id, project_id, work_date);
create index time_entries_invoice_line on time_entries (invoice_line_id);

-- The running timer: at most one per person (the primary key). Stopping it makes a time entry.
create table timers (
  user_id text primary key references users,
  organization_id text not null references organizations,
  project_id text not null references projects,
  task_id text references tasks,
  description text not null default '' check (length(description) <= 2000),
  billable boolean not null,
  started_at timestamptz not null
);

create table expenses (
  id text primary key,
  organization_id text not null references organizations,
  user_id text not null references users,
  project_id text not null references projects,
  expense_date date not null,
  amount_minor bigint not null check (amount_minor > 0),
  currency char(3) not null,
  category text not null check (length(category) between 1 and 100),
  description text not null default '' check (length(description) <= 2000),
  billable boolean not null default true,
  markup_percent numeric(8, 4) not null default 0 check (markup_percent between 0 and 1000),
  invoice_line_id text references invoice_lines on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index expenses_project_date on expenses (organization_id, project_id, expense_date);
create index expenses_invoice_line on expenses (invoice_line_id);

-- Receipts beside, not inside, expenses, so that lists never read the bytes.
create table expense_receipts (
  expense_id text primary key references expenses on delete cascade,
  organization_id text not null references organizations,
  filename text not null check (length(filename) between 1 and 255),
  content_type text not null,
  data bytea not null check (octet_length(data) between 1 and 5242880), -- 5 MiB
  created_at timestamptz not null default now()
);

-- Billed = linked to a line of an invoice that is not void.
create function work_is_billed(line_id text) returns boolean language sql stable as $$
  select exists (
    select 1 from invoice_lines l join invoices i on i.id = l.invoice_id where l.id = line_id and i.state <> 'void'
  )
$$;

-- The last guard behind the work module's checks: approved or billed work never changes, except
-- its link to an invoice line (billing it, or the link nulled when a draft's lines are deleted).
create function locked_work_is_frozen() returns trigger language plpgsql as $$
begin
  if to_jsonb(old) ->> 'approval_state' = 'approved' or work_is_billed(old.invoice_line_id) then
    if tg_op = 'DELETE'
      or (to_jsonb(old) - array['invoice_line_id', 'updated_at']) is distinct from (to_jsonb(new) - array['invoice_line_id', 'updated_at'])
    then
      raise exception '% % is approved or billed and cannot change', tg_table_name, old.id using errcode = '42501';
    end if;
  end if;
  return case tg_op when 'DELETE' then old else new end;
end $$;

create trigger time_entries_locked before update or delete on time_entries
  for each row execute function locked_work_is_frozen();
create trigger expenses_locked before update or delete on expenses
  for each row execute function locked_work_is_frozen();
