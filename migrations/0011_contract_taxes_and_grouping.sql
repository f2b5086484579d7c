-- Taxes on what projects bill, how a customer wants the billing run to group charges, and what
-- billed work came to.
-- A project's tax rates apply to every line it bills: hourly time and expenses, a retainer's fee
-- and overage, a fixed-price schedule's entries and their deposit deductions. The work module
-- checks that they are this organization's rates.
alter table projects add column tax_rate_ids text[] not null default '{}';

-- 'combined': one invoice per customer and currency for everything due on a run (the default);
-- 'per_contract': one invoice per contract (subscription, retainer, fixed-price project).
alter table customers add column invoice_grouping text not null default 'combined'
  check (invoice_grouping in ('combined', 'per_contract'));

-- What each entry and expense came to on the line that billed it (its share of the line), so that
-- a project's billed-to-date is exact when its not-to-exceed cap or money budget is checked.
alter table time_entries add column billed_minor bigint;
alter table expenses add column billed_minor bigint;

-- Locked work may still change its link and what it billed there (billing it again after a void).
-- The triggers fire only for deletes and for updates that name a guarded column, so linking work
-- to invoice lines (invoice_line_id, billed_minor, updated_at) costs no trigger call: the billing
-- run links thousands of entries per batch. A new column of these tables belongs in their list.
drop trigger time_entries_locked on time_entries;
drop trigger expenses_locked on expenses;
create trigger time_entries_locked
  before delete or update of id, organization_id, user_id, project_id, task_id, work_date, minutes, started_at, ended_at,
    description, billable, approval_state, approval_decision_id, import_key
  on time_entries for each row execute function locked_work_is_frozen();
create trigger expenses_locked
  before delete or update of id, organization_id, user_id, project_id, expense_date, amount_minor, currency, category,
    description, billable, markup_percent
  on expenses for each row execute function locked_work_is_frozen();

create or replace function locked_work_is_frozen() returns trigger language plpgsql as $$
declare
  billing_columns constant text[] := array['invoice_line_id', 'billed_minor', 'updated_at'];
begin
  if to_jsonb(old) ->> 'approval_state' = 'approved' or work_is_billed(old.invoice_line_id) then
    if tg_op = 'DELETE' or (to_jsonb(old) - billing_columns) is distinct from (to_jsonb(new) - billing_columns) then
      raise exception '% % is approved or billed and cannot change', tg_table_name, old.id using errcode = '42501';
    end if;
  end if;
  return case tg_op when 'DELETE' then old else new end;
end $$;

-- An accepted quote converts into an invoice or into a fixed-price project (its schedule made of
-- the quote's lines), once, keeping the link either way.
alter table quotes add column converted_project_id text unique references projects;
alter table quotes add constraint quotes_one_conversion
  check (converted_project_id is null or (state = 'accepted' and converted_invoice_id is null));

create or replace function sent_quotes_are_frozen() returns trigger language plpgsql as $$
declare
  answer text[] := array['state', 'accepted_by_name', 'accepted_at', 'declined_reason', 'declined_at', 'converted_invoice_id',
    'converted_project_id', 'updated_at'];
begin
  if old.state <> 'draft' and (to_jsonb(old) - answer) is distinct from (to_jsonb(new) - answer) then
    raise exception 'quote % is sent and cannot be edited', old.id using errcode = '42501';
  end if;
  return new;
end $$;

-- An approval rule may name its approvers (users of the organization, any role); without them,
-- any owner or admin approves.
alter table approval_rules add column approver_ids text[] check (approver_ids is null or cardinality(approver_ids) > 0);

-- The billing run reads the rate rules of a page of projects and their tasks at once.
create index rate_rules_project on rate_rules (project_id) where project_id is not null;
create index rate_rules_task on rate_rules (task_id) where task_id is not null;

-- The invoice line that billed a schedule entry: a deposit's deduction is taxed as that line was.
alter table fixed_schedule_entries add column invoice_line_id text references invoice_lines on delete set null;

-- Work billed before billed_minor existed gets its share of its line, as billing computes it: an
-- expense the whole line; time entries the line split by their minutes after the project's
-- rounding, largest remainders first (ties by date, then id), so the shares add up to the line.
-- (Runs after the triggers above: setting billed_minor fires none. Kept last: a test runs it again.)
update expenses e set billed_minor = l.net_minor
from invoice_lines l where l.id = e.invoice_line_id and e.billed_minor is null;

with entries as (
  select te.id, te.invoice_line_id, te.work_date, l.net_minor,
    ((te.minutes + p.rounding_minutes - 1) / p.rounding_minutes) * p.rounding_minutes as weight
  from time_entries te join invoice_lines l on l.id = te.invoice_line_id join projects p on p.id = te.project_id
  where te.billed_minor is null
), shares as (
  select id, invoice_line_id, work_date, net_minor,
    net_minor * weight / sum(weight) over line as share, net_minor * weight % sum(weight) over line as remainder
  from entries window line as (partition by invoice_line_id)
), ranked as (
  select id, share, net_minor - sum(share) over (partition by invoice_line_id) as leftover,
    row_number() over (partition by invoice_line_id order by remainder desc, work_date, id) as place
  from shares
)
update time_entries te set billed_minor = ranked.share + case when ranked.place <= ranked.leftover then 1 else 0 end
from ranked where ranked.id = te.id;
