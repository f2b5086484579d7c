export { CONTRACT_TYPES as SUBSCRIPTION_CONTRACT_TYPES } from './charges.ts';
export { INTERVALS, type Interval } from './periods.ts';
export {
  currentPeriod, cycleAt, deriveStatus, itemsOn, SUBSCRIPTION_STATUSES, type BillingTiming, type Subscription, type SubscriptionChange,
  type SubscriptionItem, type SubscriptionStatus,
} from './subscription.ts';
export { subscriptionChargeSource } from './subscription-source.ts';
export type { UsageRecord } from './subscription-store.ts';
export {
  cancelSubscription, changeSubscription, createSubscription, deleteChange, getSubscription, listSubscriptions, MAX_ITEMS, recordUsage,
  type ChangeInput, type SubscriptionInput, type SubscriptionItemInput, type SubscriptionView, type UsageInput,
} from './subscriptions.ts';
