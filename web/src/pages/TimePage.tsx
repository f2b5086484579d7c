import { useMutation } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError, fieldErrorsOf, post } from '../api/client.ts';
import { useCustomerNames } from '../api/queries.ts';
import { addDays, formatMinutes, parseDuration, useProjects, useRefreshWork, useTasks, useWeek, type TimeEntry, type Week } from '../api/work.ts';
import { Icon } from '../components/Icon.tsx';
import { EmptyState, ErrorPanel, Field, Form, FormError, PageHeader, PanelSection, Skeleton, useTitle } from '../components/ui.tsx';
import { useFormat } from '../lib/format.ts';
import { useToast } from '../lib/toast.tsx';

/** /time — your week, Monday to Sunday, hours per project and task, and a form to add time. */
export function TimePage() {
  useTitle('Time');
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const date = params.get('week') ?? undefined;
  const week = useWeek(date);
  const today = format.today();
  const goTo = (next: string | null) => setParams(next ? { week: next } : {}, { replace: true });
  const weekday = useMemo(() => new Intl.DateTimeFormat(format.locale, { weekday: 'short', timeZone: 'UTC' }), [format.locale]);
  const dayName = (iso: string) => weekday.format(new Date(`${iso}T00:00:00Z`));
  const data = week.data;
  const isThisWeek = data ? data.weekStart <= today && today <= data.weekEnd : !date;

  return (
    <div className="page">
      <PageHeader
        title="Time"
        subtitle="Your week, Monday to Sunday: what you worked on and for how long."
        actions={
          <Link to="/time/import" className="button">
            <Icon name="inbox" /> Import CSV
          </Link>
        }
      />
      <div className="toolbar week-nav" role="group" aria-label="Week">
        <button type="button" className="button button-small" onClick={() => data && goTo(addDays(data.weekStart, -7))} disabled={!data}>
          <span aria-hidden="true">←</span> Previous week
        </button>
        <span className="week-label" aria-live="polite" data-testid="week-label">
          {data ? `${format.date(data.weekStart)} – ${format.date(data.weekEnd)}` : '…'}
        </span>
        <button type="button" className="button button-small" onClick={() => data && goTo(addDays(data.weekStart, 7))} disabled={!data}>
          Next week <span aria-hidden="true">→</span>
        </button>
        {!isThisWeek && (
          <button type="button" className="button button-small button-ghost" onClick={() => goTo(null)}>
            This week
          </button>
        )}
      </div>

      {week.isPending ? (
        <div className="panel">
          <Skeleton rows={4} />
        </div>
      ) : week.isError ? (
        <ErrorPanel error={week.error} retry={() => void week.refetch()} what="week" />
      ) : (
        <>
          <PanelSection id="week-title" title="Timesheet">
            {data!.rows.length === 0 ? (
              <EmptyState icon="doc" title="No time this week">
                Add time below, or start the timer.
              </EmptyState>
            ) : (
              <div className="table-scroll">
                <table className="table table-compact week-table table-rowheads" data-testid="week-table">
                  <caption className="sr-only">Minutes per project and day, as hours and minutes</caption>
                  <thead>
                    <tr>
                      <th scope="col">Project</th>
                      {data!.days.map((day) => (
                        <th key={day.date} scope="col" className={`day${day.date === today ? ' is-today' : ''}`}>
                          <span className="day-head">
                            <span>{dayName(day.date)}</span>
                            <span className="day-date">{format.date(day.date, 'short').replace(/\/?\d{2,4}$/, '')}</span>
                          </span>
                        </th>
                      ))}
                      <th scope="col" className="num">
                        Total
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data!.rows.map((row) => (
                      <tr key={`${row.projectId}-${row.taskId ?? ''}`}>
                        <th scope="row">
                          <Link to={`/projects/${row.projectId}`} className="row-link">
                            {row.projectName}
                          </Link>
                          {row.taskName && <div className="cell-sub">{row.taskName}</div>}
                        </th>
                        {row.minutes.map((minutes, index) => (
                          <td key={index} className={`day num${data!.days[index]?.date === today ? ' is-today' : ''}${minutes ? '' : ' zero'}`}>
                            {minutes ? formatMinutes(minutes) : '–'}
                          </td>
                        ))}
                        <td className="num strong">{formatMinutes(row.totalMinutes)}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row">Total</th>
                      {data!.days.map((day) => (
                        <td key={day.date} className={`day num${day.date === today ? ' is-today' : ''}`} data-testid={`day-total-${day.date}`}>
                          {formatMinutes(day.minutes)}
                        </td>
                      ))}
                      <td className="num" data-testid="week-total">
                        {formatMinutes(data!.totalMinutes)}
                      </td>
                    </tr>
                  </tfoot>
                </table>
              </div>
            )}
          </PanelSection>
          <AddEntry week={data!} today={today} dayName={dayName} />
        </>
      )}
    </div>
  );
}

function AddEntry({ week, today, dayName }: { week: Week; today: string; dayName: (iso: string) => string }) {
  const format = useFormat();
  const projects = useProjects();
  const customerName = useCustomerNames();
  const refresh = useRefreshWork();
  const toast = useToast();
  const defaultDay = week.weekStart <= today && today <= week.weekEnd ? today : week.weekStart;
  const [projectId, setProjectId] = useState('');
  const [taskId, setTaskId] = useState('');
  const [day, setDay] = useState(defaultDay);
  const [duration, setDuration] = useState('');
  const [description, setDescription] = useState('');
  const [durationError, setDurationError] = useState<string | null>(null);
  const tasks = useTasks(projectId || undefined);
  const chosenDay = week.days.some((d) => d.date === day) ? day : defaultDay;

  const add = useMutation({
    mutationFn: (minutes: number) =>
      post<TimeEntry>('/v1/time-entries', { projectId, taskId: taskId || null, date: chosenDay, minutes, ...(description.trim() ? { description: description.trim() } : {}) }),
    onSuccess: async (entry) => {
      await refresh();
      toast(`Added ${formatMinutes(entry.minutes)} on ${format.date(entry.date)}`);
      setDuration('');
      setDescription('');
    },
  });
  const errors = fieldErrorsOf(add.error);
  const submit = () => {
    const minutes = parseDuration(duration);
    if (minutes === null || minutes < 1) {
      setDurationError('Enter minutes (90) or hours and minutes (1:30).');
      return;
    }
    setDurationError(null);
    add.mutate(minutes);
  };

  return (
    <PanelSection id="add-time-title" title="Add time">
      <Form className="form entry-form-wrap" onSubmit={submit} aria-labelledby="add-time-title" style={{ padding: '0 var(--space-4) var(--space-4)' }}>
        {projects.data && projects.data.length === 0 ? (
          <p className="muted">
            No projects yet. <Link to="/projects/new">Create a project</Link> to record time on it.
          </p>
        ) : (
          <div className="entry-form">
            <Field label="Project" error={errors.projectId}>
              <select
                name="projectId"
                value={projectId}
                onChange={(event) => {
                  setProjectId(event.target.value);
                  setTaskId('');
                }}
              >
                <option value="">Choose a project…</option>
                {(projects.data ?? []).map((project) => (
                  <option key={project.id} value={project.id}>
                    {project.name} — {customerName(project.customerId)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Task" error={errors.taskId} optional>
              <select name="taskId" value={taskId} onChange={(event) => setTaskId(event.target.value)} disabled={!projectId}>
                <option value="">No task</option>
                {(tasks.data ?? [])
                  .filter((task) => !task.archivedAt)
                  .map((task) => (
                    <option key={task.id} value={task.id}>
                      {task.name}
                    </option>
                  ))}
              </select>
            </Field>
            <Field label="Day" error={errors.date}>
              <select name="date" value={chosenDay} onChange={(event) => setDay(event.target.value)}>
                {week.days.map((d) => (
                  <option key={d.date} value={d.date}>
                    {dayName(d.date)} {format.date(d.date, 'short').replace(/\/?\d{2,4}$/, '')}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Time" error={durationError ?? errors.minutes} hint="Minutes or h:mm">
              <input name="duration" className="num" value={duration} onChange={(event) => setDuration(event.target.value)} placeholder="1:30" autoComplete="off" inputMode="text" />
            </Field>
            <Field label="Description" error={errors.description} optional>
              <input name="description" value={description} onChange={(event) => setDescription(event.target.value)} autoComplete="off" />
            </Field>
            <div className="entry-submit">
              <button type="submit" className="button button-primary" disabled={add.isPending || !projectId}>
                <Icon name="plus" /> {add.isPending ? 'Adding…' : 'Add time'}
              </button>
            </div>
          </div>
        )}
        {add.error instanceof ApiError && <FormError error={add.error} fields={['projectId', 'taskId', 'date', 'minutes', 'description']} />}
      </Form>
    </PanelSection>
  );
}
