import { createContext, useContext } from 'react';
import type { InvoiceStatus, PaymentMethod } from '../api/types.ts';

// Formatting by the organization's locale, currency and time zone, with Intl. Amounts go to
// Intl.NumberFormat as decimal strings, which formats them exactly (no float conversion).

export type Formatter = {
  locale: string;
  timeZone: string;
  currency: string;
  money(amount: string | null | undefined, currency?: string): string;
  /** A calendar date (YYYY-MM-DD), shown as is: no time zone shifts a business date. */
  date(isoDate: string | null | undefined, style?: 'medium' | 'short' | 'long'): string;
  /** An instant, shown in the organization's time zone. */
  dateTime(instant: string | null | undefined): string;
  month(yearMonth: string, style?: 'short' | 'long'): string;
  percent(value: string): string;
  number(value: string): string;
  /** Today's date in the organization's time zone, YYYY-MM-DD. */
  today(): string;
};

export function createFormatter(locale: string, timeZone: string, currency: string): Formatter {
  const safeLocale = supportedLocale(locale);
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  const moneyFormat = (code: string) => {
    let f = moneyFormats.get(code);
    if (!f) {
      try {
        const digits = new Intl.NumberFormat(safeLocale, { style: 'currency', currency: code }).resolvedOptions().minimumFractionDigits;
        f = new Intl.NumberFormat(safeLocale, { style: 'currency', currency: code, minimumFractionDigits: digits ?? 2, maximumFractionDigits: 20 });
      } catch {
        f = new Intl.NumberFormat(safeLocale, { minimumFractionDigits: 2, maximumFractionDigits: 20 });
      }
      moneyFormats.set(code, f);
    }
    return f;
  };
  const dateFormats = {
    short: new Intl.DateTimeFormat(safeLocale, { dateStyle: 'short', timeZone: 'UTC' }),
    medium: new Intl.DateTimeFormat(safeLocale, { dateStyle: 'medium', timeZone: 'UTC' }),
    long: new Intl.DateTimeFormat(safeLocale, { dateStyle: 'long', timeZone: 'UTC' }),
  };
  const safeZone = supportedTimeZone(timeZone);
  const instantFormat = new Intl.DateTimeFormat(safeLocale, { dateStyle: 'medium', timeStyle: 'short', timeZone: safeZone });
  const monthFormats = {
    short: new Intl.DateTimeFormat(safeLocale, { month: 'short', timeZone: 'UTC' }),
    long: new Intl.DateTimeFormat(safeLocale, { month: 'long', year: 'numeric', timeZone: 'UTC' }),
  };
  const numberFormat = new Intl.NumberFormat(safeLocale, { maximumFractionDigits: 20 });
  // Where the locale puts the % sign ("19%", "19 %", "%19"); the number itself stays exact.
  const percentPattern = new Intl.NumberFormat(safeLocale, { style: 'percent' })
    .formatToParts(0.5)
    .map((part) => (part.type === 'integer' ? '#' : part.value))
    .join('');
  const todayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: safeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return {
    locale: safeLocale,
    timeZone: safeZone,
    currency,
    money(amount, code = currency) {
      if (amount === null || amount === undefined || amount === '') return '—';
      return moneyFormat(code).format(amount as Intl.StringNumericLiteral);
    },
    date(isoDate, style = 'medium') {
      if (!isoDate) return '—';
      const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
      if (!y || !m || !d) return isoDate;
      return dateFormats[style].format(new Date(Date.UTC(y, m - 1, d)));
    },
    dateTime(instant) {
      if (!instant) return '—';
      return instantFormat.format(new Date(instant));
    },
    month(yearMonth, style = 'short') {
      const [y, m] = yearMonth.split('-').map(Number);
      if (!y || !m) return yearMonth;
      return monthFormats[style].format(new Date(Date.UTC(y, m - 1, 1)));
    },
    percent(value) {
      return percentPattern.replace('#', numberFormat.format(value as Intl.StringNumericLiteral));
    },
    number(value) {
      return numberFormat.format(value as Intl.StringNumericLiteral);
    },
    today() {
      return todayFormat.format(new Date());
    },
  };
}

function supportedLocale(locale: string): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale])[0] ?? 'en';
  } catch {
    return 'en';
  }
}

function supportedTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

