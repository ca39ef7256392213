import type { TFunction } from 'i18next';
import { memo } from 'react';
import type { ContactRow } from '../../../shared/api/contacts-channels';
import type { SubscriptionType } from '../../../shared/domain';
import { formatDateTime } from '../format';
import { formatPhoneInternational } from '../phone-format';
import { statusBadge } from './StatusBadge';

export const CONTACT_ROW_HEIGHT = 44;

type Props = {
  // The page's translation function (it changes with the language, which redraws the rows).
  t: TFunction;
  index: number;
  start: number;
  row: ContactRow | undefined;
  selected: boolean;
  types: SubscriptionType[];
  gridTemplateColumns: string;
  onToggle(id: string): void;
  onOpen(id: string): void;
};

// One row of the virtualized contacts table. Memoized: scrolling, a new page arriving or
// a selection change re-renders only the rows whose data changed, not all the visible ones.
export const ContactTableRow = memo(function ContactTableRow({ t, index, start, row, selected, types, gridTemplateColumns, onToggle, onOpen }: Props) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={row ? selected : undefined}
      data-testid={row ? 'contact-row' : 'contact-row-loading'}
      className={selected ? 'table-row selected' : 'table-row'}
      // Each row's size is fixed: containment lets the browser lay out a changed row alone.
      style={{ gridTemplateColumns, position: 'absolute', top: 0, left: 0, right: 0, height: CONTACT_ROW_HEIGHT, transform: `translateY(${start}px)`, contain: 'size layout style' }}
    >
      {row ? (
        <>
          <span role="cell" className="check-cell">
            <input
              type="checkbox"
              data-testid="row-select"
              aria-label={t('selection.selectContact', { name: row.name })}
              checked={selected}
              onChange={() => onToggle(row.id)}
            />
          </span>
          <span role="cell" className="name-cell">
            <a
              href={`#/contacts/${row.id}`}
              title={row.name}
              data-testid="contact-row-link"
              onClick={(e) => {
                e.preventDefault();
                onOpen(row.id);
              }}
            >
              {row.name}
            </a>
            {row.optedOutAll && statusBadge(t, { status: 'opted_out_all', compact: true })}
          </span>
          <span role="cell" className={row.phoneValid ? '' : 'warn'}>
            {row.phoneValid
              ? formatPhoneInternational(row.waNumber)
              : row.phoneInput
                ? `${row.phoneInput} (${t('contacts.invalidNumber')})`
                : t('contacts.noNumber')}
          </span>
          <span role="cell">{row.email}</span>
          {types.map((type) => (
            <span role="cell" key={type.id} data-testid={`row-status-${type.id}`}>
              {statusBadge(t, { status: row.statuses[type.id] ?? 'not_specified', label: type.name, compact: true })}
            </span>
          ))}
          <span role="cell" className="muted date-cell">{formatDateTime(row.updatedAt)}</span>
        </>
      ) : (
        <span role="cell" className="muted">{t('app.loading')}</span>
      )}
    </div>
  );
});
