import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { fieldErrorsOf, patch, post } from '../api/client.ts';
import { useCustomerNames } from '../api/queries.ts';
import { fileSize, receiptOf, receiptUpload, RECEIPT_TYPES, type ReceiptUpload } from '../api/receipts.ts';
import { useExpenses, useProjects, useRefreshWork, type Expense } from '../api/work.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Icon } from '../components/Icon.tsx';
import { ListStates } from '../components/lists.tsx';
import { EmptyState, ErrorAlert, Field, Form, FormError, Money, PageHeader, PanelSection, useTitle } from '../components/ui.tsx';
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
                { header: 'Receipt', cell: (expense) => <ReceiptCell expense={expense} /> },
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
  const [receipt, setReceipt] = useState<ReceiptUpload | null>(null);
  const [receiptError, setReceiptError] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () =>
      post<Expense>('/v1/expenses', {
        ...(receipt ? { receipt } : {}),
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
      setReceipt(null);
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
        <Field label="Receipt" error={receiptError ?? errors['receipt.data'] ?? errors['receipt.contentType'] ?? errors['receipt.filename']} hint={receipt ? `Attached: ${receipt.filename}` : 'PDF or picture, at most 5 MB.'} optional>
          <input
            name="receipt"
            type="file"
            accept={RECEIPT_TYPES.join(',')}
            onChange={async (event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              setReceipt(null);
              setReceiptError(null);
              if (!file) return;
              const upload = await receiptUpload(file);
              if (typeof upload === 'string') setReceiptError(upload);
              else setReceipt(upload);
            }}
          />
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={billable} onChange={(event) => setBillable(event.target.checked)} />
          Bill to the customer
        </label>
        <FormError error={add.error} fields={['projectId', 'date', 'amount', 'currency', 'category', 'description', 'receipt']} />
        <div>
          <button type="submit" className="button button-primary" disabled={add.isPending || !form.projectId}>
            <Icon name="plus" /> {add.isPending ? 'Recording…' : 'Record expense'}
          </button>
        </div>
      </Form>
    </PanelSection>
  );
}

/**
 * An expense's receipt: open it (the browser shows pictures and PDFs) or download it; attach one,
 * or replace it, while the expense is not billed (billed expenses cannot change).
 */
function ReceiptCell({ expense }: { expense: Expense }) {
  const refresh = useRefreshWork();
  const toast = useToast();
  const [problem, setProblem] = useState<string | null>(null);
  const receipt = receiptOf(expense);
  const attach = useMutation({
    mutationFn: (upload: ReceiptUpload) => patch<Expense>(`/v1/expenses/${expense.id}`, { receipt: upload }),
    onSuccess: async (saved) => {
      await refresh();
      toast(`Receipt ${receiptOf(saved)?.filename ?? ''} attached`);
    },
  });
  const label = `${receipt ? 'Replace' : 'Attach'} receipt for ${expense.category}`;
  return (
    <div className="receipt-cell">
      {receipt && (
        <span>
          <Icon name="receipt" size={16} />{' '}
          <a href={receipt.url} target="_blank" rel="noopener" title={`Open ${receipt.filename}`}>
            {receipt.filename}
          </a>{' '}
          <span className="muted small">{fileSize(receipt.sizeBytes)}</span>{' '}
          <a href={receipt.url} download={receipt.filename} className="small" aria-label={`Download receipt ${receipt.filename}`}>
            Download
          </a>
        </span>
      )}
      {!expense.billed && (
        <label className={`button button-small file-button${receipt ? ' button-ghost' : ''}`}>
          {attach.isPending ? 'Uploading…' : receipt ? 'Replace' : 'Attach receipt'}
          <input
            type="file"
            className="sr-only"
            aria-label={label}
            accept={RECEIPT_TYPES.join(',')}
            disabled={attach.isPending}
            onChange={async (event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              setProblem(null);
              attach.reset();
              if (!file) return;
              const upload = await receiptUpload(file);
              if (typeof upload === 'string') setProblem(upload);
              else attach.mutate(upload);
            }}
          />
        </label>
      )}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <ErrorAlert error={attach.error} />
    </div>
  );
}
