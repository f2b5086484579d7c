-- Foundation: organizations and access, customers, catalog, invoices, credit notes, payments,
-- the double-entry ledger and idempotency keys. Money is bigint minor units beside a currency;
-- quantities, prices and rates are numeric with a stated scale. Every row carries its organization.

create table organizations (
  id text primary key,
  legal_name text not null check (length(legal_name) between 1 and 200),
  tax_id text,
  address jsonb,
  email text,
  base_currency char(3) not null,
  time_zone text not null default 'UTC',
  locale text not null default 'en',
  rounding_mode text not null default 'half_up'
    check (rounding_mode in ('half_up', 'half_even')),
  created_at timestamptz not null default now()
);

create table users (
  id text primary key,
  organization_id text not null references organizations,
  email text not null,
  name text,
  role text not null default 'owner' check (role in ('owner', 'admin', 'bookkeeper', 'member')),
  password_hash text,
  created_at timestamptz not null default now(),
  unique (organization_id, email)
);

create table api_keys (
  id text primary key,
  organization_id text not null references organizations,
  user_id text references users,
  name text not null,
  prefix text not null,
  key_hash bytea not null unique,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- Gapless numbering: one counter row per series and period, incremented inside the issuing
-- transaction (the row lock serializes issuers; a rollback gives the number back).
create table number_series (
  id text primary key,
  organization_id text not null references organizations,
  document_type text not null check (document_type in ('invoice', 'credit_note')),
  pattern text not null,
  reset_yearly boolean not null default true,
  unique (organization_id, document_type)
);

create table number_counters (
  series_id text not null references number_series,
  period integer not null, -- the year when the series resets yearly, otherwise 0
  last_value bigint not null,
  primary key (series_id, period)
);

create table customers (
  id text primary key,
  organization_id text not null references organizations,
  name text not null check (length(name) between 1 and 200),
  legal_name text,
  email text,
  tax_id text,
  legal_id text,
  address jsonb,
  currency char(3) not null,
  payment_terms_type text not null default 'net' check (payment_terms_type in ('net', 'end_of_month')),
  payment_terms_days integer not null default 30 check (payment_terms_days between 0 and 365),
  language text not null default 'en',
  tax_treatment text not null default 'standard'
    check (tax_treatment in ('standard', 'reverse_charge', 'exempt')),
  notes text,
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index customers_org_name on customers (organization_id, lower(name), id);

create table contacts (
  id text primary key,
  organization_id text not null references organizations,
  customer_id text not null references customers,
  name text,
  email text not null,
  receives_invoices boolean not null default true,
  position integer not null
);
create index contacts_customer on contacts (customer_id);

create table tax_rates (
  id text primary key,
  organization_id text not null references organizations,
  name text not null,
  percentage numeric(7, 4) not null check (percentage >= 0 and percentage < 1000),
  category text not null check (category in ('S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M')),
  exemption_reason text,
  compound boolean not null default false,
  archived_at timestamptz,
  created_at timestamptz not null default now()
);

create table items (
  id text primary key,
  organization_id text not null references organizations,
  name text not null,
  description text,
  unit text not null default 'piece',
  unit_price numeric(20, 6) not null default 0,
  tax_rate_ids text[] not null default '{}',
  archived_at timestamptz,
  created_at timestamptz not null default now()
);

-- Invoices. `state` is the stored lifecycle (draft, issued, void); the status people see
-- (open, partially_paid, paid, overdue) is derived from settlements and the due date.
create table invoices (
  id text primary key,
  organization_id text not null references organizations,
  customer_id text not null references customers,
  state text not null default 'draft' check (state in ('draft', 'issued', 'void')),
  number text,
  currency char(3) not null,
  price_mode text not null default 'exclusive' check (price_mode in ('exclusive', 'inclusive')),
  discount_percent numeric(7, 4) not null default 0,
  issue_date date,
  due_date date,
  purchase_order text,
  reference text,
  notes text,
  terms text,
  subtotal_minor bigint not null default 0,
  discount_total_minor bigint not null default 0,
  tax_total_minor bigint not null default 0,
  total_minor bigint not null default 0,
  tax_breakdown jsonb not null default '[]',
  customer_snapshot jsonb, -- the customer as it was when the invoice was issued
  void_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  issued_at timestamptz,
  voided_at timestamptz,
  unique (organization_id, number),
  check ((state = 'draft') = (number is null)),
  check (state = 'draft' or (issue_date is not null and due_date is not null))
);
create index invoices_org_created on invoices (organization_id, id);
create index invoices_customer on invoices (customer_id);

create table invoice_lines (
  id text primary key,
  organization_id text not null references organizations,
  invoice_id text not null references invoices,
  position integer not null,
  item_id text references items,
  description text not null,
  quantity numeric(20, 6) not null,
  unit text,
  unit_price numeric(20, 6) not null,
  discount_percent numeric(7, 4) not null default 0,
  taxes jsonb not null default '[]', -- snapshots of the tax rates, in the order they apply
  service_start date,
  service_end date,
  amount_minor bigint not null,
  discount_minor bigint not null,
  net_minor bigint not null,
  unique (invoice_id, position)
);

create table credit_notes (
  id text primary key,
  organization_id text not null references organizations,
  invoice_id text not null references invoices,
  customer_id text not null references customers,
  number text not null,
  currency char(3) not null,
  issue_date date not null,
  reason text,
  price_mode text not null check (price_mode in ('exclusive', 'inclusive')),
  discount_percent numeric(7, 4) not null default 0,
  subtotal_minor bigint not null,
  discount_total_minor bigint not null,
  tax_total_minor bigint not null,
  total_minor bigint not null check (total_minor > 0),
  tax_breakdown jsonb not null,
  applied_minor bigint not null check (applied_minor >= 0),   -- reduced the invoice
  credited_minor bigint not null check (credited_minor >= 0), -- became customer credit
  created_at timestamptz not null default now(),
  unique (organization_id, number),
  check (applied_minor + credited_minor = total_minor)
);

create table credit_note_lines (
  id text primary key,
  organization_id text not null references organizations,
  credit_note_id text not null references credit_notes,
  position integer not null,
  invoice_line_id text references invoice_lines,
  description text not null,
  quantity numeric(20, 6) not null,
  unit text,
  unit_price numeric(20, 6) not null,
  discount_percent numeric(7, 4) not null default 0,
  taxes jsonb not null,
  amount_minor bigint not null,
  discount_minor bigint not null,
  net_minor bigint not null,
  unique (credit_note_id, position)
);
create index credit_note_lines_invoice_line on credit_note_lines (invoice_line_id);
create index credit_notes_invoice on credit_notes (invoice_id);

create table payments (
  id text primary key,
  organization_id text not null references organizations,
  customer_id text not null references customers,
  amount_minor bigint not null check (amount_minor > 0),
  currency char(3) not null,
  received_on date not null,
  method text not null check (method in ('bank_transfer', 'card', 'cash', 'cheque', 'other')),
  reference text,
  notes text,
  created_at timestamptz not null default now()
);
create index payments_customer on payments (customer_id);

-- What reduced an invoice's open amount: a payment, a credit note, or customer credit applied.
create table settlements (
  id text primary key,
  organization_id text not null references organizations,
  invoice_id text not null references invoices,
  kind text not null check (kind in ('payment', 'credit_note', 'customer_credit')),
  payment_id text references payments,
  credit_note_id text references credit_notes,
  amount_minor bigint not null check (amount_minor > 0),
  settled_on date not null,
  created_at timestamptz not null default now(),
  check ((kind = 'payment') = (payment_id is not null)),
  check ((kind = 'credit_note') = (credit_note_id is not null))
);
create index settlements_invoice on settlements (invoice_id);
create index settlements_payment on settlements (payment_id);

-- Double-entry ledger. Each entry balances per currency; entries are never updated or deleted.
create table accounts (
  id text primary key,
  organization_id text not null references organizations,
  code text not null,
  name text not null,
  type text not null check (type in ('asset', 'liability', 'equity', 'revenue', 'expense')),
  system_key text,
  unique (organization_id, code),
  unique (organization_id, system_key)
);

create table journal_entries (
  id text primary key,
  organization_id text not null references organizations,
  entry_date date not null,
  description text not null,
  source_type text not null,
  source_id text not null,
  reverses_entry_id text references journal_entries,
  created_at timestamptz not null default now()
);
create index journal_entries_source on journal_entries (organization_id, source_type, source_id);

create table journal_lines (
  entry_id text not null references journal_entries,
  line_number integer not null,
  organization_id text not null references organizations,
  account_id text not null references accounts,
  customer_id text references customers,
  currency char(3) not null,
  debit_minor bigint not null default 0 check (debit_minor >= 0),
  credit_minor bigint not null default 0 check (credit_minor >= 0),
  memo text,
  primary key (entry_id, line_number),
  check ((debit_minor = 0) <> (credit_minor = 0))
);
create index journal_lines_account on journal_lines (organization_id, account_id, customer_id);

create function journal_entry_must_balance() returns trigger language plpgsql as $$
begin
  if exists (
    select 1 from journal_lines where entry_id = new.entry_id
    group by currency having sum(debit_minor) <> sum(credit_minor)
  ) then
    raise exception 'journal entry % does not balance', new.entry_id using errcode = '23514';
  end if;
  return null;
end $$;

-- Checked at commit, once all lines of the entry are in.
create constraint trigger journal_lines_balance after insert on journal_lines
  deferrable initially deferred for each row execute function journal_entry_must_balance();

create function ledger_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the ledger is append-only: % on % is not allowed', tg_op, tg_table_name
    using errcode = '42501';
end $$;

create trigger journal_entries_append_only before update or delete on journal_entries
  for each row execute function ledger_is_append_only();
create trigger journal_lines_append_only before update or delete on journal_lines
  for each row execute function ledger_is_append_only();
create trigger journal_entries_no_truncate before truncate on journal_entries
  for each statement execute function ledger_is_append_only();
create trigger journal_lines_no_truncate before truncate on journal_lines
  for each statement execute function ledger_is_append_only();

-- An issued document is frozen: its lines never change.
create function issued_lines_are_frozen() returns trigger language plpgsql as $$
begin
  if exists (
    select 1 from invoices
    where id = case tg_op when 'INSERT' then new.invoice_id else old.invoice_id end and state <> 'draft'
  ) then
    raise exception 'invoice is issued; its lines cannot change' using errcode = '42501';
  end if;
  return case tg_op when 'DELETE' then old else new end;
end $$;

create trigger invoice_lines_frozen before insert or update or delete on invoice_lines
  for each row execute function issued_lines_are_frozen();

-- Once issued, only voiding may change an invoice.
create function issued_invoices_are_frozen() returns trigger language plpgsql as $$
begin
  if old.state <> 'draft' and (
    (to_jsonb(old) - array['state', 'voided_at', 'void_reason', 'updated_at'])
    is distinct from (to_jsonb(new) - array['state', 'voided_at', 'void_reason', 'updated_at'])
    or old.state = 'void'
  ) then
    raise exception 'invoice % is issued and cannot be edited', old.id using errcode = '42501';
  end if;
  return new;
end $$;

create trigger invoices_frozen before update on invoices
  for each row execute function issued_invoices_are_frozen();

create table idempotency_keys (
  organization_id text not null references organizations,
  key text not null,
  request_hash text not null,
  response_status integer,
  response_body jsonb,
  created_at timestamptz not null default now(),
  primary key (organization_id, key)
);
