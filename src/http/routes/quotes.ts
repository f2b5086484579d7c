import { Type } from 'typebox';
import type { AppInstance, RouteDeps } from '../app.ts';
import { organizationOf } from '../auth.ts';
import { MAX_LINES, type InvoiceLine, type TaxBreakdownLine } from '../../modules/invoicing/index.ts';
import {
  acceptQuote, convertQuote, convertQuoteToProject, createDraftQuote, declineQuote, getPublicQuote, getQuote, listQuotes, QUOTE_STATUSES, sendQuote, updateDraftQuote,
  type PublicQuote, type Quote,
} from '../../modules/quotes/index.ts';
import { formatAmount } from '../../shared/money.ts';
import { InvoiceResponse } from '../response-schemas.ts';
import { Currency, DecimalString, Id, IdParams, IsoDate, listOf, Nullable, Pagination, Problem, problemResponses, Text } from '../schemas.ts';
import { invoiceJson } from '../serializers.ts';
import { ProjectResponse } from './work-json.ts';
import { LineBody } from './invoices.ts';

const QuoteBody = Type.Object(
  {
    customerId: Id,
    currency: Type.Optional(Currency),
    priceMode: Type.Optional(Type.Union([Type.Literal('exclusive'), Type.Literal('inclusive')])),
    lines: Type.Array(LineBody, { maxItems: MAX_LINES }),
    discountPercent: Type.Optional(DecimalString('a percentage written like "10" or "12.5"')),
    title: Type.Optional(Nullable(Text(200))),
    validUntil: Type.Optional(Nullable(IsoDate)),
    notes: Type.Optional(Nullable(Text(5000))),
    terms: Type.Optional(Nullable(Text(5000))),
  },
  { additionalProperties: false },
);

// Responses. Lines and tax breakdown have the invoice's shapes; the customer's view through the
// link leaves out internal ids (customer, items, the invoice made from it).

const Str = Type.String();
const NStr = Nullable(Type.String());
const Amount = Type.String({ description: 'decimal string in the currency of the quote' });
const InvoiceLineSchema = InvoiceResponse.properties.lines.items;

const shared = {
  number: NStr, status: Type.Enum(QUOTE_STATUSES), title: NStr, currency: Str, priceMode: Str, discountPercent: Str, validUntil: NStr,
  notes: NStr, terms: NStr, subtotal: Amount, discountTotal: Amount, taxTotal: Amount, taxBreakdown: InvoiceResponse.properties.taxBreakdown,
  total: Amount, sentAt: NStr, acceptedByName: NStr, acceptedAt: NStr, declinedReason: NStr, declinedAt: NStr,
};

const QuoteResponse = Type.Object({
  id: Str, customerId: Str, ...shared, lines: Type.Array(InvoiceLineSchema), convertedInvoiceId: NStr, convertedProjectId: NStr, createdAt: Str,
});
const SentQuoteResponse = Type.Object({ ...QuoteResponse.properties, publicUrl: Type.String({ description: 'the link for the customer, shown only now' }) });
const PublicQuoteResponse = Type.Object({
  organizationName: Str, customerName: Str, ...shared, lines: Type.Array(Type.Omit(InvoiceLineSchema, ['id', 'itemId', 'taxRateIds'])),
});

const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) });

function linesJson(lines: InvoiceLine[], currency: string) {
  return lines.map(({ amountMinor, discountMinor, netMinor, ...line }) => ({
    ...line, taxRateIds: line.taxes.map((tax) => tax.id),
    amount: formatAmount(amountMinor, currency), discount: formatAmount(discountMinor, currency), net: formatAmount(netMinor, currency),
  }));
}

function breakdownJson(list: TaxBreakdownLine[], currency: string) {
  return list.map(({ taxableMinor, taxMinor, ...entry }) => ({ ...entry, taxable: formatAmount(taxableMinor, currency), tax: formatAmount(taxMinor, currency) }));
}

function sharedJson(quote: Quote) {
  const c = quote.currency;
  return {
    number: quote.number, status: quote.status, title: quote.title, currency: c, priceMode: quote.priceMode, discountPercent: quote.discountPercent,
    validUntil: quote.validUntil, notes: quote.notes, terms: quote.terms,
    subtotal: formatAmount(quote.subtotalMinor, c), discountTotal: formatAmount(quote.discountTotalMinor, c),
    taxTotal: formatAmount(quote.taxTotalMinor, c), taxBreakdown: breakdownJson(quote.taxBreakdown, c), total: formatAmount(quote.totalMinor, c),
    sentAt: quote.sentAt, acceptedByName: quote.acceptedByName, acceptedAt: quote.acceptedAt, declinedReason: quote.declinedReason, declinedAt: quote.declinedAt,
  };
}

