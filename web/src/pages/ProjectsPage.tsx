import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { fieldErrorsOf, patch, post } from '../api/client.ts';
import { useCustomerNames, useTaxRates } from '../api/queries.ts';
import { useProject, useProjects, useTasks, type BillingModel, type Project, type Task } from '../api/work.ts';
import { DataTable, RowLink } from '../components/DataTable.tsx';
import { CustomerSelect, RadioCards } from '../components/fields.tsx';
import { Icon } from '../components/Icon.tsx';
import { ListStates } from '../components/lists.tsx';
import { TaxPicker } from '../components/TaxPicker.tsx';
import { DefinitionList, EmptyState, ErrorPanel, Field, Form, FormError, Money, PageHeader, PanelSection, Skeleton, useTitle } from '../components/ui.tsx';
import { toApiDecimal, toInputDecimal, useFormat } from '../lib/format.ts';
import { useFormState } from '../lib/forms.ts';
import { useToast } from '../lib/toast.tsx';
import { ProjectSchedule } from './ProjectSchedule.tsx';

const MODEL_LABELS: Record<BillingModel, string> = { hourly: 'Hourly', fixed: 'Fixed price', retainer: 'Retainer' };

/** "€120.00 / hour", "€5,000.00 fixed", "€2,000.00 monthly, 20 h included". */
function BillingSummary({ project }: { project: Project }) {
  const format = useFormat();
  const b = project.billing;
  const currency = b.currency ?? project.currency;
  if (b.model === 'hourly') {
    const cap = b.notToExceed ? `, not to exceed ${format.money(b.notToExceed, currency)}` : '';
    return <>{(b.rate ? `${format.money(b.rate, currency)} / hour` : 'Hourly, rate from rate rules') + cap}</>;
  }
  if (b.model === 'fixed') return <>{format.money(b.amount, currency)} fixed</>;
  return (
    <>
      {format.money(b.fee, currency)} per {b.interval ?? 'month'}, {b.includedHours ? format.number(b.includedHours) : '0'} h included
      {b.overageRate ? `, then ${format.money(b.overageRate, currency)} / hour` : ''}
    </>
  );
}

/** /projects — the projects, with their customer and billing. */
export function ProjectsPage() {
  useTitle('Projects');
  const [params, setParams] = useSearchParams();
  const includeArchived = params.get('archived') === '1';
  const projects = useProjects({ includeArchived });
  const customerName = useCustomerNames();
  const newProject = (
    <Link className="button button-primary" to="/projects/new">
      <Icon name="plus" /> New project
    </Link>
  );
  return (
    <div className="page">
      <PageHeader title="Projects" subtitle="The work you do for customers, and how it is billed." actions={newProject} />
      <div className="toolbar">
        <label className="checkbox">
          <input type="checkbox" checked={includeArchived} onChange={(event) => setParams(event.target.checked ? { archived: '1' } : {}, { replace: true })} />
          Show archived
        </label>
      </div>
      <ListStates
        query={projects}
        rows={projects.data}
        what="projects"
        framed
        skeletonRows={5}
        empty={
          <EmptyState icon="doc" title="No projects yet — create your first" action={newProject}>
            A project belongs to a customer and says how its time is billed: by the hour, at a fixed price or on a retainer.
          </EmptyState>
        }
      >
        {(rows) => (
          <div className="panel panel-flush">
            <DataTable<Project>
              caption="Projects"
              rows={rows}
              rowKey={(project) => project.id}
              rowHref={(project) => `/projects/${project.id}`}
              busy={projects.isFetching}
              columns={[
                {
                  header: 'Project',
                  cell: (project) => (
                    <>
                      <RowLink to={`/projects/${project.id}`}>{project.name}</RowLink>
                      {project.status === 'archived' && <span className="badge badge-void badge-inline">Archived</span>}
                      <div className="cell-sub">{customerName(project.customerId)}</div>
                    </>
                  ),
                },
                { header: 'Billing', cellClassName: 'muted', cell: (project) => MODEL_LABELS[project.billing.model] },
                { header: 'Terms', className: 'hide-phone', cell: (project) => <BillingSummary project={project} /> },
              ]}
            />
          </div>
        )}
      </ListStates>
    </div>
  );
}

