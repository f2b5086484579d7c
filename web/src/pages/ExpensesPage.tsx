import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { fieldErrorsOf, post } from '../api/client.ts';
import { useCustomerNames } from '../api/queries.ts';
import { useExpenses, useProjects, useRefreshWork, type Expense } from '../api/work.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Icon } from '../components/Icon.tsx';
import { ListStates } from '../components/lists.tsx';
import { EmptyState, Field, Form, FormError, Money, PageHeader, PanelSection, useTitle } from '../components/ui.tsx';
import { toApiDecimal, useFormat } from '../lib/format.ts';
import { useFormState } from '../lib/forms.ts';
import { useToast } from '../lib/toast.tsx';

/** /expenses — money spent on projects, billable to their customers. */
export function ExpensesPage() {
  useTitle('Expenses');
  const expenses = useExpenses();
  const projects = useProjects({ includeArchived: true });
  const format = useFormat();
  const projectName = (id: string) => projects.data?.find((p) => p.id === id)?.name ?? '…';
  return (
    <div className="page">
      <PageHeader title="Expenses" subtitle="Money spent on projects: billable expenses go on the customer’s next invoice." />
      <NewExpense />
      <ListStates
        query={expenses}
        rows={expenses.data}
        what="expenses"
        framed
        empty={<EmptyState icon="coins" title="No expenses yet">Record travel, materials or licences bought for a project.</EmptyState>}
      >
        {(rows) => (
          <div className="panel panel-flush">
            <DataTable<Expense>
              caption="Expenses"
              className="table-rowheads"
              rows={rows}
              rowKey={(expense) => expense.id}
              columns={[
                { header: 'Date', cellClassName: 'muted', cell: (expense) => format.date(expense.date) },
                {
                  header: 'Expense',
                  rowHeader: true,
                  cell: (expense) => (
                    <>
                      {expense.category}
                      <div className="cell-sub">
                        <Link to={`/projects/${expense.projectId}`}>{projectName(expense.projectId)}</Link>
                        {expense.description ? ` · ${expense.description}` : ''}
                      </div>
                    </>
                  ),
                },
                {
                  header: 'Status',
                  className: 'hide-phone',
                  cell: (expense) =>
                    expense.billed ? <span className="badge badge-paid">Billed</span> : expense.billable ? <span className="badge badge-open">Unbilled</span> : <span className="badge badge-void">Not billable</span>,
                },
                { header: 'Amount', className: 'num', cell: (expense) => <Money amount={expense.amount} currency={expense.currency} className="strong" /> },
              ]}
            />
          </div>
        )}
      </ListStates>
    </div>
  );
}

function NewExpense() {
  const format = useFormat();
  const projects = useProjects();
  const customerName = useCustomerNames();
  const refresh = useRefreshWork();
  const toast = useToast();
  const { form, setForm, bind } = useFormState({ projectId: '', date: format.today(), amount: '', category: '', description: '' });
  const [billable, setBillable] = useState(true);
  const add = useMutation({
    mutationFn: () =>
      post<Expense>('/v1/expenses', {
        projectId: form.projectId,
        date: form.date,
        amount: toApiDecimal(form.amount, format.locale),
        category: form.category.trim(),
        billable,
        ...(form.description.trim() ? { description: form.description.trim() } : {}),
      }),
    onSuccess: async (expense) => {
      await refresh();
      toast(`Expense of ${format.money(expense.amount, expense.currency)} recorded`);
      setForm((f) => ({ ...f, amount: '', category: '', description: '' }));
    },
  });
  const errors = fieldErrorsOf(add.error);
  return (
    <PanelSection id="new-expense-title" title="Record an expense">
      <Form className="form" onSubmit={() => add.mutate()} aria-labelledby="new-expense-title" style={{ padding: '0 var(--space-4) var(--space-4)' }}>
        <div className="form-row collapse-phone">
          <Field label="Project" error={errors.projectId}>
            <select {...bind('projectId')}>
              <option value="">Choose a project…</option>
              {(projects.data ?? []).map((project) => (
                <option key={project.id} value={project.id}>
                  {project.name} — {customerName(project.customerId)}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Date" error={errors.date}>
            <input {...bind('date')} type="date" />
          </Field>
        </div>
        <div className="form-row form-row-3 collapse-phone">
          <Field label="Amount" error={errors.amount ?? errors.currency}>
            <input {...bind('amount')} className="num" inputMode="decimal" placeholder="0.00" autoComplete="off" />
          </Field>
          <Field label="Category" error={errors.category} hint="Travel, materials, licences…">
            <input {...bind('category')} autoComplete="off" />
          </Field>
          <Field label="Description" error={errors.description} optional>
            <input {...bind('description')} autoComplete="off" />
          </Field>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={billable} onChange={(event) => setBillable(event.target.checked)} />
          Bill to the customer
        </label>
        <FormError error={add.error} fields={['projectId', 'date', 'amount', 'currency', 'category', 'description']} />
        <div>
          <button type="submit" className="button button-primary" disabled={add.isPending || !form.projectId}>
            <Icon name="plus" /> {add.isPending ? 'Recording…' : 'Record expense'}
          </button>
        </div>
      </Form>
    </PanelSection>
  );
}
