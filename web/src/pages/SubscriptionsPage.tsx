import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { fieldErrorsOf, post } from '../api/client.ts';
import { useCustomerNames } from '../api/queries.ts';
import {
  INTERVAL_LABELS, SUBSCRIPTION_STATUS_LABELS, useSubscription, useSubscriptions, type Interval, type Subscription, type SubscriptionItem, type SubscriptionStatus,
} from '../api/subscriptions.ts';
import { DataTable, RowLink } from '../components/DataTable.tsx';
import { CustomerSelect, RadioCards } from '../components/fields.tsx';
import { Icon } from '../components/Icon.tsx';
import { blankPriceLine, PriceLines, priceLinesReady, type PriceLineDraft } from '../components/PriceLines.tsx';
import { ListStates } from '../components/lists.tsx';
import { DefinitionList, Dialog, DialogActions, EmptyState, ErrorPanel, Field, Form, FormError, Money, PageHeader, PanelSection, Skeleton, useTitle } from '../components/ui.tsx';
import { periodRange, toApiDecimal, useFormat } from '../lib/format.ts';
import { useToast } from '../lib/toast.tsx';

const BADGE: Record<SubscriptionStatus, string> = { scheduled: 'open', trialing: 'open', active: 'paid', canceled: 'void', ended: 'draft' };

export function SubscriptionStatusBadge({ status }: { status: SubscriptionStatus }) {
  return <span className={`badge badge-${BADGE[status] ?? 'draft'}`}>{SUBSCRIPTION_STATUS_LABELS[status] ?? status}</span>;
}

/** "€49.00 × 2" — each item's price and quantity as the server stores them; the browser multiplies nothing. */
function ItemPrice({ item, currency }: { item: SubscriptionItem; currency: string }) {
  const format = useFormat();
  if (item.metered) return <>{format.money(item.unitPrice, currency)} per unit used</>;
  return (
    <>
      {format.money(item.unitPrice, currency)} × {format.number(item.quantity)}
    </>
  );
}

function intervalText(s: Pick<Subscription, 'interval' | 'intervalCount'>): string {
  const label = INTERVAL_LABELS[s.interval] ?? s.interval;
  return s.intervalCount > 1 ? `${label} × ${s.intervalCount}` : label;
}

/** /subscriptions — recurring billing, newest first. */
export function SubscriptionsPage() {
  useTitle('Subscriptions');
  const subscriptions = useSubscriptions();
  const customerName = useCustomerNames();
  const format = useFormat();
  const newSubscription = (
    <Link className="button button-primary" to="/subscriptions/new">
      <Icon name="plus" /> New subscription
    </Link>
  );
  return (
    <div className="page">
      <PageHeader
        title="Subscriptions"
        subtitle="Recurring charges, billed by billing runs."
        actions={
          <>
            <Link className="button" to="/billing-runs">
              Billing run
            </Link>
            {newSubscription}
          </>
        }
      />
      <ListStates
        query={subscriptions}
        rows={subscriptions.data}
        what="subscriptions"
        framed
        skeletonRows={5}
        empty={
          <EmptyState icon="doc" title="No subscriptions yet — create your first" action={newSubscription}>
            A subscription bills a customer the same items every week, month, quarter or year.
          </EmptyState>
        }
      >
        {(rows) => (
          <div className="panel panel-flush">
            <DataTable<Subscription>
              caption="Subscriptions"
              rows={rows}
              rowKey={(s) => s.id}
              rowHref={(s) => `/subscriptions/${s.id}`}
              busy={subscriptions.isFetching}
              columns={[
                {
                  header: 'Customer',
                  cell: (s) => (
                    <>
                      <RowLink to={`/subscriptions/${s.id}`}>{customerName(s.customerId)}</RowLink>
                      <div className="cell-sub">{s.items.map((item) => item.description).join(', ')}</div>
                    </>
                  ),
                },
                {
                  header: 'Status',
                  cell: (s) => (
                    <>
                      <SubscriptionStatusBadge status={s.status} />
                      {s.cancelAtPeriodEnd && s.status !== 'canceled' && s.status !== 'ended' && <div className="cell-sub">Cancels at period end</div>}
                    </>
                  ),
                },
                { header: 'Interval', className: 'hide-phone', cellClassName: 'muted', cell: (s) => intervalText(s) },
                {
                  header: 'Next period',
                  className: 'hide-phone',
                  cell: (s) => (s.currentPeriod ? format.date(s.currentPeriod.end) : s.status === 'scheduled' ? format.date(s.startDate) : <span className="muted">—</span>),
                },
                {
                  header: 'Amount',
                  className: 'num',
                  cell: (s) => (
                    <>
                      {s.items[0] && <ItemPrice item={s.items[0]} currency={s.currency} />}
                      {s.items.length > 1 && <div className="cell-sub">+ {s.items.length - 1} more</div>}
                    </>
                  ),
                },
              ]}
            />
          </div>
        )}
      </ListStates>
    </div>
  );
}


