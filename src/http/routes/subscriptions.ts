import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationOf } from '../auth.ts';
import { getBillingRun, listBillingRuns, runBilling, type BillingRun } from '../../modules/billing/index.ts';
import {
  cancelSubscription, changeSubscription, createSubscription, deleteChange, getSubscription, INTERVALS, listSubscriptions, MAX_ITEMS, recordUsage,
  SUBSCRIPTION_STATUSES,
} from '../../modules/subscriptions/index.ts';
import { billingRunJson, subscriptionJson } from '../subscription-json.ts';
import { Currency, DecimalString, Id, IdParams, IsoDate, listOf, Nullable, Pagination, problemResponses } from '../schemas.ts';

const Interval = Type.Enum(INTERVALS);
const AnchorDay = Type.Integer({ minimum: 1, maximum: 31, description: 'day of the month (clamped to its last day), or ISO weekday 1..7 when weekly' });
const IntervalCount = Type.Integer({ minimum: 1, maximum: 52 });

const ItemBody = Type.Object(
  {
    itemId: Type.Optional(Id),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    unitPrice: Type.Optional(DecimalString('a price written like "49.00"')),
    quantity: Type.Optional(DecimalString('a quantity written like "5"')),
    metered: Type.Optional(Type.Boolean({ description: 'bills the usage recorded for the period instead of a quantity' })),
    taxRateIds: Type.Optional(Type.Array(Id, { maxItems: 5 })),
  },
  { additionalProperties: false },
);
const Items = Type.Array(ItemBody, { minItems: 1, maxItems: MAX_ITEMS });

const SubscriptionBody = Type.Object(
  {
    customerId: Id,
    currency: Type.Optional(Currency),
    items: Items,
    interval: Interval,
    intervalCount: Type.Optional(IntervalCount),
    anchorDay: Type.Optional(AnchorDay),
    startDate: IsoDate,
    billingTiming: Type.Union([Type.Literal('advance'), Type.Literal('arrears')]),
    trialEnd: Type.Optional(Type.String({ format: 'date', description: 'the first day that is charged' })),
    endDate: Type.Optional(Type.String({ format: 'date', description: 'the first day that is not charged' })),
    includeUnbilledWork: Type.Optional(Type.Boolean({ description: "the billing run adds the customer's approved unbilled time and expenses (same currency, up to the run date) to this subscription's invoice; default false" })),
  },
  { additionalProperties: false },
);

const ChangeBody = Type.Object(
  {
    effectiveDate: Type.Optional(IsoDate),
    items: Type.Optional(Items),
    interval: Type.Optional(Interval),
    intervalCount: Type.Optional(IntervalCount),
    anchorDay: Type.Optional(AnchorDay),
    prorate: Type.Boolean({ description: 'true: from effectiveDate, settled for the running period; false: from the next period' }),
  },
  { additionalProperties: false },
);

const Str = Type.String();
const NStr = Nullable(Type.String());
const ItemResponse = Type.Object({ id: Str, itemId: NStr, description: Str, unitPrice: Str, quantity: Str, metered: Type.Boolean(), taxRateIds: Type.Array(Str) });
const Cycle = { interval: Interval, intervalCount: Type.Integer(), anchorDay: Type.Integer() };

const SubscriptionResponse = Type.Object({
  id: Str, customerId: Str, currency: Str, status: Type.Enum(SUBSCRIPTION_STATUSES), ...Cycle,
  billingTiming: Str, startDate: Str, trialEnd: NStr, endDate: NStr, cancelAtPeriodEnd: Type.Boolean(), canceledAt: NStr, includeUnbilledWork: Type.Boolean(),
  currentPeriod: Nullable(Type.Object({ start: Str, end: Str }, { description: 'end is exclusive: the next period starts on it' })),
  items: Type.Array(ItemResponse, { description: 'the items in effect today (or at the start)' }),
  changes: Type.Array(Type.Object({
    id: Str, effectiveDate: Str, prorate: Type.Boolean(),
    interval: Nullable(Interval), intervalCount: Nullable(Type.Integer()), anchorDay: Nullable(Type.Integer()),
    items: Nullable(Type.Array(ItemResponse)), createdAt: Str,
  })),
  createdAt: Str,
});

const Amount = Type.String({ description: 'decimal string in the currency' });
const ChargeKey = { contractType: Str, contractId: Str, periodStart: Str, periodEnd: Str };
const BillingRunResponse = Type.Object({
  runId: NStr, date: Str, dryRun: Type.Boolean(), customersProcessed: Type.Integer(), chargesBilled: Type.Integer(), invoicesCreated: Type.Integer(),
  invoices: Type.Array(Type.Object({
    invoiceId: NStr, customerId: Str, currency: Str, lineCount: Type.Integer(), subtotal: Amount, taxTotal: Amount, total: Amount,
    charges: Type.Array(Type.Object(ChargeKey)),
  })),
  skipped: Type.Array(Type.Object({ ...ChargeKey, customerId: Str, reason: Str })),
  credits: Type.Array(Type.Object({
    customerId: Str, currency: Str, invoiceId: Type.String({ description: 'the issued invoice credited' }),
    creditNoteId: Nullable(Type.String({ description: 'null in a dry run' })), total: Amount, charges: Type.Array(Type.Object(ChargeKey)),
  }), { description: 'net credits of contracts that ended with them, credited on their last issued invoice' }),
  heldWork: Type.Array(Type.Object({ customerId: Str, projectId: Str, code: Str, message: Str }), {
    description: 'unbilled work left off the invoices because it takes its project past its not-to-exceed amount; bill it with from-unbilled',
  }),
  issued: Type.Integer({ description: 'with issue: the drafts issued' }),
  issueFailures: Type.Array(Type.Object({ invoiceId: Str, code: Str, message: Str }), { description: 'with issue: the drafts that stay drafts, and why' }),
});
const BillingRunRecord = Type.Object({
  id: Str, date: Str, startedAt: Str, finishedAt: NStr, customersProcessed: Type.Integer(), chargesBilled: Type.Integer(), invoicesCreated: Type.Integer(),
});

