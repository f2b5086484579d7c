import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { fieldErrorsOf, post } from '../api/client.ts';
import { scheduleKey, useSchedule, type Project, type Schedule, type ScheduleEntry, type ScheduleKind } from '../api/work.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Icon } from '../components/Icon.tsx';
import { ListStates } from '../components/lists.tsx';
import { Dialog, DialogActions, Field, Form, FormError, Money, PanelSection } from '../components/ui.tsx';
import { addDecimal, compareDecimal, isDecimal, subtractDecimal } from '../lib/decimal.ts';
import { toApiDecimal, toInputDecimal, useFormat } from '../lib/format.ts';
import { useToast } from '../lib/toast.tsx';

// The schedule of a fixed-price project: dated instalments and milestones that sum to the
// project's amount, and deposits billed up front and deducted from later invoices once paid.

const KIND_LABELS: Record<ScheduleKind, string> = { date: 'Dated', milestone: 'Milestone', deposit: 'Deposit' };

/** The schedule panel of a fixed-price project's page: the entries, or the editor. */
export function ProjectSchedule({ project }: { project: Project }) {
  const schedule = useSchedule(project.id);
  const [editing, setEditing] = useState(false);
  const entries = schedule.data?.entries;
  const locked = entries?.some((entry) => entry.billed) ?? false;
  const editButton = !editing && !locked && schedule.data && (
    <button type="button" className="button button-small" onClick={() => setEditing(true)}>
      <Icon name="edit" /> {entries && entries.length > 0 ? 'Edit schedule' : 'Set schedule'}
    </button>
  );
  return (
    <PanelSection id="schedule-title" title="Schedule" actions={editButton}>
      {editing && schedule.data ? (
        <ScheduleEditor schedule={schedule.data} onDone={() => setEditing(false)} />
      ) : (
        <ListStates
          query={schedule}
          rows={entries}
          what="schedule"
          empty={
            <p className="panel-empty muted">
              No schedule yet. Split the project’s amount into dated instalments and milestones (billed once completed), and ask for deposits up front;
              the billing run invoices each when it is due.
            </p>
          }
        >
          {(rows) => <ScheduleTable schedule={schedule.data!} rows={rows} locked={locked} />}
        </ListStates>
      )}
    </PanelSection>
  );
}

function ScheduleTable({ schedule, rows, locked }: { schedule: Schedule; rows: ScheduleEntry[]; locked: boolean }) {
  const format = useFormat();
  const [completing, setCompleting] = useState<ScheduleEntry | null>(null);
  const money = (amount: string) => <Money amount={amount} currency={schedule.currency} />;
  const deposits = rows.filter((entry) => entry.kind === 'deposit');
  return (
    <>
      <div className="table-scroll schedule-table">
        <DataTable<ScheduleEntry>
          caption="Schedule"
          className="table-rowheads"
          rows={rows}
          rowKey={(entry) => entry.id}
          columns={[
            {
              header: 'Entry',
              rowHeader: true,
              cell: (entry) => (
                <>
                  {entry.description}
                  <div className="cell-sub show-phone">{KIND_LABELS[entry.kind]}</div>
                </>
              ),
            },
            { header: 'Kind', className: 'hide-phone', cellClassName: 'muted', cell: (entry) => KIND_LABELS[entry.kind] },
            {
              header: 'Due',
              cell: (entry) =>
                entry.kind !== 'milestone' ? format.date(entry.dueDate) : entry.completedOn ? `Completed ${format.date(entry.completedOn)}` : <span className="muted">On completion</span>,
            },
            { header: 'Amount', className: 'num', cell: (entry) => money(entry.amount) },
            {
              header: 'Deducted',
              className: 'num hide-phone',
              cell: (entry) => (entry.deducted === null ? <span className="muted">—</span> : <>{money(entry.deducted)} of {money(entry.amount)}</>),
            },
            { header: 'Billing', cell: (entry) => <BilledState entry={entry} /> },
            {
              header: <span className="sr-only">Actions</span>,
              className: 'actions-cell',
              cell: (entry) =>
                entry.kind === 'milestone' && !entry.completedOn && (
                  <button type="button" className="button button-small" onClick={() => setCompleting(entry)}>
                    <Icon name="check" /> Mark complete
                  </button>
                ),
            },
          ]}
        />
      </div>
      <p className="panel-empty muted small schedule-note">
        {money(schedule.amount)} in all
        {deposits.length > 0 && <>; deposits of {money(addDecimal(...deposits.map((d) => d.amount)))} are deducted from later invoices once paid</>}.
        {locked && ' Part of the schedule is billed, so it can no longer be changed.'}
      </p>
      {completing && <CompleteMilestone projectId={schedule.projectId} entry={completing} onClose={() => setCompleting(null)} />}
    </>
  );
}

