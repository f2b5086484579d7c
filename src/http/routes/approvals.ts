import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationOf } from '../auth.ts';
import {
  approvalOf, createApprovalRule, decideInvoice, deleteApprovalRule, getInvoice, listApprovalRules, updateApprovalRule, type ApprovalRule,
} from '../../modules/invoicing/index.ts';
import { formatAmount } from '../../shared/money.ts';
import { AmountString, Currency, Id, IdParams, Nullable, problemResponses, Text } from '../schemas.ts';

const RuleResponse = Type.Object({
  id: Type.String(), name: Type.String(), minimumTotal: Nullable(Type.String()), currency: Nullable(Type.String()), customerIds: Nullable(Type.Array(Type.String())),
  approverIds: Nullable(Type.Array(Type.String(), { description: 'who signs off; null: any owner or admin' })),
});

const ApprovalResponse = Type.Object({
  required: Type.Boolean(),
  status: Type.Enum(['not_required', 'pending', 'approved', 'rejected'] as const),
  rules: Type.Array(Type.String()),
  ruleStatuses: Type.Array(Type.Object({
    ruleId: Type.String(), name: Type.String(), approverIds: Nullable(Type.Array(Type.String(), { description: 'null: any owner or admin' })),
    status: Type.Enum(['pending', 'approved', 'rejected'] as const),
  })),
  decisions: Type.Array(Type.Object({
    decision: Type.String(), userId: Nullable(Type.String()), comment: Nullable(Type.String()), decidedAt: Type.String(),
    current: Type.Boolean({ description: 'made on the current version of the draft' }),
  })),
});

const RuleBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  minimumTotal: Type.Optional(AmountString),
  currency: Type.Optional(Currency),
  customerIds: Type.Optional(Type.Array(Id, { maxItems: 500 })),
  approverIds: Type.Optional(Type.Array(Id, { maxItems: 50, description: 'users who sign off (any role); default: any owner or admin' })),
}, { additionalProperties: false });

function ruleJson(rule: ApprovalRule) {
  return {
    id: rule.id, name: rule.name, currency: rule.currency, customerIds: rule.customerIds, approverIds: rule.approverIds,
    minimumTotal: rule.minimumTotalMinor === null ? null : formatAmount(rule.minimumTotalMinor, rule.currency!),
  };
}

export function approvalRoutes(app: AppInstance, { pool, clock }: RouteDeps): void {
  app.get('/v1/approval-rules', {
    schema: { tags: ['invoices'], summary: 'Rules that make drafts need approval before issuing', response: { 200: Type.Object({ data: Type.Array(RuleResponse) }) } },
  }, async (request) => ({ data: (await listApprovalRules(pool, organizationOf(request))).map(ruleJson) }));

  app.post('/v1/approval-rules', {
    schema: {
      tags: ['invoices'], summary: 'Require approval for invoices above an amount, for some customers, or both (owners and admins)',
      body: RuleBody,
      response: { 201: RuleResponse, ...problemResponses },
    },
  }, async (request, reply) => reply.status(201).send(ruleJson(await createApprovalRule(pool, organizationOf(request), request.principal?.userId ?? null, request.body))));

  app.put('/v1/approval-rules/:id', {
    schema: { tags: ['invoices'], summary: 'Replace an approval rule (owners and admins)', params: IdParams, body: RuleBody, response: { 200: RuleResponse, ...problemResponses } },
  }, async (request) => ruleJson(await updateApprovalRule(pool, organizationOf(request), request.principal?.userId ?? null, request.params.id, request.body)));

  app.delete('/v1/approval-rules/:id', {
    schema: { tags: ['invoices'], summary: 'Delete an approval rule (owners and admins)', params: IdParams, response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    await deleteApprovalRule(pool, organizationOf(request), request.principal?.userId ?? null, request.params.id);
    return reply.status(204).send(null);
  });

  app.get('/v1/invoices/:id/approval', {
    schema: { tags: ['invoices'], summary: 'Whether a draft needs approval, and the decisions so far', params: IdParams, response: { 200: ApprovalResponse, ...problemResponses } },
  }, async (request) => {
    const organizationId = organizationOf(request);
    return approvalOf(pool, organizationId, await getInvoice(pool, clock, organizationId, request.params.id));
  });

  for (const [action, decision] of [['approve', 'approved'], ['reject', 'rejected']] as const) {
    app.post(`/v1/invoices/:id/${action}`, {
      schema: {
        tags: ['invoices'], summary: `${action === 'approve' ? 'Approve' : 'Reject'} a draft (the rule's approvers; by default owners and admins)`, params: IdParams,
        body: Type.Object({ comment: Type.Optional(Nullable(Text(1000))) }, { additionalProperties: false }),
        response: { 200: ApprovalResponse, ...problemResponses },
      },
    }, async (request) => decideInvoice(pool, clock, organizationOf(request), request.principal?.userId ?? null, request.params.id, decision, request.body.comment ?? null));
  }
}