const runJson = (run: BillingRun) => run;

export function subscriptionRoutes(app: AppInstance, { pool, clock }: RouteDeps): void {
  const tags = ['subscriptions'];
  app.post('/v1/subscriptions', {
    schema: { tags, summary: 'Create a subscription', body: SubscriptionBody, response: { 201: SubscriptionResponse, ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(subscriptionJson(await createSubscription(pool, clock, organizationOf(request), request.body))));

  app.get('/v1/subscriptions', {
    schema: {
      tags, summary: 'List subscriptions, newest first',
      querystring: Type.Intersect([Pagination, Type.Object({ customerId: Type.Optional(Id) })]),
      response: { 200: listOf(SubscriptionResponse), ...problemResponses },
    },
  }, async (request) => {
    const { limit = 50, ...filter } = request.query;
    const page = await listSubscriptions(pool, clock, organizationOf(request), { ...filter, limit });
    return { data: page.data.map(subscriptionJson), nextCursor: page.nextCursor };
  });

  app.get('/v1/subscriptions/:id', {
    schema: { tags, summary: 'A subscription with its items and changes', params: IdParams, response: { 200: SubscriptionResponse, ...problemResponses } },
  }, async (request) => subscriptionJson(await getSubscription(pool, clock, organizationOf(request), request.params.id)));

  app.post('/v1/subscriptions/:id/changes', {
    schema: {
      tags, summary: 'Change items, quantities or the interval, prorated now or from the next period', params: IdParams, body: ChangeBody,
      response: { 200: SubscriptionResponse, ...problemResponses },
    },
  }, async (request) => subscriptionJson(await changeSubscription(pool, clock, organizationOf(request), request.params.id, request.body)));

  app.delete('/v1/subscriptions/:id/changes/:changeId', {
    schema: {
      tags, summary: 'Delete a change that has not taken effect', params: Type.Object({ id: Id, changeId: Id }),
      response: { 200: SubscriptionResponse, ...problemResponses },
    },
  }, async (request) => subscriptionJson(await deleteChange(pool, clock, organizationOf(request), request.params.id, request.params.changeId)));

  app.post('/v1/subscriptions/:id/cancel', {
    schema: {
      tags, summary: 'Cancel at the end of the current period (default) or today', params: IdParams,
      body: Type.Object({ atPeriodEnd: Type.Optional(Type.Boolean({ default: true })) }, { additionalProperties: false }),
      response: { 200: SubscriptionResponse, ...problemResponses },
    },
  }, async (request) => subscriptionJson(await cancelSubscription(pool, clock, organizationOf(request), request.params.id, { atPeriodEnd: request.body.atPeriodEnd ?? true })));

  app.post('/v1/subscriptions/:id/usage', {
    schema: {
      tags, summary: 'Record usage of a metered item', params: IdParams,
      body: Type.Object({
        subscriptionItemId: Type.Optional(Id), date: Type.Optional(IsoDate), quantity: DecimalString('a quantity written like "1200"'),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Str, subscriptionId: Str, subscriptionItemId: Str, date: Str, quantity: Str, createdAt: Str }), ...problemResponses },
    },
  }, async (request, reply) => reply.status(201).send(await recordUsage(pool, clock, organizationOf(request), request.params.id, request.body)));

  app.post('/v1/billing-runs', {
    schema: {
      tags: ['billing runs'], summary: 'Bill everything due on a date (default today): one draft per customer and currency; dryRun writes nothing; issue issues the drafts',
      body: Type.Object({
        date: Type.Optional(IsoDate), dryRun: Type.Optional(Type.Boolean()),
        issue: Type.Optional(Type.Boolean({ description: 'issue each draft the run created once the run has committed; a draft that cannot be issued (approval_required) stays a draft and is listed in issueFailures' })),
      }, { additionalProperties: false }),
      response: { 200: BillingRunResponse, ...problemResponses },
    },
  }, async (request) => billingRunJson(await runBilling(pool, clock, organizationOf(request), request.body)));

  app.get('/v1/billing-runs', {
    schema: { tags: ['billing runs'], summary: 'The latest billing runs', response: { 200: Type.Object({ data: Type.Array(BillingRunRecord) }) } },
  }, async (request) => ({ data: (await listBillingRuns(pool, organizationOf(request), 50)).map(runJson) }));

  app.get('/v1/billing-runs/:id', {
    schema: { tags: ['billing runs'], summary: 'A billing run and its counts', params: IdParams, response: { 200: BillingRunRecord, ...problemResponses } },
  }, async (request) => runJson(await getBillingRun(pool, organizationOf(request), request.params.id)));
}
