import type { TFunction } from 'i18next';
import { formatDateTime, formatNumber } from '../../format';

export type AuditDetail = { label: string; value: string };

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const STATUSES = new Set(['subscribed', 'unsubscribed', 'not_specified']);

// "rowsSkipped" → "Rows skipped": a key nobody has named yet still reads as words.
const words = (key: string) => {
  const spaced = key.replace(/[_.]/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};

function valueText(t: TFunction, key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('audit.yes') : t('audit.no');
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') {
    // A field-clock stamp (`<time>-<counter>-<device>`) starts like a time but is not one: it
    // would make the date formatter throw, and blank the whole log.
    if (ISO_TIME.test(value) && !Number.isNaN(Date.parse(value))) return formatDateTime(value);
    if (STATUSES.has(value)) return t(`historyStatuses.${value}`);
    if (key === 'legalBasis') return t(`historyBases.${value}`, { defaultValue: value });
    if (key === 'role') return t(`roles.${value}`, { defaultValue: value });
    if (key === 'decision') return t(`historyDecisions.${value}`, { defaultValue: value });
    return value;
  }
  if (Array.isArray(value)) return value.length > 5 ? t('audit.items', { count: value.length, formatted: formatNumber(value.length) }) : value.map((v) => valueText(t, key, v)).join(', ');
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${t(`audit.field_${k}`, { defaultValue: words(k) })}: ${valueText(t, k, v)}`)
    .join('; ');
}

// An audit entry's details as labelled values in the user's language, in place of the JSON
// main stores: compliance officers read this log, not developers.
export function auditDetails(t: TFunction, details: Record<string, unknown>): AuditDetail[] {
  return Object.entries(details).map(([key, value]) => ({ label: t(`audit.field_${key}`, { defaultValue: words(key) }), value: valueText(t, key, value) }));
}

export function auditActionText(t: TFunction, action: string): string {
  return t(`audit.action_${action.replace(/\./g, '_')}`, { defaultValue: words(action) });
}
