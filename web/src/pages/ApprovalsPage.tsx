import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { fieldErrorsOf, post } from '../api/client.ts';
import { useUsers } from '../api/queries.ts';
import {
  formatMinutes, useApprovalDecisions, usePendingEntries, usePendingWeeks, useProjects, type ApprovalDecision, type PendingWeek, type TimeEntry,
} from '../api/work.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Icon } from '../components/Icon.tsx';
import { ListStates } from '../components/lists.tsx';
import { EmptyState, Field, FormError, PageHeader, PanelSection, useTitle } from '../components/ui.tsx';
import { useFormat } from '../lib/format.ts';
import { canManage, useSession } from '../lib/session.tsx';
import { useToast } from '../lib/toast.tsx';

// Time on projects that require approval waits as `pending` until an owner or admin approves
// (locks) or rejects (with a comment) the person's week. The server decides who may decide.

/** "Grace Hopper", else the e-mail, for the ids the approval API returns. */
function usePeopleNames(): (id: string | null) => string {
  const users = useUsers();
  const names = new Map((users.data ?? []).map((user) => [user.id, user.name || user.email]));
  return (id) => (id === null ? 'API key' : (names.get(id) ?? '…'));
}

/** /approvals — time approvals: pending weeks per person to approve or reject, and the decisions made. */
export function ApprovalsPage() {
  useTitle('Time approvals');
  const session = useSession();
  const pending = usePendingWeeks();
  const decisions = useApprovalDecisions();
  const personName = usePeopleNames();
  // One panel per person, in the order of their oldest pending week.
  const people = new Map<string, PendingWeek[]>();
  for (const week of pending.data ?? []) people.set(week.userId, [...(people.get(week.userId) ?? []), week]);

  return (
    <div className="page">
      <PageHeader title="Time approvals" subtitle="Time on projects that require approval, by person and week." />
      {!canManage(session) && <div className="alert alert-muted">Only owners and admins approve time; you can see what waits and what was decided.</div>}
      <ListStates
        query={pending}
        rows={pending.data}
        what="pending time"
        framed
        empty={
          <EmptyState icon="people" title="Nothing waiting for approval" action={<Link className="button" to="/projects">Projects</Link>}>
            Time recorded on projects that require approval shows here, week by week, until an owner or admin approves or rejects it.
          </EmptyState>
        }
      >
        {() => (
          <div className="stack">
            {[...people].map(([userId, weeks]) => {
              const minutes = weeks.reduce((sum, week) => sum + week.minutes, 0);
              return (
                <PanelSection
                  key={userId}
                  id={`approvals-${userId}`}
                  title={personName(userId)}
                  actions={<span className="muted">{weeks.length === 1 ? '1 week' : `${weeks.length} weeks`}, {formatMinutes(minutes)} h</span>}
                >
                  {weeks.map((week) => (
                    <PendingWeekCard key={week.weekStart} week={week} person={personName(userId)} mayDecide={canManage(session) && userId !== session.user.id} own={userId === session.user.id} />
                  ))}
                </PanelSection>
              );
            })}
          </div>
        )}
      </ListStates>
      <PanelSection id="decisions-title" title="Decisions">
        <ListStates query={decisions} rows={decisions.data} what="decisions" empty={<p className="panel-empty muted">No weeks approved or rejected yet.</p>}>
          {(rows) => <DecisionTable rows={rows} personName={personName} />}
        </ListStates>
      </PanelSection>
    </div>
  );
}

