import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactQuery } from '../../../shared/api/contacts-channels';
import { formatPhoneInternational } from '../../../shared/phone';
import { formatDateTime, formatNumber } from '../format';
import { PAGE_SIZE, useContacts } from '../stores/contacts-store';
import { useRoute } from '../stores/route-store';
import { hasRole, useSession } from '../stores/session-store';

const ROW_HEIGHT = 44;

export function ContactsPage() {
  const { t } = useTranslation();
  const go = useRoute((s) => s.go);
  const user = useSession((s) => s.user);
  const { query, total, status, error, setQuery, ensurePage, rowAt, pages } = useContacts();
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (status === 'idle') setQuery({});
  }, [status, setQuery]);

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
      </div>
      {status === 'error' && <p role="alert" className="error">{error}</p>}
      {isEmpty ? (
        <p className="empty-state" data-testid="contacts-empty">
          {query.search || query.status ? t('contacts.noMatch') : t('contacts.empty')}
        </p>
      ) : (
        <div className="table" role="table" aria-label={t('contacts.table')} aria-rowcount={total}>
          <div className="table-row table-head" role="row">
            <span role="columnheader">{sortHeader('name', t('contacts.name'))}</span>
            <span role="columnheader">{t('contacts.phone')}</span>
            <span role="columnheader">{t('contacts.email')}</span>
            <span role="columnheader">{sortHeader('updatedAt', t('contacts.updated'))}</span>
          </div>
          <div className="table-body" ref={scrollRef} data-testid="contacts-scroll">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((item) => {
                const row = rowAt(item.index);
                return (
                  <div
                    key={item.key}
                    role="row"
                    aria-rowindex={item.index + 2}
                    className="table-row"
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                  >
                    {row ? (
                      <>
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
                        </span>
                        <span role="cell" className={row.phoneValid ? '' : 'warn'}>
                          {row.phoneValid
                            ? formatPhoneInternational(row.waNumber)
                            : row.phoneInput
                              ? `${row.phoneInput} (${t('contacts.invalidNumber')})`
                              : t('contacts.noNumber')}
                        </span>
                        <span role="cell">{row.email}</span>
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
