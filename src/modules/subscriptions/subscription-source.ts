import type { IsoDate } from '../../shared/calendar.ts';
import { getOrganization } from '../access/index.ts';
import type { Charge, ChargeSource } from '../billing/index.ts';
import { CONTRACT_TYPES, subscriptionCharges } from './charges.ts';
import { markBilledRows, subscriptionsOfCustomers, unbilledUsage } from './subscription-store.ts';

/** Subscriptions as a source of the billing run: a few queries per page of customers. */
export const subscriptionChargeSource: ChargeSource = {
  contractTypes: Object.values(CONTRACT_TYPES),

  async dueCharges(tx, organizationId, date, page) {
    const subscriptions = await subscriptionsOfCustomers(tx, organizationId, page.customerIds, page.lock);
    if (subscriptions.length === 0) return [];
    const { roundingMode } = await getOrganization(tx, organizationId);
    const metered = subscriptions.filter((s) => [s.items, ...s.changes.map((c) => c.items ?? [])].flat().some((item) => item.metered));
    const usage = await unbilledUsage(tx, metered.map((s) => s.id));
    return subscriptions.flatMap((s) => subscriptionCharges(s, usage.get(s.id) ?? [], date, roundingMode)
      .map((charge) => (s.includeUnbilledWork ? { ...charge, includeUnbilledWork: true } : charge)));
  },

  async markBilled(tx, _organizationId, billed) {
    await markBilledRows(tx, {
      periods: latestStart(billed.filter((c) => c.contractType === CONTRACT_TYPES.period)),
      usage: latestStart(billed.filter((c) => c.contractType === CONTRACT_TYPES.usage)),
      changeIds: billed.filter((c) => c.contractType === CONTRACT_TYPES.change).map((c) => c.contractId),
    });
  },
};

function latestStart(charges: Charge[]): Map<string, IsoDate> {
  const latest = new Map<string, IsoDate>();
  for (const charge of charges) {
    const current = latest.get(charge.contractId);
    if (current === undefined || charge.periodStart > current) latest.set(charge.contractId, charge.periodStart);
  }
  return latest;
}