function quoteJson(quote: Quote) {
  return {
    id: quote.id, customerId: quote.customerId, ...sharedJson(quote), lines: linesJson(quote.lines, quote.currency),
    convertedInvoiceId: quote.convertedInvoiceId, convertedProjectId: quote.convertedProjectId, createdAt: quote.createdAt,
  };
}

function publicQuoteJson(quote: PublicQuote) {
  return {
    organizationName: quote.organizationName, customerName: quote.customerName, ...sharedJson(quote),
    lines: linesJson(quote.lines, quote.currency).map(({ id: _id, itemId: _itemId, taxRateIds: _taxRateIds, ...line }) => line),
  };
}

export function quoteRoutes(app: AppInstance, { pool, clock }: RouteDeps): void {
  app.post('/v1/quotes', {
    schema: { tags: ['quotes'], summary: 'Create a draft quote', body: QuoteBody, response: { 201: QuoteResponse, ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(quoteJson(await createDraftQuote(pool, clock, organizationOf(request), request.body))));

  app.get('/v1/quotes', {
    schema: {
      tags: ['quotes'], summary: 'List quotes, newest first',
      querystring: Type.Intersect([Pagination, Type.Object({ status: Type.Optional(Type.Enum(QUOTE_STATUSES)), customerId: Type.Optional(Id) })]),
      response: { 200: listOf(QuoteResponse), ...problemResponses },
    },
  }, async (request) => {
    const { limit = 50, ...filter } = request.query;
    const page = await listQuotes(pool, clock, organizationOf(request), { ...filter, limit });
    return { data: page.data.map(quoteJson), nextCursor: page.nextCursor };
  });

  app.get('/v1/quotes/:id', {
    schema: { tags: ['quotes'], summary: 'A quote with its lines', params: IdParams, response: { 200: QuoteResponse, ...problemResponses } },
  }, async (request) => quoteJson(await getQuote(pool, clock, organizationOf(request), request.params.id)));

  app.put('/v1/quotes/:id', {
    schema: { tags: ['quotes'], summary: 'Replace a draft quote', params: IdParams, body: QuoteBody, response: { 200: QuoteResponse, ...problemResponses } },
  }, async (request) => quoteJson(await updateDraftQuote(pool, clock, organizationOf(request), request.params.id, request.body)));

  app.post('/v1/quotes/:id/send', {
    schema: {
      tags: ['quotes'], summary: 'Send a draft: its number and the link the customer answers through', params: IdParams,
      response: { 200: SentQuoteResponse, ...problemResponses },
    },
  }, async (request) => {
    const { quote, publicUrl } = await sendQuote(pool, clock, organizationOf(request), request.params.id);
    return { ...quoteJson(quote), publicUrl };
  });

  app.post('/v1/quotes/:id/convert', {
    schema: {
      tags: ['quotes'], summary: 'Turn an accepted quote into a draft invoice (once)', params: IdParams,
      response: { 201: InvoiceResponse, ...problemResponses },
    },
  }, async (request, reply) => reply.status(201).send(invoiceJson(await convertQuote(pool, clock, organizationOf(request), request.params.id))));

  app.post('/v1/quotes/:id/convert-to-project', {
    schema: {
      tags: ['quotes'], params: IdParams, response: { 201: ProjectResponse, ...problemResponses },
      summary: "Turn an accepted quote into a fixed-price project (once): the quote's net total, its tax rates, one milestone per line",
    },
  }, async (request, reply) => reply.status(201).send(await convertQuoteToProject(pool, clock, organizationOf(request), request.params.id)));

  // The customer's side: the token in the link is the only credential.
  app.get('/v1/public/quotes/:token', {
    config: { public: true },
    schema: {
      tags: ['quotes'], summary: 'A sent quote as its customer sees it (no sign-in)', security: [], params: TokenParams,
      response: { 200: PublicQuoteResponse, 404: Problem },
    },
  }, async (request) => publicQuoteJson(await getPublicQuote(pool, clock, request.params.token)));

  app.post('/v1/public/quotes/:token/accept', {
    config: { public: true },
    schema: {
      tags: ['quotes'], summary: 'Accept a quote, in the name of the person accepting', security: [], params: TokenParams,
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'text that is not blank' }) }, { additionalProperties: false }),
      response: { 200: PublicQuoteResponse, 400: Problem, 404: Problem, 409: Problem, 422: Problem },
    },
  }, async (request) => publicQuoteJson(await acceptQuote(pool, clock, request.params.token, request.body)));

  app.post('/v1/public/quotes/:token/decline', {
    config: { public: true },
    schema: {
      tags: ['quotes'], summary: 'Decline a quote, optionally saying why', security: [], params: TokenParams,
      body: Type.Object({ reason: Type.Optional(Nullable(Text(1000))) }, { additionalProperties: false }),
      response: { 200: PublicQuoteResponse, 400: Problem, 404: Problem, 409: Problem },
    },
  }, async (request) => publicQuoteJson(await declineQuote(pool, clock, request.params.token, request.body)));
}
