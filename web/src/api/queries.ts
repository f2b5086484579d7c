import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { get, query } from './client.ts';
import type {
  CreditNote, Customer, Dashboard, Invoice, InvoiceStatus, Item, NumberSeries, Organization, Page, Payment, TaxRate, User,
} from './types.ts';

/**
 * A list the API pages with cursors: the query, with `rows` (the pages loaded so far, in order).
 * `keepPrevious` keeps showing the last rows while other filters load.
 */
function usePagedList<T>(queryKey: unknown[], path: string, params: Record<string, string | number | boolean | undefined | null>, options: { limit?: number; keepPrevious?: boolean } = {}) {
  const result = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => get<Page<T>>(`${path}${query({ ...params, cursor: pageParam, limit: options.limit ?? 50 })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
  });
  const rows = useMemo(() => result.data?.pages.flatMap((page) => page.data) ?? [], [result.data]);
  return { ...result, rows };
}

export type PagedList<T> = ReturnType<typeof usePagedList<T>>;

export function useCustomers(params: { search?: string; includeArchived?: boolean } = {}) {
  return usePagedList<Customer>(['customers', 'list', params], '/v1/customers', params, { keepPrevious: true });
}

/** Every customer (up to 200, archived too), for pickers and to name customers in lists. */
export function useAllCustomers() {
  return useQuery({
    queryKey: ['customers', 'all'],
    queryFn: ({ signal }) => get<Page<Customer>>(`/v1/customers?limit=200&includeArchived=true`, { signal }).then((page) => page.data),
    staleTime: 30_000,
  });
}

export function useCustomerNames(): (id: string) => string {
  const { data } = useAllCustomers();
  const names = new Map((data ?? []).map((customer) => [customer.id, customer.name]));
  return (id) => names.get(id) ?? '…';
}

export function useCustomer(id: string | undefined) {
  return useQuery({
    queryKey: ['customers', 'one', id],
    queryFn: ({ signal }) => get<Customer>(`/v1/customers/${encodeURIComponent(id!)}`, { signal }),
    enabled: Boolean(id),
  });
}

export type InvoiceFilter = { status?: InvoiceStatus | ''; customerId?: string; issuedFrom?: string; issuedTo?: string; search?: string };

export function useInvoices(filter: InvoiceFilter, options: { limit?: number } = {}) {
  return usePagedList<Invoice>(['invoices', 'list', filter, options.limit ?? 50], '/v1/invoices', filter, { limit: options.limit, keepPrevious: true });
}

export function useInvoice(id: string | undefined) {
  return useQuery({
    queryKey: ['invoices', 'one', id],
    queryFn: ({ signal }) => get<Invoice>(`/v1/invoices/${encodeURIComponent(id!)}`, { signal }),
    enabled: Boolean(id),
  });
}

/** Issued invoices of a customer that still have money owed, oldest due date first. */
export function useOpenInvoices(customerId: string | undefined) {
  return useQuery({
    queryKey: ['invoices', 'open', customerId],
    queryFn: async ({ signal }) => {
      const page = await get<Page<Invoice>>(`/v1/invoices${query({ customerId, limit: 200 })}`, { signal });
      return page.data
        .filter((invoice) => invoice.status === 'open' || invoice.status === 'partially_paid' || invoice.status === 'overdue')
        .sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? '') || (a.number ?? '').localeCompare(b.number ?? ''));
    },
    enabled: Boolean(customerId),
  });
}

export function useCreditNotes(params: { invoiceId?: string; customerId?: string }) {
  return useQuery({
    queryKey: ['credit-notes', params],
    queryFn: ({ signal }) => get<{ data: CreditNote[] }>(`/v1/credit-notes${query(params)}`, { signal }).then((r) => r.data),
  });
}

export function usePayments(params: { customerId?: string } = {}) {
  return usePagedList<Payment>(['payments', 'list', params], '/v1/payments', params);
}

export function useTaxRates(includeArchived = false) {
  return useQuery({
    queryKey: ['tax-rates', includeArchived],
    queryFn: ({ signal }) => get<{ data: TaxRate[] }>(`/v1/tax-rates${query({ includeArchived })}`, { signal }).then((r) => r.data),
    staleTime: 60_000,
  });
}

export function useItems() {
  return useQuery({
    queryKey: ['items'],
    queryFn: ({ signal }) => get<{ data: Item[] }>(`/v1/items`, { signal }).then((r) => r.data),
    staleTime: 60_000,
  });
}

export function useOrganization() {
  return useQuery({ queryKey: ['organization'], queryFn: ({ signal }) => get<Organization>('/v1/organization', { signal }) });
}

export function useNumberSeries() {
  return useQuery({
    queryKey: ['number-series'],
    queryFn: ({ signal }) => get<{ data: NumberSeries[] }>('/v1/number-series', { signal }).then((r) => r.data),
  });
}

export function useUsers() {
  return useQuery({
    queryKey: ['users'],
    queryFn: ({ signal }) => get<{ data: User[] } | User[]>('/v1/users', { signal }).then((r) => (Array.isArray(r) ? r : r.data)),
  });
}

export function useDashboard() {
  return useQuery({ queryKey: ['dashboard'], queryFn: ({ signal }) => get<Dashboard>('/v1/dashboard', { signal }) });
}

/** After anything that moves money: every list, balance and the dashboard may have changed. */
export function useRefreshMoney(): () => Promise<void> {
  const client = useQueryClient();
  return async () => {
    await Promise.all(
      ['invoices', 'customers', 'payments', 'credit-notes', 'dashboard'].map((key) => client.invalidateQueries({ queryKey: [key] })),
    );
  };
}
