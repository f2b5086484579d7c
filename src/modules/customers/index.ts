export { dueDateFor, invoiceRecipients, type Address, type Customer, type CustomerInput, type InvoiceGrouping, type TaxTreatment } from './customer.ts';
export { countCustomers, customerBatch, findCustomer } from './customer-store.ts';
export {
  archiveCustomer, createCustomer, deleteCustomer, getCustomer, getCustomerWithBalance, listCustomers, updateCustomer,
  type CurrencyBalance, type CustomerWithBalance,
} from './customers.ts';