type ProjectDraft = {
  name: string;
  code: string;
  rate: string;
  notToExceed: string;
  amount: string;
  fee: string;
  interval: string;
  includedHours: string;
  overageRate: string;
  includeUnbilledWork: boolean;
  taxRateIds: string[];
};

function draftOf(project: Project | undefined, locale: string): ProjectDraft {
  const b = project?.billing;
  const text = (value: string | null | undefined) => toInputDecimal(value ?? '', locale);
  return {
    name: project?.name ?? '',
    code: project?.code ?? '',
    rate: text(b?.rate),
    notToExceed: text(b?.notToExceed),
    amount: text(b?.amount),
    fee: text(b?.fee),
    interval: b?.interval ?? 'month',
    includedHours: text(b?.includedHours),
    overageRate: text(b?.overageRate),
    includeUnbilledWork: b?.includeUnbilledWork ?? false,
    taxRateIds: project?.taxRateIds ?? [],
  };
}

/** /projects/new — a project of a customer, with its billing model. */
export function ProjectFormPage() {
  useTitle('New project');
  return <ProjectForm />;
}

/**
 * A new project, or (given `project`) the project's changes: name, code, tax rates and billing.
 * Billing is sent whole, so a retainer's rollover and start date are sent back as they were.
 */
function ProjectForm({ project }: { project?: Project }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const format = useFormat();
  const toast = useToast();
  const client = useQueryClient();
  const taxRates = useTaxRates();
  const customerName = useCustomerNames();
  const [customerId, setCustomerId] = useState(project?.customerId ?? params.get('customerId') ?? '');
  const [model, setModel] = useState<BillingModel>(project?.billing.model ?? 'hourly');
  const { form, setForm, bind } = useFormState<ProjectDraft>(() => draftOf(project, format.locale));
  const dec = (text: string) => toApiDecimal(text, format.locale);
  const decOrNull = (text: string) => (text.trim() ? dec(text) : null);
  const kept = project?.billing.model === 'retainer' ? { rollover: project.billing.rollover, rolloverMaxHours: project.billing.rolloverMaxHours, startDate: project.billing.startDate } : {};

  const save = useMutation({
    mutationFn: () => {
      const billing =
        model === 'hourly'
          ? { model, rate: decOrNull(form.rate), notToExceed: decOrNull(form.notToExceed) }
          : model === 'fixed'
            ? { model, amount: dec(form.amount) }
            : {
                model, fee: dec(form.fee), interval: form.interval, includedHours: dec(form.includedHours), overageRate: decOrNull(form.overageRate),
                includeUnbilledWork: form.includeUnbilledWork, ...kept,
              };
      const body = { name: form.name.trim(), code: form.code.trim() || null, billing, taxRateIds: form.taxRateIds };
      return project ? patch<Project>(`/v1/projects/${project.id}`, body) : post<Project>('/v1/projects', { customerId, ...body });
    },
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['projects'] });
      toast(project ? `${saved.name} saved` : `Project ${saved.name} created`);
      navigate(`/projects/${saved.id}`, { replace: Boolean(project) });
    },
  });
  const errors = fieldErrorsOf(save.error);
  const e = (key: string) => errors[`billing.${key}`] ?? (errors.billing && key === 'model' ? errors.billing : undefined);
  const taxError = Object.entries(errors).find(([field]) => field === 'taxRateIds' || field.startsWith('taxRateIds.'))?.[1];
  const title = project ? `Edit ${project.name}` : 'New project';

  return (
    <div className="page page-narrow">
      <PageHeader title={title} back={project ? { to: `/projects/${project.id}`, label: project.name } : { to: '/projects', label: 'Projects' }} />
      <Form className="form panel" onSubmit={() => save.mutate()}>
        <fieldset className="form-section">
          <legend>Project</legend>
          {project ? (
            <p className="muted">For {customerName(project.customerId)}</p>
          ) : (
            <Field label="Customer" error={errors.customerId}>
              <CustomerSelect name="customerId" placeholder="Choose a customer…" value={customerId} onChange={(event) => setCustomerId(event.target.value)} autoFocus={!customerId} />
            </Field>
          )}
          <div className="form-row collapse-phone">
            <Field label="Name" error={errors.name}>
              <input {...bind('name')} autoComplete="off" />
            </Field>
            <Field label="Code" error={errors.code} optional hint="A short reference, like WEB-24.">
              <input {...bind('code')} autoComplete="off" />
            </Field>
          </div>
          <div className={`field${taxError ? ' has-error' : ''}`}>
            <span className="label-like">Tax rates</span>
            <TaxPicker
              rates={(taxRates.data ?? []).filter((rate) => !rate.archivedAt)}
              value={form.taxRateIds}
              onChange={(ids) => setForm((f) => ({ ...f, taxRateIds: ids }))}
              label="Tax rates"
              invalid={Boolean(taxError)}
            />
            <p className="hint">Applied to every line the project bills: time, expenses, fees and instalments.</p>
            {taxError && <p className="field-error">{taxError}</p>}
          </div>
        </fieldset>
        <fieldset className="form-section">
          <legend>Billing</legend>
          <RadioCards
            name="model"
            label="Billing model"
            value={model}
            onChange={setModel}
            options={[
              { value: 'hourly', title: 'Hourly', description: 'Time is billed at a rate per hour.' },
              { value: 'fixed', title: 'Fixed price', description: 'One amount for the whole project.' },
              { value: 'retainer', title: 'Retainer', description: 'A recurring fee with hours included.' },
            ]}
          />
          {model === 'hourly' && (
            <div className="form-row collapse-phone">
              <Field label="Hourly rate" error={e('rate')} optional hint="Leave empty to use the rates set for people or the organization.">
                <input {...bind('rate')} className="num" inputMode="decimal" placeholder="0.00" autoComplete="off" />
              </Field>
              <Field label="Not to exceed" error={e('notToExceed')} optional hint="A cap on what the project bills in all; invoicing past it asks first.">
                <input {...bind('notToExceed')} className="num" inputMode="decimal" placeholder="0.00" autoComplete="off" />
              </Field>
            </div>
          )}
          {model === 'fixed' && (
            <Field label="Fixed amount" error={e('amount')}>
              <input {...bind('amount')} className="num input-short" inputMode="decimal" placeholder="0.00" autoComplete="off" />
            </Field>
          )}
          {model === 'retainer' && (
            <>
              <div className="form-row collapse-phone">
                <Field label="Retainer fee" error={e('fee')}>
                  <input {...bind('fee')} className="num" inputMode="decimal" placeholder="0.00" autoComplete="off" />
                </Field>
                <Field label="Interval" error={e('interval')}>
                  <select {...bind('interval')}>
                    <option value="month">Monthly</option>
                    <option value="quarter">Quarterly</option>
                    <option value="year">Yearly</option>
                  </select>
                </Field>
              </div>
              <div className="form-row collapse-phone">
                <Field label="Included hours" error={e('includedHours')}>
                  <input {...bind('includedHours')} className="num" inputMode="decimal" placeholder="20" autoComplete="off" />
                </Field>
                <Field label="Overage rate" error={e('overageRate')} optional hint="Per hour beyond the included hours.">
                  <input {...bind('overageRate')} className="num" inputMode="decimal" placeholder="0.00" autoComplete="off" />
                </Field>
              </div>
              <label className="checkbox">
                <input type="checkbox" checked={form.includeUnbilledWork} onChange={(event) => setForm((f) => ({ ...f, includeUnbilledWork: event.target.checked }))} />
                Include unbilled hourly work on each retainer invoice
              </label>
              {e('includeUnbilledWork') && <p className="field-error">{e('includeUnbilledWork')}</p>}
            </>
          )}
        </fieldset>
        <FormError error={save.error} fields={['customerId', 'name', 'code', 'billing', 'taxRateIds']} />
        <div className="form-actions">
          <button type="button" className="button" onClick={() => navigate(-1)}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={save.isPending || !customerId}>
            {project ? (save.isPending ? 'Saving…' : 'Save changes') : save.isPending ? 'Creating…' : 'Create project'}
          </button>
        </div>
      </Form>
    </div>
  );
}

