// CSV import of time entries (Toggl, Clockify, Harvest, plain): pure readers per format, then one use case.
export { parseImportFile, type ParsedFile, type ParsedRow } from './import-rows.ts';
export { importingUser, importTimeEntries, MAX_IMPORT_ERRORS, PREVIEW_ROWS, type ImportInput, type ImportResult, type PreviewRow } from './import-time.ts';
export { IMPORT_FORMATS, type ImportFormat, type ImportRow, type RowError } from './row.ts';
