import { useQuery } from '@tanstack/react-query';
import { compareDecimal } from '../lib/decimal.ts';
import { get } from './client.ts';
import type { User } from './types.ts';

// Invoice approval (src/http/routes/approvals.ts). A rule names the drafts that need sign-off and
// who signs off for it: the users in approverIds (any role), or any owner or admin when it names
// none. Rules are replaced whole with PUT /v1/approval-rules/{id}.

export type ApprovalRule = {
  id: string;
  name: string;
  minimumTotal: string | null;
  currency: string | null;
  customerIds: string[] | null;
  /** Who signs off for this rule; null: any owner or admin. */
  approverIds: string[] | null;
};

export type ApprovalRuleInput = { name: string; minimumTotal?: string; currency?: string; customerIds?: string[]; approverIds?: string[] };

export type ApprovalDecision = {
  decision: 'approved' | 'rejected' | string;
  userId: string | null;
  comment: string | null;
  decidedAt: string;
  /** Made on the draft as it is now; a decision on an earlier version no longer counts. */
  current: boolean;
};

export type RuleStatus = { ruleId: string; name: string; approverIds: string[] | null; status: 'pending' | 'approved' | 'rejected' };

export type Approval = {
  required: boolean;
  status: 'not_required' | 'pending' | 'approved' | 'rejected';
  rules: string[];
  /** Each matching rule's own status, in the order of `rules`. */
  ruleStatuses: RuleStatus[];
  decisions: ApprovalDecision[];
};

export const APPROVAL_RULES_KEY = ['approval-rules'];

export function useApprovalRules() {
  return useQuery({
    queryKey: APPROVAL_RULES_KEY,
    queryFn: ({ signal }) => get<{ data: ApprovalRule[] }>('/v1/approval-rules', { signal }).then((r) => r.data),
  });
}

/** Under ['invoices'] so that saving or issuing the draft (which refreshes invoices) refreshes it too. */
export function useApproval(invoiceId: string) {
  return useQuery({
    queryKey: ['invoices', 'approval', invoiceId],
    queryFn: ({ signal }) => get<Approval>(`/v1/invoices/${encodeURIComponent(invoiceId)}/approval`, { signal }),
  });
}

/** Whether this person signs off for the rule: one it names, or, when it names none, an owner or admin (as the server decides). */
export function approvesFor(rule: Pick<ApprovalRule, 'approverIds'>, user: Pick<User, 'id' | 'role'>): boolean {
  return rule.approverIds ? rule.approverIds.includes(user.id) : user.role === 'owner' || user.role === 'admin';
}

/** The people who sign off for a rule, by name; null when it names none (any owner or admin). */
export function approverNamesOf(rule: Pick<ApprovalRule, 'approverIds'>, users: User[] | undefined): string[] | null {
  if (!rule.approverIds) return null;
  return rule.approverIds.map((id) => {
    const user = users?.find((u) => u.id === id);
    return user ? (user.name ?? user.email) : '…';
  });
}
