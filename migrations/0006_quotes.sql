-- Quotes (estimates, proposals, statements of work): drafted like invoices, numbered from their
-- own series when sent, answered by the customer through a link (accepted or declined), and
-- turned into a draft invoice once accepted. Expiry (past valid_until) and conversion are derived
-- in the quotes module, never stored as a state.

alter table number_series drop constraint number_series_document_type_check;
alter table number_series add constraint number_series_document_type_check
  check (document_type in ('invoice', 'credit_note', 'quote'));

-- Organizations created before quotes existed get the default series (new ones get it from
-- createDefaultNumberSeries). The id only needs to be unique: derived from the organization's.
insert into number_series (id, organization_id, document_type, pattern, reset_yearly)
select 'ser_quote_' || o.id, o.id, 'quote', 'QUO-{YYYY}-{seq:4}', true from organizations o
on conflict (organization_id, document_type) do nothing;

create table quotes (
  id text primary key,
  organization_id text not null references organizations,
  customer_id text not null references customers,
  state text not null default 'draft' check (state in ('draft', 'sent', 'accepted', 'declined')),
  number text,
  title text,
  currency char(3) not null,
  price_mode text not null default 'exclusive' check (price_mode in ('exclusive', 'inclusive')),
  discount_percent numeric(7, 4) not null default 0,
  valid_until date, -- the last day it can be accepted; none: it does not expire
  notes text,
  terms text,
  subtotal_minor bigint not null default 0,
  discount_total_minor bigint not null default 0,
  tax_total_minor bigint not null default 0,
  total_minor bigint not null default 0,
  tax_breakdown jsonb not null default '[]',
  accept_token_hash bytea unique, -- SHA-256 of the link's token; the token itself is shown once, on send
  sent_at timestamptz,
  accepted_by_name text,
  accepted_at timestamptz,
  declined_reason text,
  declined_at timestamptz,
  -- The invoice made from the quote. Deleting that draft sets this back to null, so the quote is
  -- accepted (and convertible) again rather than pointing at nothing.
  converted_invoice_id text unique references invoices on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, number),
  check ((state = 'draft') = (number is null)),
  check ((state = 'draft') = (accept_token_hash is null)),
  check ((state = 'accepted') = (accepted_at is not null and accepted_by_name is not null)),
  check ((state = 'declined') = (declined_at is not null)),
  check (converted_invoice_id is null or state = 'accepted')
);
create index quotes_org_created on quotes (organization_id, id);
create index quotes_customer on quotes (customer_id);

create table quote_lines (
  id text primary key,
  organization_id text not null references organizations,
  quote_id text not null references quotes,
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
  unique (quote_id, position)
);

-- A sent quote is what the customer sees and answers: its lines never change.
create function sent_quote_lines_are_frozen() returns trigger language plpgsql as $$
begin
  if exists (
    select 1 from quotes
    where id = case tg_op when 'INSERT' then new.quote_id else old.quote_id end and state <> 'draft'
  ) then
    raise exception 'quote is sent; its lines cannot change' using errcode = '42501';
  end if;
  return case tg_op when 'DELETE' then old else new end;
end $$;

create trigger quote_lines_frozen before insert or update or delete on quote_lines
  for each row execute function sent_quote_lines_are_frozen();

-- Once sent, only the customer's answer and the conversion may change a quote.
create function sent_quotes_are_frozen() returns trigger language plpgsql as $$
declare
  answer text[] := array['state', 'accepted_by_name', 'accepted_at', 'declined_reason', 'declined_at', 'converted_invoice_id', 'updated_at'];
begin
  if old.state <> 'draft' and (to_jsonb(old) - answer) is distinct from (to_jsonb(new) - answer) then
    raise exception 'quote % is sent and cannot be edited', old.id using errcode = '42501';
  end if;
  return new;
end $$;

create trigger quotes_frozen before update on quotes
  for each row execute function sent_quotes_are_frozen();
