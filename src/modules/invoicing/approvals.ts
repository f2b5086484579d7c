import type { Clock } from '../../shared/clock.ts';
import { assertCurrency } from '../../shared/currencies.ts';
import { inTransaction, type Pool, type Queryable, type Tx } from '../../shared/db.ts';
import { conflict, DomainError, invalid, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { parseAmount } from '../../shared/money.ts';
import { roleOf } from '../access/index.ts';
import { findInvoice } from './invoice-store.ts';
import { todayFor } from './today.ts';

/**
 * A rule names drafts that need sign-off: above an amount (in one currency), for given customers,
 * or both; and who signs off: the users it names, or (when it names none) any owner or admin.
 */
export type ApprovalRule = {
  id: string; name: string; minimumTotalMinor: bigint | null; currency: string | null; customerIds: string[] | null; approverIds: string[] | null;
};
export type ApprovalRuleInput = { name: string; minimumTotal?: string; currency?: string; customerIds?: string[]; approverIds?: string[] };
export type ApprovalStatus = 'not_required' | 'pending' | 'approved' | 'rejected';
export type ApprovalDecision = { decision: 'approved' | 'rejected'; userId: string | null; comment: string | null; decidedAt: string; current: boolean };
export type Approval = {
  required: boolean; status: ApprovalStatus; rules: string[];
  /** Each matching rule's own status: its latest decision on this version by one of its approvers. */
  ruleStatuses: Array<{ ruleId: string; name: string; approverIds: string[] | null; status: Exclude<ApprovalStatus, 'not_required'> }>;
  decisions: ApprovalDecision[];
};

type Decider = { userId: string | null; role: string | null };

/** Whether this person signs off for the rule: one it names, or, when it names none, an owner or admin. */
function approves(rule: Pick<ApprovalRule, 'approverIds'>, { userId, role }: Decider): boolean {
  return rule.approverIds ? userId !== null && rule.approverIds.includes(userId) : role === 'owner' || role === 'admin';
}

/** Every condition of a rule must hold; any matching rule makes approval necessary. */
export function matchingRules(rules: ApprovalRule[], invoice: { customerId: string; currency: string; totalMinor: bigint }): ApprovalRule[] {
  return rules.filter((rule) =>
    (rule.minimumTotalMinor === null || (rule.currency === invoice.currency && invoice.totalMinor >= rule.minimumTotalMinor)) &&
    (rule.customerIds === null || rule.customerIds.includes(invoice.customerId)));
}

function ruleFromRow(row: Record<string, any>): ApprovalRule {
  return {
    id: row.id, name: row.name, minimumTotalMinor: row.minimum_total_minor === null ? null : BigInt(row.minimum_total_minor),
    currency: row.currency, customerIds: row.customer_ids, approverIds: row.approver_ids,
  };
}

export async function listApprovalRules(db: Queryable, organizationId: string): Promise<ApprovalRule[]> {
  const { rows } = await db.query(`select * from approval_rules where organization_id = $1 order by created_at, id`, [organizationId]);
  return rows.map(ruleFromRow);
}

/** Rules are a control on who may issue what: only owners and admins set them. */
async function assertRuleManager(tx: Tx, organizationId: string, userId: string | null): Promise<void> {
  const role = userId ? await roleOf(tx, organizationId, userId) : null;
  if (role !== 'owner' && role !== 'admin') throw new DomainError('forbidden', 'forbidden', 'Only owners and admins set approval rules.');
}

export async function createApprovalRule(pool: Pool, organizationId: string, userId: string | null, input: ApprovalRuleInput): Promise<ApprovalRule> {
  return inTransaction(pool, async (tx) => {
    await assertRuleManager(tx, organizationId, userId);
    const rule = await checkRule(tx, organizationId, input);
    const { rows } = await tx.query(
      `insert into approval_rules (id, organization_id, name, minimum_total_minor, currency, customer_ids, approver_ids)
       values ($1, $2, $3, $4, $5, $6, $7) returning *`,
      [newId('apr'), organizationId, rule.name, rule.minimumTotalMinor?.toString() ?? null, rule.currency, rule.customerIds, rule.approverIds],
    );
    return ruleFromRow(rows[0]);
  });
}

/** Replaces a rule's terms (the whole rule, as when it was created); decisions already made stay as they were. */
export async function updateApprovalRule(pool: Pool, organizationId: string, userId: string | null, id: string, input: ApprovalRuleInput): Promise<ApprovalRule> {
  return inTransaction(pool, async (tx) => {
    await assertRuleManager(tx, organizationId, userId);
    const rule = await checkRule(tx, organizationId, input);
    const { rows } = await tx.query(
      `update approval_rules set name = $3, minimum_total_minor = $4, currency = $5, customer_ids = $6, approver_ids = $7
       where organization_id = $1 and id = $2 returning *`,
      [organizationId, id, rule.name, rule.minimumTotalMinor?.toString() ?? null, rule.currency, rule.customerIds, rule.approverIds],
    );
    if (!rows[0]) throw notFound('approval_rule', id);
    return ruleFromRow(rows[0]);
  });
}

async function checkRule(tx: Tx, organizationId: string, input: ApprovalRuleInput): Promise<Omit<ApprovalRule, 'id'>> {
  if (!input.name.trim()) throw invalid('name', 'must not be empty');
  if ((input.minimumTotal === undefined) !== (input.currency === undefined)) throw invalid('currency', 'give minimumTotal and currency together');
  if (input.minimumTotal === undefined && !input.customerIds?.length) throw invalid('minimumTotal', 'a rule needs a minimum total, customers, or both');
  if (input.currency !== undefined) assertCurrency(input.currency, 'currency');
  const minimum = input.minimumTotal === undefined ? null : parseAmount(input.minimumTotal, input.currency!, 'minimumTotal');
  for (const [field, table, ids] of [['customerIds', 'customers', input.customerIds], ['approverIds', 'users', input.approverIds]] as const) {
    if (!ids?.length) continue;
    const { rows } = await tx.query(`select count(*)::int as found from ${table} where organization_id = $1 and id = any($2::text[])`, [organizationId, ids]);
    if (rows[0].found !== new Set(ids).size) {
      throw invalid(field, `names a ${table === 'users' ? 'user' : 'customer'} that does not exist`, table === 'users' ? 'user_not_found' : 'customer_not_found');
    }
  }
  return {
    name: input.name.trim(), minimumTotalMinor: minimum, currency: input.currency ?? null,
    customerIds: input.customerIds?.length ? input.customerIds : null, approverIds: input.approverIds?.length ? [...new Set(input.approverIds)] : null,
  };
}

export async function deleteApprovalRule(pool: Pool, organizationId: string, userId: string | null, id: string): Promise<void> {
  await inTransaction(pool, async (tx) => {
    await assertRuleManager(tx, organizationId, userId);
    const { rowCount } = await tx.query(`delete from approval_rules where organization_id = $1 and id = $2`, [organizationId, id]);
    if (rowCount === 0) throw notFound('approval_rule', id);
  });
}

/**
 * Where a draft stands: a decision counts only for the version of the draft it was made on, and
 * only for the rules its maker approves for. Approved once every matching rule is; rejected when
 * any is.
 */
export async function approvalOf(db: Queryable, organizationId: string, invoice: { id: string; customerId: string; currency: string; totalMinor: bigint }): Promise<Approval> {
  const rules = matchingRules(await listApprovalRules(db, organizationId), invoice);
  const { rows } = await db.query(
    `select a.decision, a.user_id, u.role, a.comment, a.decided_at, a.draft_version = i.updated_at as current
     from invoice_approvals a join invoices i on i.id = a.invoice_id left join users u on u.id = a.user_id
     where a.invoice_id = $1 order by a.decided_at, a.id`,
    [invoice.id],
  );
  const decisions: ApprovalDecision[] = rows.map((row) => ({
    decision: row.decision, userId: row.user_id, comment: row.comment, decidedAt: row.decided_at.toISOString(), current: row.current,
  }));
  const ruleStatuses = rules.map((rule) => {
    const latest = rows.filter((row) => row.current && approves(rule, { userId: row.user_id, role: row.role })).at(-1);
    return { ruleId: rule.id, name: rule.name, approverIds: rule.approverIds, status: (latest?.decision ?? 'pending') as 'approved' | 'rejected' | 'pending' };
  });
  const status: ApprovalStatus = rules.length === 0 ? 'not_required'
    : ruleStatuses.some((r) => r.status === 'rejected') ? 'rejected'
    : ruleStatuses.every((r) => r.status === 'approved') ? 'approved' : 'pending';
  return { required: rules.length > 0, status, rules: rules.map((rule) => rule.name), ruleStatuses, decisions };
}

/** Called by issueInvoice inside its transaction: a draft that needs approval is issued only once approved. */
export async function assertApproved(tx: Tx, organizationId: string, invoice: { id: string; customerId: string; currency: string; totalMinor: bigint }): Promise<void> {
  if (matchingRules(await listApprovalRules(tx, organizationId), invoice).length === 0) return; // the common case: one query
  const approval = await approvalOf(tx, organizationId, invoice);
  if (approval.required && approval.status !== 'approved') {
    throw conflict('approval_required', `This invoice needs approval (${approval.rules.join(', ')}) before it can be issued; it is ${approval.status}.`);
  }
}

export async function decideInvoice(
  pool: Pool,
  clock: Clock,
  organizationId: string,
  userId: string | null,
  invoiceId: string,
  decision: 'approved' | 'rejected',
  comment: string | null,
): Promise<Approval> {
  return inTransaction(pool, async (tx) => {
    const invoice = await findInvoice(tx, organizationId, invoiceId, await todayFor(tx, organizationId, clock), { lock: true });
    // The decider must approve for at least one matching rule (for none: be an owner or admin).
    const rules = matchingRules(await listApprovalRules(tx, organizationId), invoice);
    const decider = { userId, role: userId ? await roleOf(tx, organizationId, userId) : null };
    if (!(rules.length > 0 ? rules : [{ approverIds: null }]).some((rule) => approves(rule, decider))) {
      throw new DomainError('forbidden', 'forbidden', rules.length > 0 ? `You are not an approver of ${rules.map((r) => r.name).join(', ')}.` : 'Only owners and admins approve invoices.');
    }
    if (invoice.state !== 'draft') throw conflict('invoice_not_draft', `Invoice ${invoice.number} is already ${invoice.state}.`);
    await tx.query(
      `insert into invoice_approvals (id, organization_id, invoice_id, decision, user_id, comment, draft_version, decided_at)
       select $1, $2, $3, $4, $5, $6, updated_at, $7 from invoices where id = $3`,
      [newId('apv'), organizationId, invoiceId, decision, userId, comment, clock.now().toISOString()],
    );
    return approvalOf(tx, organizationId, invoice);
  });
}
