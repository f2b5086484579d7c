-- Invoice approval: rules say which drafts need an approver's sign-off before they are issued;
-- decisions record who approved or rejected which version of the draft, and when.

create table approval_rules (
  id text primary key,
  organization_id text not null references organizations,
  name text not null,
  minimum_total_minor bigint check (minimum_total_minor >= 0),
  currency char(3),
  customer_ids text[],
  created_at timestamptz not null default now(),
  check ((minimum_total_minor is null) = (currency is null)),
  check (minimum_total_minor is not null or customer_ids is not null)
);

create table invoice_approvals (
  id text primary key,
  organization_id text not null references organizations,
  invoice_id text not null references invoices on delete cascade,
  decision text not null check (decision in ('approved', 'rejected')),
  user_id text references users,
  comment text,
  draft_version timestamptz not null, -- the draft's updated_at the decision was about
  decided_at timestamptz not null
);
create index invoice_approvals_invoice on invoice_approvals (invoice_id, decided_at);
