import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactQuery } from '../../../shared/api/contacts-channels';
import { formatPhoneInternational } from '../../../shared/phone';
import { ContactFilters } from '../components/ContactFilters';
import { SelectionBar } from '../components/SelectionBar';
import { BulkActionBar } from '../components/bulk/BulkActionBar';
import { ExportContactsButton } from '../components/bulk/ExportContactsButton';
import { StatusBadge } from '../components/StatusBadge';
import { formatDateTime, formatNumber } from '../format';
import { PAGE_SIZE, selectIsSelected, selectSelectedCount, useContacts } from '../stores/contacts-store';
import { useRoute } from '../stores/route-store';
import { hasRole, useSession } from '../stores/session-store';
import { useTypes } from '../stores/types-store';

const ROW_HEIGHT = 44;

export function ContactsPage() {
  const { t } = useTranslation();
  const go = useRoute((s) => s.go);
  const user = useSession((s) => s.user);
  const { query, total, status, error, setQuery, ensurePage, rowAt, pages, toggleSelected, selectAllMatching, clearSelection } = useContacts();
  const selection = useContacts((s) => s.selection);
  const selectedCount = useContacts(selectSelectedCount);
  const { types, status: typesStatus, load: loadTypes } = useTypes();
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (status === 'idle') setQuery({});
  }, [status, setQuery]);
  useEffect(() => {
    if (typesStatus === 'idle') void loadTypes();
  }, [typesStatus, loadTypes]);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();

  useEffect(() => {
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    for (let p = Math.floor(first.index / PAGE_SIZE); p <= Math.floor(last.index / PAGE_SIZE); p++) void ensurePage(p);
  }, [items, ensurePage, pages]);

  const sortHeader = (column: ContactQuery['sort'], label: string) => {
    const active = query.sort === column;
    return (
      <button
        className="sort-button"
        aria-label={t('contacts.sortBy', { column: label })}
        aria-sort={active ? (query.direction === 'asc' ? 'ascending' : 'descending') : undefined}
        onClick={() => setQuery({ sort: column, direction: active && query.direction === 'asc' ? 'desc' : 'asc' })}
      >
        {label} {active ? (query.direction === 'asc' ? '▲' : '▼') : ''}
      </button>
    );
  };

  const canCreate = hasRole(user, 'admin', 'field_agent');
  const isEmpty = status === 'ready' && total === 0;
  const filtered = !!(query.search || query.status);
  const gridTemplateColumns = `36px minmax(140px, 2fr) minmax(130px, 1.4fr) minmax(100px, 1.3fr) ${types.map(() => 'minmax(96px, 1fr)').join(' ')} minmax(150px, 1.1fr)`;
  const allSelected = (selection.mode === 'all' && selection.except.size === 0) || (total > 0 && selectedCount >= total);
  return (
    <section className="contacts-page" aria-labelledby="contacts-title">
      <div className="page-header">
        <h1 id="contacts-title">{t('contacts.title')}</h1>
        <span className="muted" data-testid="contacts-count" role="status">
          {t('contacts.count', { count: total, formatted: formatNumber(total) })}
        </span>
        <span className="spacer" />
        {canCreate && (
          <button className="primary" data-testid="new-contact" onClick={() => go({ page: 'newContact' })}>
            {t('contacts.new')}
          </button>
        )}
      </div>
      <div className="toolbar">
        <input
          type="search"
          data-testid="contacts-search"
          aria-label={t('contacts.search')}
          placeholder={t('contacts.search')}
          value={query.search}
          onChange={(e) => setQuery({ search: e.target.value })}
        />
        <ContactFilters query={query} types={types} onChange={setQuery} />
        {hasRole(user, 'admin', 'compliance_officer') && <ExportContactsButton query={query} />}
      </div>
      <SelectionBar
        selectedCount={selectedCount}
        total={total}
        allMatching={selection.mode === 'all' && selection.except.size === 0}
        onSelectAll={selectAllMatching}
        onClear={clearSelection}
      />
      {hasRole(user, 'admin') && selectedCount > 0 && (
        <BulkActionBar selection={selection.mode === 'all' && selection.except.size === 0 ? { query: selection.query } : { ids: selection.mode === 'ids' ? [...selection.ids] : [] }} count={selectedCount} onDone={clearSelection} />
      )}
      {status === 'error' && <p role="alert" className="error">{error}</p>}
      {status === 'loading' && total === 0 && (
        <p role="status" className="muted" data-testid="contacts-loading">{t('app.loading')}</p>
      )}
      {isEmpty ? (
        <p className="empty-state" data-testid="contacts-empty">
          {filtered ? t('contacts.noMatch') : t('contacts.empty')}
        </p>
      ) : (
        <div className="table contacts-table" role="table" aria-label={t('contacts.table')} aria-rowcount={total + 1}>
          <div className="table-row table-head" role="row" style={{ gridTemplateColumns }}>
            <span role="columnheader" className="check-cell">
              <input
                type="checkbox"
                data-testid="select-all"
                aria-label={t('selection.selectAllMatching', { count: total, formatted: formatNumber(total) })}
                checked={allSelected && total > 0}
                ref={(el) => {
                  if (el) el.indeterminate = selectedCount > 0 && !allSelected;
                }}
                onChange={() => (selectedCount > 0 ? clearSelection() : selectAllMatching())}
              />
            </span>
            <span role="columnheader">{sortHeader('name', t('contacts.name'))}</span>
            <span role="columnheader">{t('contacts.phone')}</span>
            <span role="columnheader">{t('contacts.email')}</span>
            {types.map((type) => (
              <span role="columnheader" key={type.id} title={type.name} className="type-head" data-testid={`type-column-${type.id}`}>
                {type.name}
              </span>
            ))}
            <span role="columnheader">{sortHeader('updatedAt', t('contacts.updated'))}</span>
          </div>
          <div className="table-body" ref={scrollRef} data-testid="contacts-scroll">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((item) => {
                const row = rowAt(item.index);
                const selected = row ? selectIsSelected({ selection }, row.id) : false;
                return (
                  <div
                    key={item.key}
                    role="row"
                    aria-rowindex={item.index + 2}
                    aria-selected={row ? selected : undefined}
                    data-testid={row ? 'contact-row' : 'contact-row-loading'}
                    className={selected ? 'table-row selected' : 'table-row'}
                    style={{ gridTemplateColumns, position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                  >
                    {row ? (
                      <>
                        <span role="cell" className="check-cell">
                          <input
                            type="checkbox"
                            data-testid="row-select"
                            aria-label={t('selection.selectContact', { name: row.name })}
                            checked={selected}
                            onChange={() => toggleSelected(row.id)}
                          />
                        </span>
                        <span role="cell">
                          <a
                            href={`#/contacts/${row.id}`}
                            data-testid="contact-row-link"
                            onClick={(e) => {
                              e.preventDefault();
                              go({ page: 'contact', id: row.id });
                            }}
                          >
                            {row.name}
                          </a>
                          {row.optedOutAll && (
                            <>
                              {' '}
                              <StatusBadge status="opted_out_all" compact />
                            </>
                          )}
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
                            <StatusBadge status={row.statuses[type.id] ?? 'not_specified'} label={type.name} compact />
                          </span>
                        ))}
                        <span role="cell" className="muted">{formatDateTime(row.updatedAt)}</span>
                      </>
                    ) : (
                      <span role="cell" className="muted">{t('app.loading')}</span>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
