import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { fieldErrorsOf, post } from '../api/client.ts';
import { useCustomerNames } from '../api/queries.ts';
import { formatElapsed, formatMinutes, TIMER_KEY, useProjects, useRefreshWork, useTasks, useTimer, type TimeEntry, type Timer } from '../api/work.ts';
import { useToast } from '../lib/toast.tsx';
import { Icon } from './Icon.tsx';
import { Dialog, DialogActions, Field, Form, FormError } from './ui.tsx';

/** Seconds since `startedAt`, ticking every second. */
function useElapsed(startedAt: string | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!startedAt) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [startedAt]);
  return startedAt ? (now - Date.parse(startedAt)) / 1000 : 0;
}

/**
 * The running timer, on every page: in the sidebar on laptops (`variant="sidebar"`), in the top
 * bar on phones (`variant="topbar"`). Start, stop (which records the time) and switch project.
 */
export function TimerWidget({ variant }: { variant: 'sidebar' | 'topbar' }) {
  const timer = useTimer();
  const projects = useProjects({ includeArchived: true });
  const refresh = useRefreshWork();
  const client = useQueryClient();
  const toast = useToast();
  const [dialog, setDialog] = useState<'start' | 'switch' | null>(null);
  const running = timer.data ?? null;
  const elapsed = useElapsed(running?.startedAt);
  const projectName = (id: string) => projects.data?.find((p) => p.id === id)?.name ?? '…';

  const stop = useMutation({
    mutationFn: () => post<TimeEntry>('/v1/timer/stop'),
    onSuccess: async (entry) => {
      client.setQueryData(TIMER_KEY, null);
      await refresh();
      toast(`Recorded ${formatMinutes(entry.minutes)} on ${projectName(entry.projectId)}`);
    },
    onError: () => void timer.refetch(),
  });

  const label = 'Timer';
  if (timer.isPending) return null;

  if (!running) {
    return (
      <div className={`timer timer-${variant}`} role="region" aria-label={label}>
        <button type="button" className={`button ${variant === 'topbar' ? 'button-small icon-only-phone' : 'button-block'}`} onClick={() => setDialog('start')}>
          <Icon name="clock" /> <span className="timer-start-text">Start timer</span>
        </button>
        <TimerDialog mode={dialog} onClose={() => setDialog(null)} running={null} />
      </div>
    );
  }

  return (
    <div className={`timer timer-${variant} timer-running`} role="region" aria-label={label}>
      <div className="timer-info">
        <span className="timer-dot" aria-hidden="true" />
        <span className="timer-text">
          <span className="timer-elapsed num" data-testid={`timer-elapsed-${variant}`} aria-label={`Elapsed ${formatElapsed(elapsed)}`}>
            {formatElapsed(elapsed)}
          </span>
          <span className="timer-project" data-testid={`timer-project-${variant}`}>
            {projectName(running.projectId)}
            {running.description && variant === 'sidebar' ? <span className="muted"> · {running.description}</span> : null}
          </span>
        </span>
      </div>
      <div className="timer-actions">
        <button type="button" className="button button-small button-primary" onClick={() => stop.mutate()} disabled={stop.isPending} aria-label={`Stop timer on ${projectName(running.projectId)}`}>
          <span className="stop-square" aria-hidden="true" /> {variant === 'sidebar' && 'Stop'}
        </button>
        {variant === 'sidebar' && (
          <button type="button" className="button button-small" onClick={() => setDialog('switch')}>
            Switch
          </button>
        )}
      </div>
      {stop.error ? <p className="field-error">{stop.error instanceof Error ? stop.error.message : 'Could not stop the timer.'}</p> : null}
      <TimerDialog mode={dialog} onClose={() => setDialog(null)} running={running} />
    </div>
  );
}

/** Choose a project (and task, description) to start the timer on, or to switch to. */
function TimerDialog({ mode, onClose, running }: { mode: 'start' | 'switch' | null; onClose: () => void; running: Timer | null }) {
  const projects = useProjects();
  const customerName = useCustomerNames();
  const client = useQueryClient();
  const refresh = useRefreshWork();
  const toast = useToast();
  const [projectId, setProjectId] = useState('');
  const [taskId, setTaskId] = useState('');
  const [description, setDescription] = useState('');
  const tasks = useTasks(projectId || undefined);

  useEffect(() => {
    if (mode) {
      setProjectId('');
      setTaskId('');
      setDescription('');
    }
  }, [mode]);

  const start = useMutation({
    mutationFn: () => {
      const body = { projectId, taskId: taskId || null, ...(description.trim() ? { description: description.trim() } : {}) };
      return mode === 'switch' ? post<{ timer: Timer }>('/v1/timer/switch', body).then((r) => r.timer) : post<Timer>('/v1/timer/start', body);
    },
    onSuccess: async (timer) => {
      client.setQueryData(TIMER_KEY, timer);
      if (mode === 'switch') await refresh();
      toast(mode === 'switch' ? 'Switched the timer' : 'Timer started');
      start.reset();
      onClose();
    },
  });
  const errors = fieldErrorsOf(start.error);
  const active = projects.data ?? [];

  return (
    <Dialog
      open={mode !== null}
      onClose={() => {
        start.reset();
        onClose();
      }}
      title={mode === 'switch' ? 'Switch the timer' : 'Start a timer'}
      size="sm"
    >
      <Form className="form" onSubmit={() => start.mutate()}>
        {mode === 'switch' && <p className="hint">The running timer stops and its time is recorded; a new one starts.</p>}
        <Field label="Project" error={errors.projectId}>
          <select
            name="projectId"
            value={projectId}
            autoFocus
            onChange={(event) => {
              setProjectId(event.target.value);
              setTaskId('');
            }}
          >
            <option value="">Choose a project…</option>
            {active.map((project) => (
              <option key={project.id} value={project.id}>
                {project.name} — {customerName(project.customerId)}
              </option>
            ))}
          </select>
        </Field>
        {projectId && (tasks.data ?? []).some((task) => !task.archivedAt) && (
          <Field label="Task" error={errors.taskId} optional>
            <select name="taskId" value={taskId} onChange={(event) => setTaskId(event.target.value)}>
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
        )}
        <Field label="Description" error={errors.description} optional>
          <input name="description" value={description} onChange={(event) => setDescription(event.target.value)} autoComplete="off" />
        </Field>
        <FormError error={start.error} fields={['projectId', 'taskId', 'description']} />
        <div className="dialog-footer dialog-footer-inline">
          <DialogActions
            onCancel={onClose}
            label={mode === 'switch' ? 'Switch' : 'Start'}
            pendingLabel="Starting…"
            pending={start.isPending}
            disabled={!projectId}
          />
        </div>
      </Form>
    </Dialog>
  );
}
