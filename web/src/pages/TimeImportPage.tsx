import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { post } from '../api/client.ts';
import { IMPORT_FORMATS, MAX_IMPORT_BYTES, rejectedRows, type ImportFormat, type ImportResult } from '../api/imports.ts';
import { formatMinutes, useRefreshWork } from '../api/work.ts';
import { DataTable, Dash } from '../components/DataTable.tsx';
import { Icon } from '../components/Icon.tsx';
import { ErrorAlert, Field, Form, PageHeader, PanelSection, useTitle } from '../components/ui.tsx';
import { useFormat } from '../lib/format.ts';
import { useToast } from '../lib/toast.tsx';

type Chosen = { name: string; csv: string };

/**
 * /time/import — a CSV export of another time tracker: a dry run first (the rows as they would be
 * imported, or every refused row), then the import. The API imports all rows or none.
 */
export function TimeImportPage() {
  useTitle('Import time');
  const format = useFormat();
  const toast = useToast();
  const refresh = useRefreshWork();
  const [file, setFile] = useState<Chosen | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [importFormat, setImportFormat] = useState<ImportFormat>('toggl');
  const send = (dryRun: boolean) => post<ImportResult>('/v1/imports/time', { format: importFormat, csv: file!.csv, dryRun });
  const preview = useMutation({ mutationFn: () => send(true) });
  const run = useMutation({
    mutationFn: () => send(false),
    onSuccess: async (result) => {
      await refresh();
      toast(`${result.imported} time ${result.imported === 1 ? 'entry' : 'entries'} imported`);
    },
  });
  // Another file or format makes the preview (and any result) stale.
  const reset = () => {
    preview.reset();
    run.reset();
  };
  const choose = async (chosen: File | undefined) => {
    reset();
    setFile(null);
    setFileError(null);
    if (!chosen) return;
    if (chosen.size > MAX_IMPORT_BYTES) return setFileError('The file is larger than 10 MB; split it and import the parts.');
    const csv = await chosen.text();
    if (!csv.trim()) return setFileError('The file is empty.');
    setFile({ name: chosen.name, csv });
  };
  const checked = preview.data;
  const rejected = rejectedRows(run.error ?? preview.error);
  const fresh = checked ? checked.total - checked.skipped : 0;
  const hint = IMPORT_FORMATS.find((f) => f.value === importFormat)?.hint;

  return (
    <div className="page">
      <PageHeader back={{ to: '/time', label: 'Time' }} title="Import time" subtitle="Bring in time entries from a Toggl, Clockify or Harvest export, or a plain CSV file." />
      <Form className="form panel" onSubmit={() => file && preview.mutate()} aria-labelledby="import-file-title">
        <h2 id="import-file-title" className="panel-title">
          1. Choose the file
        </h2>
        <div className="form-row collapse-phone">
          <Field
            label="CSV file"
            error={fileError ?? undefined}
            hint={file ? <>Chosen: <strong data-testid="import-file-name">{file.name}</strong>. Corrected it? Choose it again.</> : 'Projects and tasks are matched by name, people by e-mail (else the entry is yours).'}
          >
            <input
              name="file"
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => {
                void choose(e.target.files?.[0]);
                // Emptied so that choosing the same file again, once corrected, reads it again.
                e.target.value = '';
              }}
            />
          </Field>
          <Field label="Exported from" hint={hint}>
            <select
              name="format"
              value={importFormat}
              onChange={(e) => {
                reset();
                setImportFormat(e.target.value as ImportFormat);
              }}
            >
              {IMPORT_FORMATS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={!file || preview.isPending}>
            <Icon name="search" /> {preview.isPending ? 'Checking…' : 'Preview import'}
          </button>
        </div>
      </Form>

      {rejected && (
        <PanelSection id="import-errors-title" title={`${rejected.errorCount} ${rejected.errorCount === 1 ? 'row' : 'rows'} refused — nothing was imported`}>
          <p className="panel-empty" role="alert">
            Correct these rows in the file (or add the missing projects and tasks), then choose it again and preview.
            {rejected.errorCount > rejected.errors.length && ` The first ${rejected.errors.length} are listed.`}
          </p>
          <DataTable
            caption="Refused rows"
            rows={rejected.errors}
            rowKey={(error) => `${error.line}-${error.column}-${error.message}`}
            columns={[
              { header: 'Line', className: 'num', cell: (error) => error.line },
              { header: 'Column', cell: (error) => error.column || <Dash /> },
              { header: 'Problem', cell: (error) => error.message },
            ]}
          />
        </PanelSection>
      )}
      {!rejected && <ErrorAlert error={run.error ?? preview.error} />}

      {checked && !rejected && !run.data && (
        <PanelSection id="import-preview-title" title="2. Check the preview">
          <p className="panel-empty" role="status" data-testid="import-summary">
            {checked.total} {checked.total === 1 ? 'row' : 'rows'} in {file?.name}: {fresh} to import
            {checked.skipped > 0 && `, ${checked.skipped} imported before (skipped)`}.
            {checked.preview.length < checked.total && ` The first ${checked.preview.length} are shown.`}
          </p>
          <DataTable
            caption="Rows to import"
            rows={checked.preview}
            rowKey={(row) => String(row.line)}
            rowClassName={(row) => (row.duplicate ? 'row-muted' : undefined)}
            columns={[
              { header: 'Line', className: 'num', cell: (row) => row.line },
              { header: 'Date', cell: (row) => format.date(row.date) },
              {
                header: 'Project',
                cell: (row) => (
                  <>
                    {row.projectName}
                    {row.taskName && <div className="cell-sub">{row.taskName}</div>}
                  </>
                ),
              },
              { header: 'Person', className: 'hide-phone', cell: (row) => row.userEmail ?? <span className="muted">you</span> },
              { header: 'Description', className: 'hide-phone', cell: (row) => row.description || <Dash /> },
              { header: 'Time', className: 'num', cell: (row) => formatMinutes(row.minutes) },
              {
                header: 'Billable',
                cell: (row) => (
                  <>
                    {row.billable ? 'Yes' : 'No'}
                    {row.duplicate && <span className="badge badge-void badge-inline">Imported before</span>}
                  </>
                ),
              },
            ]}
          />
          <div className="panel-empty">
            <button type="button" className="button button-primary" onClick={() => run.mutate()} disabled={run.isPending || fresh === 0}>
              <Icon name="check" /> {run.isPending ? 'Importing…' : `Import ${fresh} ${fresh === 1 ? 'entry' : 'entries'}`}
            </button>
          </div>
        </PanelSection>
      )}

      {run.data && (
        <div className="panel" role="status" data-testid="import-result">
          <p>
            <Icon name="check" /> Imported {run.data.imported} time {run.data.imported === 1 ? 'entry' : 'entries'}
            {run.data.skipped > 0 && `; ${run.data.skipped} imported before were skipped`}.
          </p>
          <Link to="/time" className="button">
            Back to your week
          </Link>
        </div>
      )}
    </div>
  );
}
