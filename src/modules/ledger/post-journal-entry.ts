import type { Tx } from '../../shared/db.ts';
import { assert } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { SystemAccount } from './accounts.ts';
import { entriesForSource, insertJournalEntries, systemAccountIds, type JournalEntryRow } from './ledger-store.ts';

export type PostingLine = {
  account: SystemAccount;
  customerId?: string | null;
  currency: string;
  /** Positive debits, negative credits: callers state the direction of each amount once. */
  amountMinor: bigint;
  memo?: string;
};

export type Posting = {
  organizationId: string;
  date: string;
  description: string;
  sourceType: string;
  sourceId: string;
  lines: PostingLine[];
};

const accountCache = new Map<string, Map<SystemAccount, string>>();

async function accountIds(tx: Tx, organizationId: string): Promise<Map<SystemAccount, string>> {
  let ids = accountCache.get(organizationId);
  if (!ids) {
    ids = await systemAccountIds(tx, organizationId);
    if (ids.size > 0) accountCache.set(organizationId, ids);
  }
  return ids;
}

/**
 * Posts balanced journal entries inside the caller's transaction. An entry that does not
 * balance per currency is a bug: it throws here, and the database refuses it at commit too.
 */
export async function postJournalEntries(tx: Tx, postings: Posting[]): Promise<string[]> {
  const rows: JournalEntryRow[] = [];
  for (const posting of postings) {
    const ids = await accountIds(tx, posting.organizationId);
    assertBalanced(posting);
    const lines = posting.lines
      .filter((line) => line.amountMinor !== 0n)
      .map((line) => {
        const accountId = ids.get(line.account);
        assert(accountId, `organization ${posting.organizationId} has no ${line.account} account`);
        return {
          accountId,
          customerId: line.customerId ?? null,
          currency: line.currency,
          debitMinor: line.amountMinor > 0n ? line.amountMinor : 0n,
          creditMinor: line.amountMinor < 0n ? -line.amountMinor : 0n,
          memo: line.memo ?? null,
        };
      });
    if (lines.length === 0) continue; // a zero-amount event moves nothing
    rows.push({ ...posting, id: newId('jrn'), reversesEntryId: null, lines });
  }
  await insertJournalEntries(tx, rows);
  return rows.map((row) => row.id);
}

export async function postJournalEntry(tx: Tx, posting: Posting): Promise<string | undefined> {
  const [id] = await postJournalEntries(tx, [posting]);
  return id;
}

function assertBalanced(posting: Posting): void {
  const sums = new Map<string, bigint>();
  for (const line of posting.lines) sums.set(line.currency, (sums.get(line.currency) ?? 0n) + line.amountMinor);
  for (const [currency, sum] of sums) {
    assert(sum === 0n, `journal entry for ${posting.sourceType} ${posting.sourceId} is off by ${sum} ${currency} minor units`);
  }
}

/** Corrections are new entries: each entry of the source is posted again with sides swapped. */
export async function reverseEntriesOf(
  tx: Tx,
  organizationId: string,
  source: { type: string; id: string },
  date: string,
  description: string,
): Promise<void> {
  const originals = await entriesForSource(tx, organizationId, source.type, source.id);
  const reversals = originals
    .filter((entry) => entry.reversesEntryId === null)
    .map((entry) => ({
      ...entry,
      id: newId('jrn'),
      date,
      description,
      reversesEntryId: entry.id,
      lines: entry.lines.map((line) => ({ ...line, debitMinor: line.creditMinor, creditMinor: line.debitMinor })),
    }));
  await insertJournalEntries(tx, reversals);
}
