-- People: passwords (argon2id, in users.password_hash since 0001), server-side sessions,
-- invitations and the throttle on failed sign-ins. Tokens are never stored, only their SHA-256,
-- so a database leak leaks no session or invitation. Instants come from the application's clock.

-- A person signs in with an e-mail address alone, so an address with a password names one user.
create unique index users_email_with_password on users (lower(email)) where password_hash is not null;

create table sessions (
  id bytea primary key, -- SHA-256 of the token in the cookie
  user_id text not null references users,
  organization_id text not null references organizations,
  csrf_token text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null, -- slides forward while the session is used
  last_seen_at timestamptz not null,
  check (expires_at > created_at)
);
create index sessions_user on sessions (user_id);

create table invitations (
  id text primary key,
  organization_id text not null references organizations,
  email text not null,
  role text not null check (role in ('admin', 'bookkeeper', 'member')),
  token_hash bytea not null unique,
  invited_by text references users,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_by text references users,
  check ((accepted_at is null) = (accepted_by is null))
);
create index invitations_org on invitations (organization_id, created_at);

-- One row per failed sign-in, by the address typed (known or not); old rows are pruned as new
-- ones arrive. Shared by every process on the database, unlike a counter in memory.
create table sign_in_failures (
  email text not null,
  failed_at timestamptz not null
);
create index sign_in_failures_email on sign_in_failures (email, failed_at);
create index sign_in_failures_failed_at on sign_in_failures (failed_at);
