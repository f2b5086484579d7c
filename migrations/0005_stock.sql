-- Stock-tracked items for firms that resell hardware or goods: quantity on hand moves with
-- issued invoices, credit notes, voids and manual adjustments, each movement recorded.

alter table items
  add column track_stock boolean not null default false,
  add column quantity_on_hand numeric(20, 6) not null default 0,
  add column low_stock_threshold numeric(20, 6);

alter table organizations add column allow_negative_stock boolean not null default false;

create table stock_movements (
  id text primary key,
  organization_id text not null references organizations,
  item_id text not null references items,
  quantity_change numeric(20, 6) not null check (quantity_change <> 0),
  reason text not null check (reason in ('invoice_issued', 'invoice_voided', 'credit_note', 'adjustment')),
  source_id text,
  note text,
  created_at timestamptz not null default now()
);
create index stock_movements_item on stock_movements (item_id, created_at);
