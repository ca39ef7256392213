import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactQuery } from '../../../shared/api/contacts-channels';
import { ContactFilters } from '../components/ContactFilters';
import { SelectionBar } from '../components/SelectionBar';
import { ExportContactsButton } from '../components/bulk/ExportContactsButton';
import { CONTACT_ROW_HEIGHT, ContactTableRow } from '../components/ContactTableRow';
import { useRowWindow } from '../components/use-row-window';
import { formatNumber } from '../format';
import { PAGE_SIZE, selectIsSelected, selectSelectedCount, useContacts } from '../stores/contacts-store';
import { useRoute } from '../stores/route-store';
import { hasRole, useSession } from '../stores/session-store';
import { useTypes } from '../stores/types-store';

// Shown only once an administrator selects contacts: loaded then, not with the home page.
const BulkActionBar = lazy(() => import('../components/bulk/BulkActionBar').then((m) => ({ default: m.BulkActionBar })));

export function ContactsPage() {
  const { t } = useTranslation();
  const go = useRoute((s) => s.go);
  const user = useSession((s) => s.user);
  const { query, total, status, error, setQuery, ensurePage, rowAt, pages, toggleSelected, selectAllMatching, clearSelection } = useContacts();
  const selection = useContacts((s) => s.selection);
  const selectedCount = useContacts(selectSelectedCount);
  const { types, status: typesStatus, load: loadTypes } = useTypes();
  const [scrollElement, setScrollElement] = useState<HTMLDivElement | null>(null);
  const openContact = useCallback((id: string) => go({ page: 'contact', id }), [go]);

  useEffect(() => {
    if (status === 'idle') setQuery({});
  }, [status, setQuery]);
  useEffect(() => {
    if (typesStatus === 'idle') void loadTypes();
  }, [typesStatus, loadTypes]);

  const { first, last, totalHeight } = useRowWindow(scrollElement, total, CONTACT_ROW_HEIGHT, 10);
  const visible: number[] = [];
  for (let i = first; i <= last; i++) visible.push(i);

  useEffect(() => {
    if (last < first) return;
    for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) void ensurePage(p);
  }, [first, last, ensurePage, pages]);

  // aria-sort belongs on the column header (axe: not allowed on a button); the button sorts.
  const sortHeader = (column: ContactQuery['sort'], label: string) => {
    const active = query.sort === column;
    return (
      <span role="columnheader" aria-sort={active ? (query.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button
          className="sort-button"
          aria-label={t('contacts.sortBy', { column: label })}
          onClick={() => setQuery({ sort: column, direction: active && query.direction === 'asc' ? 'desc' : 'asc' })}
        >
          {label} {active ? (query.direction === 'asc' ? '▲' : '▼') : ''}
        </button>
      </span>
    );
  };

  const canCreate = hasRole(user, 'admin', 'field_agent');
  const isEmpty = status === 'ready' && total === 0;
  const filtered = !!(query.search || query.status);
  const gridTemplateColumns = `28px minmax(130px, 2fr) minmax(120px, 1.4fr) minmax(80px, 1.3fr) ${types.map(() => 'minmax(92px, 1fr)').join(' ')} minmax(112px, 1.1fr)`;
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
      {hasRole(user, 'admin') && (
        <Suspense fallback={null}>
          <BulkActionBar selection={selection.mode === 'all' && selection.except.size === 0 ? { query: selection.query } : { ids: selection.mode === 'ids' ? [...selection.ids] : [] }} count={selectedCount} onDone={clearSelection} />
        </Suspense>
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
        <div className="table contacts-table" role="table" aria-label={t('contacts.table')} aria-rowcount={total + 1} aria-busy={status === 'loading'}>
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
            {sortHeader('name', t('contacts.name'))}
            <span role="columnheader">{t('contacts.phone')}</span>
            <span role="columnheader">{t('contacts.email')}</span>
            {types.map((type) => (
              <span role="columnheader" key={type.id} title={type.name} className="type-head" data-testid={`type-column-${type.id}`}>
                {type.name}
              </span>
            ))}
            {sortHeader('updatedAt', t('contacts.updated'))}
          </div>
          {/* While a new query loads, the rows of the last one stay, dimmed. */}
          <div className="table-body" ref={setScrollElement} data-testid="contacts-scroll" style={status === 'loading' ? { opacity: 0.55 } : undefined}>
            <div style={{ height: totalHeight, position: 'relative' }}>
              {visible.map((index) => {
                const row = rowAt(index);
                return (
                  <ContactTableRow
                    t={t}
                    key={index}
                    index={index}
                    start={index * CONTACT_ROW_HEIGHT}
                    row={row}
                    selected={row ? selectIsSelected({ selection }, row.id) : false}
                    types={types}
                    gridTemplateColumns={gridTemplateColumns}
                    onToggle={toggleSelected}
                    onOpen={openContact}
                  />
                );
              })}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
