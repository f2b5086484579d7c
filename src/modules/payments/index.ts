export { applyCustomerCredit, type AppliedCredit } from './apply-credit.ts';
export { creditBalancesFromDocuments, PAYMENT_METHODS, type Allocation, type Payment, type PaymentMethod } from './payment-store.ts';
export { getPayment, listPayments } from './payments.ts';
export { recordPayment, type PaymentInput } from './record-payment.ts';
