import type { IsoDate } from '../../shared/calendar.ts';
import type { Tx } from '../../shared/db.ts';

/** A line as a charge source prepares it: decimal strings, tax rates by id, service dates inclusive. */
export type ChargeLine = {
  itemId: string | null;
  description: string;
  quantity: string;
  unitPrice: string;
  taxRateIds: string[];
  serviceStart: IsoDate;
  serviceEnd: IsoDate;
  /** The invoice line's id, when the source wants to refer to the line it becomes (default: a new one). */
  id?: string;
};

/**
 * Something a contract owes for a period. (contractType, contractId, periodStart) is the
 * idempotency key of billing: the run bills each key exactly once, ever. `periodEnd` is exclusive.
 */
export type Charge = {
  contractType: string;
  contractId: string;
  customerId: string;
  currency: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  lines: ChargeLine[];
  /**
   * The contract the charge belongs to, for customers billed one invoice per contract (default:
   * its type and id; a subscription's period, usage and change charges share the subscription).
   */
  invoiceGroup?: string;
  /**
   * The contract bills nothing after this charge (it ends with it), so a credit in it cannot wait
   * for a later charge to reduce: the run credits it on the contract's last issued invoice instead.
   */
  final?: boolean;
  /** On an invoice of its own, whatever the customer's grouping (a deposit, say). */
  separateInvoice?: boolean;
  /** The invoice that carries this charge also bills the customer's unbilled work up to the run date. */
  includeUnbilledWork?: boolean;
};

/** One page of the run: the customers to bill, and whether the source should lock its contracts. */
export type ChargePage = { customerIds: string[]; lock: boolean };

/**
 * A kind of contract that bills on dates: subscriptions now; retainers and fixed schedules can
 * plug in the same way. Sources only read in `dueCharges` (a dry run calls it in a read-only
 * transaction); `markBilled` runs in the same transaction as the claims and the invoices, so a
 * source may keep a watermark of what it has billed, to start from it next time.
 */
export interface ChargeSource {
  /** The contract types this source emits; each belongs to one source. */
  readonly contractTypes: readonly string[];
  /**
   * Everything billable on or before `date` for the page's customers that the source does not
   * know to be billed already. The run skips what is claimed, so returning a billed charge again
   * is harmless; missing one is not.
   */
  dueCharges(tx: Tx, organizationId: string, date: IsoDate, page: ChargePage): Promise<Charge[]>;
  /**
   * The charges this run has just claimed (and invoiced), in the run's transaction: copies of what
   * the source returned, its own fields kept, plus `invoiceId`, the draft each went to.
   */
  markBilled(tx: Tx, organizationId: string, billed: Charge[]): Promise<void>;
}
