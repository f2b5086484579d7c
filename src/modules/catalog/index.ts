export { catalogEntries, findItem, findTaxRates, type Item, type ItemInput } from './catalog-store.ts';
export { adjustStock, archiveTaxRate, createItem, createTaxRate, listItems, listLowStock, listStockMovements, listTaxRates, updateItem } from './catalog.ts';
export { moveStock, type StockChange, type StockLevel, type StockMovement, type StockReason } from './stock.ts';
export { TAX_CATEGORIES, type TaxCategory, type TaxRate, type TaxRateInput } from './tax-rate.ts';
