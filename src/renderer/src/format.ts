import { i18n } from './i18n';

const locale = () => (i18n.language === 'pl' ? 'pl-PL' : 'en-GB');

// Building an Intl formatter costs milliseconds (locale data is loaded each time); a table
// of 40 rows formatting one date each would spend most of its render here. One per locale.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

const dateTimeFormat = () => {
  const at = locale();
  let f = dateTimeFormats.get(at);
  if (!f) dateTimeFormats.set(at, (f = new Intl.DateTimeFormat(at, { dateStyle: 'medium', timeStyle: 'short' })));
  return f;
};

const numberFormat = () => {
  const at = locale();
  let f = numberFormats.get(at);
  if (!f) numberFormats.set(at, (f = new Intl.NumberFormat(at)));
  return f;
};

// The first formatter of a window also loads ICU's locale data (~40 ms here): built while the
// profile picker waits for a click, not while the first rows are drawn after it.
export function warmFormats(): void {
  dateTimeFormat().format(0);
  numberFormat().format(0);
}

export const formatDateTime = (iso: string) => (iso ? dateTimeFormat().format(new Date(iso)) : '');

export const formatNumber = (n: number) => numberFormat().format(n);
