import {
  cloneElement, isValidElement, useEffect, useId, useRef, type FormHTMLAttributes, type ReactElement, type ReactNode,
} from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/client.ts';
import type { Address, InvoiceStatus } from '../api/types.ts';
import { STATUS_LABELS, useFormat } from '../lib/format.ts';

type FieldProps = {
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
  className?: string;
  /** One input, select or textarea: it gets the id and the aria attributes. */
  children: ReactElement<Record<string, unknown>>;
  optional?: boolean;
};

/** A labelled input with its hint and its error (from problem+json) right below it. */
export function Field({ label, error, hint, className, children, optional }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const control = isValidElement(children)
    ? cloneElement(children, { id: (children.props.id as string | undefined) ?? id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })
    : children;
  return (
    <div className={`field${error ? ' has-error' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={(children.props.id as string | undefined) ?? id}>
        {label}
        {optional && <span className="optional"> (optional)</span>}
      </label>
      {control}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The error of a form: the problem's detail when no field shows it, or a pointer to the fields.
 * `fields` are the field names this form shows next to its inputs.
 */
export function FormError({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  if (!error) return <div aria-live="assertive" className="sr-only" />;
  let message = 'Something went wrong. Try again.';
  if (error instanceof ApiError) {
    const shown = Object.keys(error.fieldErrors).filter((field) => fields.some((known) => known === field || field.startsWith(`${known}.`)));
    const unshown = Object.entries(error.fieldErrors).filter(([field]) => !shown.includes(field));
    if (shown.length > 0 && unshown.length === 0) message = shown.length === 1 ? 'Please correct the highlighted field.' : 'Please correct the highlighted fields.';
    else if (unshown.length > 0 && shown.length === 0 && Object.keys(error.fieldErrors).length > 0) message = error.detail;
    else if (unshown.length > 0) message = `Please correct the highlighted fields. ${unshown.map(([f, m]) => `${f}: ${m}`).join('; ')}`;
    else message = error.detail;
  } else if (error instanceof Error) {
    message = error.message;
  }
  return (
    <div className="alert alert-error" role="alert">
      {message}
    </div>
  );
}

/** The problem's detail of a refused request, as an alert; nothing for no error. */
export function ErrorAlert({ error }: { error: unknown }) {
  if (!(error instanceof ApiError)) return null;
  return (
    <div className="alert alert-error" role="alert">
      {error.detail}
    </div>
  );
}

/** A form the server validates: no browser validation, and submitting calls `onSubmit` instead of loading a page. */
export function Form({ onSubmit, children, ...props }: Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit'> & { onSubmit: () => void }) {
  return (
    <form
      noValidate
      {...props}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/**
 * A dialog's Cancel and action buttons. Without `onConfirm` the action submits the form around it;
 * `pendingLabel` replaces the label while `pending`.
 */
export function DialogActions({ onCancel, cancelLabel = 'Cancel', label, pendingLabel, pending = false, disabled = false, danger = false, onConfirm }: {
  onCancel: () => void;
  cancelLabel?: string;
  label: ReactNode;
  pendingLabel?: ReactNode;
  pending?: boolean;
  disabled?: boolean;
  danger?: boolean;
  onConfirm?: () => void;
}) {
  return (
    <>
      <button type="button" className="button" onClick={onCancel}>
        {cancelLabel}
      </button>
      <button type={onConfirm ? 'button' : 'submit'} className={`button ${danger ? 'button-danger-solid' : 'button-primary'}`} onClick={onConfirm} disabled={pending || disabled}>
        {pending && pendingLabel ? pendingLabel : label}
      </button>
    </>
  );
}

/** A panel with a titled head (and actions beside the title) around a table or list. */
export function PanelSection({ id, title, actions, className, children }: { id: string; title: ReactNode; actions?: ReactNode; className?: string; children: ReactNode }) {
  return (
    <section className={`panel panel-flush${className ? ` ${className}` : ''}`} aria-labelledby={id}>
      <div className="panel-head">
        <h2 id={id} className="panel-title">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function PostalAddress({ address }: { address: Address }) {
  return (
    <address>
      {address.line1}
      {address.line2 && (
        <>
          <br />
          {address.line2}
        </>
      )}
      <br />
      {address.postalCode} {address.city}
      {address.region && `, ${address.region}`}
      <br />
      {address.country}
    </address>
  );
}

export function PageHeader({ title, subtitle, actions, back }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; back?: { to: string; label: string } }) {
  return (
    <header className="page-header">
      <div className="page-heading">
        {back && (
          <Link className="back-link" to={back.to}>
            <span aria-hidden="true">←</span> {back.label}
          </Link>
        )}
        <h1>{title}</h1>
        {subtitle && <div className="page-subtitle">{subtitle}</div>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function StatusBadge({ status }: { status: InvoiceStatus }) {
  return <span className={`badge badge-${status}`}>{STATUS_LABELS[status] ?? status}</span>;
}

export function Money({ amount, currency, className }: { amount: string | null | undefined; currency?: string; className?: string }) {
  const format = useFormat();
  return <span className={`num${className ? ` ${className}` : ''}`}>{format.money(amount, currency)}</span>;
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Skeleton({ rows = 4 }: { rows?: number }) {
  return (
    <div className="skeleton" role="status" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton-row" />
      ))}
    </div>
  );
}

export function EmptyState({ title, children, action, icon = 'doc' }: { title: string; children?: ReactNode; action?: ReactNode; icon?: 'doc' | 'people' | 'coins' | 'tag' }) {
  return (
    <div className="empty-state">
      <EmptyIcon kind={icon} />
      <h2>{title}</h2>
      {children && <p>{children}</p>}
      {action && <div className="empty-actions">{action}</div>}
    </div>
  );
}

function EmptyIcon({ kind }: { kind: 'doc' | 'people' | 'coins' | 'tag' }) {
  const paths: Record<typeof kind, ReactNode> = {
    doc: <path d="M14 6h14l8 8v24a2 2 0 0 1-2 2H14a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2Zm14 0v8h8M18 22h12M18 28h12M18 34h7" />,
    people: <path d="M17 22a6 6 0 1 0 0-12 6 6 0 0 0 0 12Zm-9 16c0-5 4-9 9-9s9 4 9 9M31 20a5 5 0 1 0 0-10M33 29c4 1 7 4 7 9" />,
    coins: <path d="M24 14c7 0 12-2 12-4.5S31 5 24 5 12 7 12 9.5 17 14 24 14Zm-12-4.5v8c0 2.5 5 4.5 12 4.5s12-2 12-4.5v-8M12 17.5v8c0 2.5 5 4.5 12 4.5s12-2 12-4.5v-8M12 25.5v8c0 2.5 5 4.5 12 4.5s12-2 12-4.5v-8" />,
    tag: <path d="M8 8h14l18 18-14 14L8 22V8Zm8 8h.01" />,
  };
  return (
    <svg className="empty-icon" viewBox="0 0 48 48" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      {paths[kind]}
    </svg>
  );
}

/** A page-level error: not found gets its own message, other errors a retry. */
export function ErrorPanel({ error, retry, what = 'page' }: { error: unknown; retry?: () => void; what?: string }) {
  if (error instanceof ApiError && error.isNotFound) return <NotFound what={what} />;
  return (
    <div className="panel error-panel" role="alert">
      <h2>We couldn’t load this {what}</h2>
      <p>{error instanceof ApiError ? error.detail : 'Something went wrong.'}</p>
      {retry && (
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function NotFound({ what = 'page' }: { what?: string }) {
  useTitle('Not found');
  return (
    <div className="not-found" role="alert">
      <p className="not-found-code">404</p>
      <h1>We couldn’t find that {what}</h1>
      <p>It may have been deleted, or the link belongs to another organization.</p>
      <Link className="button button-primary" to="/">
        Go to the dashboard
      </Link>
    </div>
  );
}

/** A modal dialog on the native <dialog>: focus is trapped, Escape closes it. */
export function Dialog({ open, onClose, title, children, footer, size = 'md' }: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  footer?: ReactNode;
  size?: 'sm' | 'md';
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}`}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <div className="dialog-header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
              <span aria-hidden="true">×</span>
            </button>
          </div>
          <div className="dialog-body">{children}</div>
          {footer && <div className="dialog-footer">{footer}</div>}
        </>
      )}
    </dialog>
  );
}

export function useTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · Accrue` : 'Accrue';
  }, [title]);
}

export function Spinner() {
  return <span className="spinner spinner-inline" aria-hidden="true" />;
}

export function DefinitionList({ items, className = 'definition-list' }: { items: Array<[ReactNode, ReactNode] | null | false>; className?: string }) {
  return (
    <dl className={className}>
      {items.filter((item): item is [ReactNode, ReactNode] => Boolean(item)).map(([term, value], index) => (
        <div key={index}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