function BilledState({ entry }: { entry: ScheduleEntry }) {
  if (entry.billed) {
    return (
      <span>
        <span className="badge badge-paid badge-inline">Billed</span> {entry.invoiceId && <Link to={`/invoices/${entry.invoiceId}`}>{entry.invoiceNumber ?? 'Draft invoice'}</Link>}
      </span>
    );
  }
  if (entry.kind === 'milestone') return <span className="muted">{entry.completedOn ? 'Billed by the next run' : 'Not completed'}</span>;
  return <span className="muted">Not billed yet</span>;
}


function CompleteMilestone({ projectId, entry, onClose }: { projectId: string; entry: ScheduleEntry; onClose: () => void }) {
  const format = useFormat();
  const client = useQueryClient();
  const toast = useToast();
  const [date, setDate] = useState(format.today());
  const complete = useMutation({
    mutationFn: () => post<Schedule>(`/v1/projects/${projectId}/schedule/${entry.id}/complete`, { date }),
    onSuccess: (schedule) => {
      client.setQueryData(scheduleKey(projectId), schedule);
      toast(`${entry.description} completed: the next billing run bills it`);
      onClose();
    },
  });
  const errors = fieldErrorsOf(complete.error);
  return (
    <Dialog open onClose={onClose} title={`Complete “${entry.description}”`} size="sm">
      <Form className="form" onSubmit={() => complete.mutate()}>
        <p className="muted">Once completed, the next billing run bills this milestone. This cannot be undone.</p>
        <Field label="Completed on" error={errors.date}>
          <input type="date" className="input-date" value={date} onChange={(event) => setDate(event.target.value)} />
        </Field>
        <FormError error={complete.error} fields={['date']} />
        <div className="dialog-footer dialog-footer-inline">
          <DialogActions onCancel={onClose} label="Mark complete" pendingLabel="Saving…" pending={complete.isPending} />
        </div>
      </Form>
    </Dialog>
  );
}

type Row = { key: number; description: string; kind: ScheduleKind; dueDate: string; amount: string };

let nextKey = 1;

