import { useTranslation } from 'react-i18next';
import { CONSENT_SOURCES, CONSENT_STATUSES, LEGAL_BASES, type SubscriptionType } from '../../../../shared/domain';
import { EMPTY_FILTER, useHistory } from '../../stores/history-store';

export function HistoryFilters({ types }: { types: SubscriptionType[] }) {
  const { t } = useTranslation();
  const { filter, facets, setFilter } = useHistory();
  const select = (key: 'typeId' | 'source' | 'status' | 'actorId' | 'legalBasis' | 'deviceId', label: string, options: Array<[string, string]>) => (
    <label className="filter">
      {label}
      <select data-testid={`history-filter-${key}`} value={filter[key]} onChange={(e) => setFilter({ [key]: e.target.value })}>
        <option value="">{t('history.any')}</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>{text}</option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="toolbar history-filters" role="group" aria-label={t('history.filters')}>
      <label className="filter">
        {t('history.from')}
        <input type="date" data-testid="history-filter-from" value={filter.from} onChange={(e) => setFilter({ from: e.target.value })} />
      </label>
      <label className="filter">
        {t('history.to')}
        <input type="date" data-testid="history-filter-to" value={filter.to} onChange={(e) => setFilter({ to: e.target.value })} />
      </label>
      {select('typeId', t('history.type'), types.map((ty) => [ty.id, ty.name]))}
      {select('source', t('history.source'), CONSENT_SOURCES.map((s) => [s, t(`historySources.${s}`)]))}
      {select('status', t('history.newStatus'), CONSENT_STATUSES.map((s) => [s, t(`historyStatuses.${s}`)]))}
      {select('legalBasis', t('history.legalBasis'), LEGAL_BASES.map((b) => [b, t(`historyBases.${b}`)]))}
      {select('actorId', t('history.actor'), facets.actors.map((a) => [a.id, a.name]))}
      {select('deviceId', t('history.device'), facets.devices.map((d) => [d, d]))}
      <label className="filter grow">
        {t('history.search')}
        <input type="search" data-testid="history-filter-search" value={filter.search} onChange={(e) => setFilter({ search: e.target.value })} />
      </label>
      <button className="link-button" data-testid="history-filter-clear" onClick={() => setFilter(EMPTY_FILTER)}>
        {t('history.clearFilters')}
      </button>
    </div>
  );
}
