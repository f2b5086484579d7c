export { catalogEntries, findItem, findTaxRates, type Item, type ItemInput } from './catalog-store.ts';
export { archiveTaxRate, createItem, createTaxRate, listItems, listTaxRates, updateItem } from './catalog.ts';
export { TAX_CATEGORIES, type TaxCategory, type TaxRate, type TaxRateInput } from './tax-rate.ts';