function PendingWeekCard({ week, person, mayDecide, own }: { week: PendingWeek; person: string; mayDecide: boolean; own: boolean }) {
  const format = useFormat();
  const client = useQueryClient();
  const toast = useToast();
  const headingId = useId();
  const entries = usePendingEntries(week);
  const projects = useProjects({ includeArchived: true });
  const projectName = (id: string) => projects.data?.find((project) => project.id === id)?.name ?? '…';
  const [comment, setComment] = useState('');
  const label = `${person}, week of ${format.date(week.weekStart)}`;

  const decide = useMutation({
    mutationFn: (decision: 'approved' | 'rejected') =>
      post<ApprovalDecision>('/v1/approvals', { userId: week.userId, weekStart: week.weekStart, decision, comment: comment.trim() || null }),
    onSuccess: async (decision) => {
      await Promise.all(['approvals', 'time', 'unbilled'].map((key) => client.invalidateQueries({ queryKey: [key] })));
      toast(`${decision.decision === 'approved' ? 'Approved' : 'Rejected'}: ${label}`);
    },
  });
  const errors = fieldErrorsOf(decide.error);

  return (
    <section className="approval-week" aria-labelledby={headingId}>
      <h3 id={headingId} className="approval-week-title">
        <span className="sr-only">{person}, </span>Week of {format.date(week.weekStart)} – {format.date(week.weekEnd)}
        <span className="muted approval-week-figures">
          {formatMinutes(week.minutes)} h · {week.entryCount === 1 ? '1 entry' : `${week.entryCount} entries`}
        </span>
      </h3>
      <ListStates query={entries} rows={entries.data} what="time entries" empty={<p className="muted">No pending entries left in this week.</p>}>
        {(rows) => (
          <div className="table-scroll">
            <DataTable<TimeEntry>
              caption={`Time of ${label}`}
              className="table-compact"
              rows={[...rows].sort((a, b) => a.date.localeCompare(b.date))}
              rowKey={(entry) => entry.id}
              columns={[
                { header: 'Date', cell: (entry) => format.date(entry.date) },
                { header: 'Project', cell: (entry) => <Link to={`/projects/${entry.projectId}`}>{projectName(entry.projectId)}</Link> },
                { header: 'Description', className: 'hide-phone', cellClassName: 'muted', cell: (entry) => entry.description || '—' },
                { header: 'Billable', className: 'hide-phone', cellClassName: 'muted', cell: (entry) => (entry.billable ? 'Yes' : 'No') },
                { header: 'Time', className: 'num', cell: (entry) => formatMinutes(entry.minutes) },
              ]}
            />
          </div>
        )}
      </ListStates>
      {own && <p className="muted small">Your own time: another owner or admin approves it.</p>}
      {mayDecide && (
        <div className="approval-decide">
          <Field label="Comment" error={errors.comment} optional hint="Needed to reject: say what to change.">
            <textarea rows={2} value={comment} onChange={(event) => setComment(event.target.value)} />
          </Field>
          <FormError error={decide.error} fields={['comment']} />
          <div className="approval-actions">
            <button type="button" className="button button-primary" disabled={decide.isPending} onClick={() => decide.mutate('approved')} aria-describedby={headingId}>
              <Icon name="check" /> Approve week
            </button>
            <button type="button" className="button button-danger" disabled={decide.isPending} onClick={() => decide.mutate('rejected')} aria-describedby={headingId}>
              Reject week
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function DecisionTable({ rows, personName }: { rows: ApprovalDecision[]; personName: (id: string | null) => string }) {
  const format = useFormat();
  return (
    <div className="table-scroll">
      <DataTable<ApprovalDecision>
        caption="Approval decisions"
        className="table-compact"
        rows={rows}
        rowKey={(decision) => decision.id}
        columns={[
          { header: 'Week of', cell: (decision) => format.date(decision.weekStart) },
          { header: 'Person', cell: (decision) => personName(decision.userId) },
          {
            header: 'Decision',
            cell: (decision) =>
              decision.decision === 'approved' ? <span className="badge badge-paid">Approved</span> : <span className="badge badge-overdue">Rejected</span>,
          },
          { header: 'Entries', className: 'num hide-phone', cell: (decision) => decision.entryCount },
          { header: 'By', cell: (decision) => personName(decision.approverId) },
          { header: 'When', className: 'hide-phone', cellClassName: 'muted', cell: (decision) => format.dateTime(decision.decidedAt) },
          { header: 'Comment', cell: (decision) => decision.comment ?? <span className="muted">—</span> },
        ]}
      />
    </div>
  );
}