function ScheduleEditor({ schedule, onDone }: { schedule: Schedule; onDone: () => void }) {
  const format = useFormat();
  const client = useQueryClient();
  const toast = useToast();
  const [rows, setRows] = useState<Row[]>(() =>
    schedule.entries.length > 0
      ? schedule.entries.map((entry) => ({
          key: nextKey++, description: entry.description, kind: entry.kind, dueDate: entry.dueDate ?? '', amount: toInputDecimal(entry.amount, format.locale),
        }))
      : [{ key: nextKey++, description: '', kind: 'date', dueDate: '', amount: '' }],
  );
  const update = (key: number, changes: Partial<Row>) => setRows((all) => all.map((row) => (row.key === key ? { ...row, ...changes } : row)));
  const amountOf = (row: Row) => toApiDecimal(row.amount, format.locale);

  const save = useMutation({
    mutationFn: () =>
      post<Schedule>(`/v1/projects/${schedule.projectId}/schedule`, {
        entries: rows.map((row) => ({
          description: row.description.trim(),
          amount: amountOf(row),
          ...(row.kind === 'milestone' ? { milestone: true } : row.dueDate ? { dueDate: row.dueDate } : {}),
          ...(row.kind === 'deposit' ? { deposit: true } : {}),
        })),
      }),
    onSuccess: (saved) => {
      client.setQueryData(scheduleKey(schedule.projectId), saved);
      toast('Schedule saved');
      onDone();
    },
  });
  const errors = fieldErrorsOf(save.error);

  // What is left to allocate, in exact decimals: the project amount less the dated entries and
  // milestones typed so far (deposits are advances on top). The server checks it again on save.
  const typed = rows.filter((row) => row.kind !== 'deposit').map(amountOf).filter(isDecimal);
  const remaining = subtractDecimal(schedule.amount, addDecimal('0', ...typed));
  const deposits = rows.filter((row) => row.kind === 'deposit').map(amountOf).filter(isDecimal);
  const sign = compareDecimal(remaining, '0');

  return (
    <Form className="form schedule-editor" onSubmit={() => save.mutate()}>
      {rows.map((row, index) => {
        const field = (name: string) => errors[`entries.${index}.${name}`];
        return (
          <fieldset key={row.key} className="schedule-row">
            <legend className="sr-only">Entry {index + 1}</legend>
            <Field label="Description" error={field('description')}>
              <input value={row.description} onChange={(event) => update(row.key, { description: event.target.value })} autoComplete="off" />
            </Field>
            <Field label="Kind" error={field('deposit') ?? field('milestone')}>
              <select value={row.kind} onChange={(event) => update(row.key, { kind: event.target.value as ScheduleKind })}>
                <option value="date">Dated instalment</option>
                <option value="milestone">Milestone</option>
                <option value="deposit">Deposit</option>
              </select>
            </Field>
            {row.kind === 'milestone' ? (
              <div className="field">
                <span className="label-like">Due</span>
                <span className="muted schedule-on-completion">On completion</span>
              </div>
            ) : (
              <Field label="Due date" error={field('dueDate') ?? errors[`entries.${index}`]}>
                <input type="date" className="input-date" value={row.dueDate} onChange={(event) => update(row.key, { dueDate: event.target.value })} />
              </Field>
            )}
            <Field label="Amount" error={field('amount')}>
              <input className="num" inputMode="decimal" placeholder="0.00" value={row.amount} onChange={(event) => update(row.key, { amount: event.target.value })} autoComplete="off" />
            </Field>
            <button
              type="button"
              className="icon-button schedule-remove"
              aria-label={`Remove entry ${index + 1}`}
              disabled={rows.length === 1}
              onClick={() => setRows((all) => all.filter((other) => other.key !== row.key))}
            >
              <Icon name="trash" />
            </button>
          </fieldset>
        );
      })}
      <div>
        <button type="button" className="button button-small" onClick={() => setRows((all) => [...all, { key: nextKey++, description: '', kind: 'date', dueDate: '', amount: '' }])}>
          <Icon name="plus" /> Add entry
        </button>
      </div>
      <p className="schedule-remaining" data-testid="schedule-remaining" aria-live="polite">
        {sign === 0 ? (
          <>All of <Money amount={schedule.amount} currency={schedule.currency} /> is allocated.</>
        ) : sign > 0 ? (
          <>
            <Money amount={remaining} currency={schedule.currency} className="strong" /> of <Money amount={schedule.amount} currency={schedule.currency} /> left to allocate to dated
            entries and milestones.
          </>
        ) : (
          <>
            <Money amount={remaining.slice(1)} currency={schedule.currency} className="strong" /> more than the project amount of{' '}
            <Money amount={schedule.amount} currency={schedule.currency} />.
          </>
        )}
        {deposits.length > 0 && (
          <>
            {' '}
            Deposits: <Money amount={addDecimal(...deposits)} currency={schedule.currency} />, deducted from later invoices once paid.
          </>
        )}
      </p>
      {/* Errors about the schedule as a whole (schedule_total_mismatch, deposit_too_large) name the field "entries". */}
      {errors.entries ? (
        <div className="alert alert-error" role="alert">
          {errors.entries}
        </div>
      ) : (
        <FormError error={save.error} fields={['entries']} />
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save schedule'}
        </button>
      </div>
    </Form>
  );
}
