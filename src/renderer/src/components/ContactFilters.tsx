import { useTranslation } from 'react-i18next';
import type { ContactQuery } from '../../../shared/api/contacts-channels';
import { CONSENT_STATUSES, type SubscriptionType } from '../../../shared/domain';

// The channel's CONTACT_STATUS_FILTERS, without pulling its zod schemas into the first chunk
// the window parses; the check below fails to compile when the two lists part.
const STATUS_FILTERS = [...CONSENT_STATUSES, 'opted_out_all'] as const;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameAsChannel: Same<(typeof STATUS_FILTERS)[number], Exclude<ContactQuery['status'], ''>> = true;
void sameAsChannel;

type Props = { query: ContactQuery; types: SubscriptionType[]; onChange(patch: Partial<ContactQuery>): void };

// Filter by subscription type and status. "Opted out of all" is channel-wide, so the
// type choice does not apply to it; "any type" with a status means "for some type".
export function ContactFilters({ query, types, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <>
      <label className="inline-label">
        <span>{t('filters.type')}</span>
        <select
          data-testid="filter-type"
          value={query.typeId}
          disabled={query.status === 'opted_out_all'}
          onChange={(e) => onChange({ typeId: e.target.value })}
        >
          <option value="">{t('filters.anyType')}</option>
          {types.map((type) => (
            <option key={type.id} value={type.id}>
              {type.name}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-label">
        <span>{t('filters.status')}</span>
        <select
          data-testid="filter-status"
          value={query.status}
          onChange={(e) => onChange({ status: (STATUS_FILTERS as readonly string[]).includes(e.target.value) ? (e.target.value as ContactQuery['status']) : '' })}
        >
          <option value="">{t('filters.anyStatus')}</option>
          {STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {(query.typeId || query.status) && (
        <button type="button" className="link-button" data-testid="filter-clear" onClick={() => onChange({ typeId: '', status: '' })}>
          {t('filters.clear')}
        </button>
      )}
    </>
  );
}
