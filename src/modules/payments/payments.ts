import type { Queryable } from '../../shared/db.ts';
import type { Page } from '../../shared/pagination.ts';
import { findPayment, listPaymentRows, type Payment } from './payment-store.ts';

export function getPayment(db: Queryable, organizationId: string, id: string): Promise<Payment> {
  return findPayment(db, organizationId, id);
}

export function listPayments(db: Queryable, organizationId: string, filter: { customerId?: string; cursor?: string; limit: number }): Promise<Page<Payment>> {
  return listPaymentRows(db, organizationId, filter);
}