export const FormatContext = createContext<Formatter>(createFormatter('en', 'UTC', 'EUR'));

export function useFormat(): Formatter {
  return useContext(FormatContext);
}

export const STATUS_LABELS: Record<InvoiceStatus, string> = {
  draft: 'Draft',
  open: 'Open',
  partially_paid: 'Partially paid',
  paid: 'Paid',
  overdue: 'Overdue',
  void: 'Void',
};

export const METHOD_LABELS: Record<PaymentMethod, string> = {
  bank_transfer: 'Bank transfer',
  card: 'Card',
  cash: 'Cash',
  cheque: 'Cheque',
  other: 'Other',
};

export const ROLE_LABELS: Record<string, string> = {
  owner: 'Owner',
  admin: 'Admin',
  bookkeeper: 'Bookkeeper',
  member: 'Member',
};

/** Currency codes the browser knows, for pickers; common ones first. */
export function currencyOptions(): Array<{ code: string; label: string }> {
  const common = ['EUR', 'USD', 'GBP', 'CHF', 'CAD', 'AUD', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'JPY'];
  let all: string[] = common;
  try {
    all = Intl.supportedValuesOf('currency');
  } catch {
    /* older browsers: the common list */
  }
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames(['en'], { type: 'currency' });
  } catch {
    names = null;
  }
  const ordered = [...common, ...all.filter((code) => !common.includes(code))];
  return ordered.map((code) => ({ code, label: `${code} — ${names?.of(code) ?? code}` }));
}

export function timeZoneOptions(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC', 'Europe/Berlin', 'Europe/London', 'America/New_York'];
  }
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The browser's language as the API wants a locale: "en" or "de-DE". */
export function browserLocale(): string {
  const tag = (typeof navigator !== 'undefined' && navigator.language) || 'en';
  const match = /^([a-z]{2})(?:-([A-Za-z]{2}))?/.exec(tag);
  if (!match) return 'en';
  return match[2] ? `${match[1]}-${match[2].toUpperCase()}` : match[1]!;
}

export const LOCALE_OPTIONS: Array<{ value: string; label: string }> = [
  { value: 'en', label: 'English' },
  { value: 'en-US', label: 'English (United States)' },
  { value: 'en-GB', label: 'English (United Kingdom)' },
  { value: 'de-DE', label: 'Deutsch (Deutschland)' },
  { value: 'de-AT', label: 'Deutsch (Österreich)' },
  { value: 'de-CH', label: 'Deutsch (Schweiz)' },
  { value: 'fr-FR', label: 'Français (France)' },
  { value: 'nl-NL', label: 'Nederlands' },
  { value: 'es-ES', label: 'Español' },
  { value: 'it-IT', label: 'Italiano' },
  { value: 'pt-PT', label: 'Português' },
  { value: 'sv-SE', label: 'Svenska' },
  { value: 'da-DK', label: 'Dansk' },
  { value: 'pl-PL', label: 'Polski' },
];

/**
 * What a person typed as a decimal, in the form the API takes: spaces dropped, and in locales that
 * write "1,5" the decimal comma made a point. Anything else is left for the server to judge.
 */
export function toApiDecimal(text: string, locale: string): string {
  const trimmed = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (decimalSeparatorOf(locale) === ',' && /^-?\d*,\d+$/.test(trimmed)) return trimmed.replace(',', '.');
  return trimmed;
}

const separators = new Map<string, string>();

export function decimalSeparatorOf(locale: string): string {
  let separator = separators.get(locale);
  if (!separator) {
    try {
      separator = new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.';
    } catch {
      separator = '.';
    }
    separators.set(locale, separator);
  }
  return separator;
}

/** A decimal from the API shown for editing in the locale's way ("1.5" → "1,5" in German). */
export function toInputDecimal(text: string, locale: string): string {
  return decimalSeparatorOf(locale) === ',' ? text.replace('.', ',') : text;
}

/** A calendar date (YYYY-MM-DD) moved by whole days, computed in UTC so no time zone shifts it. */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return isoDate;
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** A period whose end is exclusive (the next one starts on it), shown by its last day: "Nov 23 – Dec 22". */
export function periodRange(format: Pick<Formatter, 'date'>, start: string, endExclusive: string): string {
  return `${format.date(start)} – ${format.date(addDays(endExclusive, -1))}`;
}