/** /subscriptions/new — a customer, the items, the cycle. */
export function SubscriptionFormPage() {
  useTitle('New subscription');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const format = useFormat();
  const toast = useToast();
  const client = useQueryClient();
  const [customerId, setCustomerId] = useState(params.get('customerId') ?? '');
  const [items, setItems] = useState<PriceLineDraft[]>(() => [blankPriceLine()]);
  const [interval, setIntervalChoice] = useState<Interval>('monthly');
  const [startDate, setStartDate] = useState(() => format.today());
  const [billingTiming, setBillingTiming] = useState<'advance' | 'arrears'>('advance');
  const [trialEnd, setTrialEnd] = useState('');
  const dec = (text: string) => toApiDecimal(text, format.locale);

  const create = useMutation({
    mutationFn: () =>
      post<Subscription>('/v1/subscriptions', {
        customerId,
        items: items.map((item) => ({ description: item.description.trim(), unitPrice: dec(item.unitPrice), quantity: dec(item.quantity) })),
        interval,
        startDate,
        billingTiming,
        ...(trialEnd ? { trialEnd } : {}),
      }),
    onSuccess: async (subscription) => {
      await client.invalidateQueries({ queryKey: ['subscriptions'] });
      toast('Subscription created');
      navigate(`/subscriptions/${subscription.id}`);
    },
  });
  const errors = fieldErrorsOf(create.error);
  const ready = customerId && priceLinesReady(items);

  return (
    <div className="page page-narrow">
      <PageHeader title="New subscription" back={{ to: '/subscriptions', label: 'Subscriptions' }} />
      <Form className="form panel" onSubmit={() => create.mutate()}>
        <fieldset className="form-section">
          <legend>Customer</legend>
          <Field label="Customer" error={errors.customerId}>
            <CustomerSelect name="customerId" placeholder="Choose a customer…" value={customerId} onChange={(event) => setCustomerId(event.target.value)} autoFocus={!customerId} />
          </Field>
        </fieldset>
        <fieldset className="form-section">
          <legend>Items</legend>
          <PriceLines lines={items} onChange={setItems} errors={errors} errorPrefix="items" />
        </fieldset>
        <fieldset className="form-section">
          <legend>Billing</legend>
          <div className="form-row collapse-phone">
            <Field label="Interval" error={errors.interval}>
              <select name="interval" value={interval} onChange={(event) => setIntervalChoice(event.target.value as Interval)}>
                {(['monthly', 'quarterly', 'yearly', 'weekly'] as const).map((value) => (
                  <option key={value} value={value}>
                    {INTERVAL_LABELS[value]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Start date" error={errors.startDate}>
              <input type="date" name="startDate" value={startDate} onChange={(event) => setStartDate(event.target.value)} required />
            </Field>
          </div>
          <RadioCards
            name="billingTiming"
            label="Billing timing"
            value={billingTiming}
            onChange={setBillingTiming}
            options={[
              { value: 'advance', title: 'In advance', description: 'Each period is billed when it starts.' },
              { value: 'arrears', title: 'In arrears', description: 'Each period is billed when it ends.' },
            ]}
          />
          <Field label="Trial end" error={errors.trialEnd} optional hint="The first day that is charged.">
            <input type="date" name="trialEnd" value={trialEnd} onChange={(event) => setTrialEnd(event.target.value)} className="input-date" />
          </Field>
        </fieldset>
        <FormError error={create.error} fields={['customerId', 'interval', 'startDate', 'trialEnd', ...items.flatMap((_, i) => [`items.${i}.description`, `items.${i}.unitPrice`, `items.${i}.quantity`])]} />
        <div className="form-actions">
          <button type="button" className="button" onClick={() => navigate(-1)}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending || !ready}>
            {create.isPending ? 'Creating…' : 'Create subscription'}
          </button>
        </div>
      </Form>
    </div>
  );
}

/** /subscriptions/:id — the cycle, the items, and cancelling. */
export function SubscriptionDetailPage() {
  const { id } = useParams();
  const subscription = useSubscription(id);
  const customerName = useCustomerNames();
  const format = useFormat();
  const toast = useToast();
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation({
    mutationFn: () => post<Subscription>(`/v1/subscriptions/${encodeURIComponent(id!)}/cancel`, { atPeriodEnd: true }),
    onSuccess: async (updated) => {
      client.setQueryData(['subscriptions', 'one', id], updated);
      await client.invalidateQueries({ queryKey: ['subscriptions', 'list'] });
      setConfirming(false);
      toast('Subscription cancelled at the end of the period');
    },
  });
  useTitle(subscription.data ? `Subscription · ${customerName(subscription.data.customerId)}` : 'Subscription');
  if (subscription.isPending) return <Skeleton rows={6} />;
  if (subscription.isError) return <ErrorPanel error={subscription.error} retry={() => void subscription.refetch()} what="subscription" />;
  const s = subscription.data;
  const cancellable = !s.cancelAtPeriodEnd && s.status !== 'canceled' && s.status !== 'ended';
  return (
    <div className="page">
      <PageHeader
        title={`Subscription · ${customerName(s.customerId)}`}
        back={{ to: '/subscriptions', label: 'Subscriptions' }}
        subtitle={
          <>
            <Link to={`/customers/${s.customerId}`}>{customerName(s.customerId)}</Link> · <SubscriptionStatusBadge status={s.status} />
          </>
        }
        actions={
          cancellable ? (
            <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
              Cancel subscription
            </button>
          ) : undefined
        }
      />
      <div className="panel">
        <DefinitionList
          items={[
            ['Interval', intervalText(s)],
            ['Billing timing', s.billingTiming === 'arrears' ? 'In arrears' : 'In advance'],
            ['Start date', format.date(s.startDate)],
            s.trialEnd !== null && ['Trial ends', format.date(s.trialEnd)],
            s.currentPeriod !== null && ['Current period', periodRange(format, s.currentPeriod.start, s.currentPeriod.end)],
            s.currentPeriod !== null && !s.cancelAtPeriodEnd && ['Next period starts', format.date(s.currentPeriod.end)],
            s.cancelAtPeriodEnd && ['Cancellation', s.endDate ? `Ends on ${format.date(s.endDate)}` : 'At the end of the current period'],
            !s.cancelAtPeriodEnd && s.endDate !== null && ['Ends', format.date(s.endDate)],
            ['Currency', s.currency],
          ]}
        />
      </div>
      <PanelSection id="items-title" title="Items">
        <DataTable<SubscriptionItem>
          caption="Items"
          className="table-rowheads"
          rows={s.items}
          rowKey={(item) => item.id}
          columns={[
            { header: 'Description', rowHeader: true, cell: (item) => item.description },
            { header: 'Unit price', className: 'num', cell: (item) => <Money amount={item.unitPrice} currency={s.currency} /> },
            { header: 'Quantity', className: 'num', cell: (item) => (item.metered ? 'Metered' : format.number(item.quantity)) },
          ]}
        />
      </PanelSection>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Cancel this subscription?"
        footer={
          <DialogActions
            cancelLabel="Keep it"
            label="Cancel at period end"
            pendingLabel="Cancelling…"
            pending={cancel.isPending}
            danger
            onCancel={() => setConfirming(false)}
            onConfirm={() => cancel.mutate()}
          />
        }
      >
        <p>
          {s.currentPeriod
            ? `The current period is still billed; nothing is billed from ${format.date(s.currentPeriod.end)}.`
            : 'Nothing more is billed for this subscription.'}
        </p>
        <FormError error={cancel.error} />
      </Dialog>
    </div>
  );
}
