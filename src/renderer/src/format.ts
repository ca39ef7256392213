import { i18n } from './i18n';

const locale = () => (i18n.language === 'pl' ? 'pl-PL' : 'en-GB');

export const formatDateTime = (iso: string) =>
  iso ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '';

export const formatNumber = (n: number) => new Intl.NumberFormat(locale()).format(n);
