import { useQuery } from '@tanstack/react-query';
import { get } from './client.ts';

// Invoice approval (src/http/routes/approvals.ts). Any owner or admin approves: the API has no
// approvers per rule, and rules cannot be changed, only deleted and added again.

export type ApprovalRule = { id: string; name: string; minimumTotal: string | null; currency: string | null; customerIds: string[] | null };

export type ApprovalRuleInput = { name: string; minimumTotal?: string; currency?: string; customerIds?: string[] };

export type ApprovalDecision = {
  decision: 'approved' | 'rejected' | string;
  userId: string | null;
  comment: string | null;
  decidedAt: string;
  /** Made on the draft as it is now; a decision on an earlier version no longer counts. */
  current: boolean;
};

export type Approval = {
  required: boolean;
  status: 'not_required' | 'pending' | 'approved' | 'rejected';
  rules: string[];
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