/** /projects/:id — a project's billing, its schedule when fixed-price, and its tasks; ?edit=1 edits it. */
export function ProjectDetailPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const project = useProject(id);
  const tasks = useTasks(id);
  const customerName = useCustomerNames();
  const taxRates = useTaxRates(true);
  const editing = params.get('edit') === '1';
  useTitle(project.data ? (editing ? `Edit ${project.data.name}` : project.data.name) : 'Project');
  if (project.isPending) return <Skeleton rows={6} />;
  if (project.isError) return <ErrorPanel error={project.error} retry={() => void project.refetch()} what="project" />;
  const p = project.data;
  if (editing) return <ProjectForm key={p.updatedAt} project={p} />;
  const taxNames = p.taxRateIds.map((rateId) => taxRates.data?.find((rate) => rate.id === rateId)?.name ?? '…');
  return (
    <div className="page">
      <PageHeader
        title={p.name}
        back={{ to: '/projects', label: 'Projects' }}
        subtitle={
          <>
            <Link to={`/customers/${p.customerId}`}>{customerName(p.customerId)}</Link>
            {p.code ? ` · ${p.code}` : ''}
          </>
        }
        actions={
          <>
            <Link className="button" to="?edit=1">
              <Icon name="edit" /> Edit
            </Link>
            <Link className="button" to="/unbilled">
              Unbilled work
            </Link>
          </>
        }
      />
      <div className="panel">
        <DefinitionList
          items={[
            ['Billing', MODEL_LABELS[p.billing.model]],
            ['Terms', <BillingSummary key="terms" project={p} />],
            ['Currency', p.currency],
            ['Tax rates', taxNames.length ? taxNames.join(' + ') : 'None'],
            p.billing.model === 'hourly' && ['Not to exceed', p.billing.notToExceed ? <Money key="nte" amount={p.billing.notToExceed} currency={p.currency} /> : 'No cap'],
            p.billing.model === 'retainer' && ['Unbilled hourly work', p.billing.includeUnbilledWork ? 'Included on each retainer invoice' : 'Invoiced separately'],
            ['Rounding', p.roundingMinutes > 1 ? `Up to ${p.roundingMinutes} minutes` : 'None'],
            p.billing.model === 'fixed' && ['Amount', <Money key="amount" amount={p.billing.amount} currency={p.currency} />],
          ]}
        />
      </div>
      {p.billing.model === 'fixed' && <ProjectSchedule project={p} />}
      <PanelSection id="tasks-title" title="Tasks">
        <ListStates
          query={tasks}
          rows={tasks.data}
          what="tasks"
          empty={<p className="panel-empty muted">No tasks yet. Tasks split a project’s time, and can have rates of their own.</p>}
        >
          {(rows) => (
            <DataTable<Task>
              caption="Tasks"
              className="table-rowheads"
              rows={rows}
              rowKey={(task) => task.id}
              columns={[
                { header: 'Task', rowHeader: true, cell: (task) => task.name },
                { header: 'Rate', className: 'num', cell: (task) => (task.rate ? <Money amount={task.rate} currency={p.currency} /> : <span className="muted">Project rate</span>) },
                { header: 'Billable', cellClassName: 'muted', cell: (task) => (task.billable ? 'Yes' : 'No') },
              ]}
            />
          )}
        </ListStates>
        <AddTask projectId={p.id} />
      </PanelSection>
    </div>
  );
}

