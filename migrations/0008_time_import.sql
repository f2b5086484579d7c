-- Time entries imported from a CSV file (Toggl, Clockify, Harvest, plain) carry the key of the row
-- they came from, so importing the same file again adds nothing. Entries made otherwise have none.
alter table time_entries add column import_key text check (import_key is null or length(import_key) = 64);
create unique index time_entries_import_key on time_entries (organization_id, import_key) where import_key is not null;