function AddTask({ projectId }: { projectId: string }) {
  const format = useFormat();
  const client = useQueryClient();
  const toast = useToast();
  const { form, setForm, bind } = useFormState({ name: '', rate: '' });
  const add = useMutation({
    mutationFn: () => post<Task>(`/v1/projects/${projectId}/tasks`, { name: form.name.trim(), ...(form.rate.trim() ? { rate: toApiDecimal(form.rate, format.locale) } : {}) }),
    onSuccess: async (task) => {
      await client.invalidateQueries({ queryKey: ['projects', 'tasks', projectId] });
      toast(`Task ${task.name} added`);
      setForm({ name: '', rate: '' });
    },
  });
  const errors = fieldErrorsOf(add.error);
  return (
    <Form className="form" onSubmit={() => add.mutate()} style={{ padding: 'var(--space-4)', borderTop: '1px solid var(--border)' }}>
      <div className="form-row collapse-phone">
        <Field label="New task" error={errors.name}>
          <input {...bind('name')} autoComplete="off" />
        </Field>
        <Field label="Task rate" error={errors.rate} optional>
          <input {...bind('rate')} className="num" inputMode="decimal" placeholder="0.00" autoComplete="off" />
        </Field>
      </div>
      <FormError error={add.error} fields={['name', 'rate']} />
      <div>
        <button type="submit" className="button" disabled={add.isPending || !form.name.trim()}>
          <Icon name="plus" /> {add.isPending ? 'Adding…' : 'Add task'}
        </button>
      </div>
    </Form>
  );
}
