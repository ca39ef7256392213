import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SubscriptionType } from '../../../../shared/domain';
import { formatPhoneInternational } from '../../../../shared/phone';
import { must, onAppEvent } from '../../api/client';
import { errorText } from '../../components/errors';
import { Modal } from '../../components/Modal';
import { useRoute } from '../../stores/route-store';
import { TypeForm } from './TypeForm';

// Business numbers and their subscription types: add, correct, archive (never delete:
// events keep pointing at a type).
export function TypesSettings() {
  const { t } = useTranslation();
  const go = useRoute((s) => s.go);
  const [types, setTypes] = useState<SubscriptionType[] | null>(null);
  const [error, setError] = useState<{ at: 'list' | 'create' | 'edit'; text: string } | null>(null);
  const [notice, setNotice] = useState('');
  const [editing, setEditing] = useState<SubscriptionType | null>(null);
  const [archiving, setArchiving] = useState<SubscriptionType | null>(null);
  const [formKey, setFormKey] = useState(0);

  const load = useCallback(async () => {
    try {
      setTypes(await must('types:list', { includeArchived: true }));
    } catch (e) {
      setError({ at: 'list', text: errorText(t, e) });
    }
  }, [t]);

  useEffect(() => {
    void load();
    return onAppEvent((e) => {
      if (e.type === 'settings:changed' && e.keys.includes('types')) void load();
    });
  }, [load]);

  const run = async (at: 'list' | 'create' | 'edit', action: () => Promise<string>) => {
    setError(null);
    setNotice('');
    try {
      setNotice(await action());
      await load();
      return true;
    } catch (err) {
      setError({ at, text: errorText(t, err) });
      return false;
    }
  };

  return (
    <div className="stack">
      <div className="card stack">
        <h2>{t('types.title')}</h2>
        <p className="muted">{t('types.intro')}</p>
        {notice && <p role="status" className="ok-note" data-testid="types-notice">{notice}</p>}
        {error?.at === 'list' && <p role="alert" className="error" data-testid="types-error">{error.text}</p>}
        {!types ? (
          <p role="status">{t('app.loading')}</p>
        ) : types.length === 0 ? (
          <p className="empty-state" data-testid="types-empty">{t('types.empty')}</p>
        ) : (
          <table className="data-table" data-testid="types-table">
            <thead>
              <tr>
                <th scope="col">{t('types.name')}</th>
                <th scope="col">{t('types.purpose')}</th>
                <th scope="col">{t('types.businessNumber')}</th>
                <th scope="col">{t('types.businessName')}</th>
                <th scope="col">{t('lifecycle.termColumn')}</th>
                <th scope="col"><span className="visually-hidden">{t('users.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {types.map((ty) => (
                <tr key={ty.id} data-testid={`type-row-${ty.name}`} className={ty.archived ? 'archived' : ''}>
                  <td>
                    {ty.name} {ty.archived && <span className="badge badge-not_specified badge-compact">{t('types.archived')}</span>}
                  </td>
                  <td>{t(`purpose.${ty.purpose}`)}</td>
                  <td>{formatPhoneInternational(ty.businessNumber)}</td>
                  <td>{ty.businessName}</td>
                  <td data-testid="type-term">{ty.validForMonths ? t('lifecycle.termMonths', { count: ty.validForMonths }) : t('lifecycle.termNone')}</td>
                  <td>
                    <div className="row-actions">
                    <button type="button" aria-label={t('types.editType', { name: ty.name })} onClick={() => { setError(null); setEditing(ty); }}>{t('app.edit')}</button>
                    <button type="button" aria-label={t(ty.archived ? 'types.restoreType' : 'types.archiveType', { name: ty.name })} onClick={() => setArchiving(ty)}>
                      {ty.archived ? t('types.restore') : t('types.archive')}
                    </button>
                    {ty.purpose === 'marketing' && !ty.archived && (
                      <button type="button" className="link-button" onClick={() => go({ page: 'collect' })}>{t('types.qr')}</button>
                    )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="card stack">
        <h2>{t('types.add')}</h2>
        {error?.at === 'create' && <p role="alert" className="error" data-testid="types-error">{error.text}</p>}
        <TypeForm
          key={formKey}
          testId="type-create"
          submitLabel={t('types.add')}
          onSubmit={async (v) => {
            const ok = await run('create', async () => {
              const created = await must('types:create', v);
              return t('types.created', { name: created.name });
            });
            if (ok) setFormKey((k) => k + 1);
          }}
        />
      </div>
      {editing && (
        <Modal title={t('types.editType', { name: editing.name })} onClose={() => setEditing(null)} testId="type-edit-dialog">
          {error?.at === 'edit' && <p role="alert" className="error">{error.text}</p>}
          <TypeForm
            initial={editing}
            testId="type-edit"
            submitLabel={t('app.save')}
            onSubmit={async (v) => {
              const ok = await run('edit', async () => {
                const updated = await must('types:update', { id: editing.id, ...v });
                return t('types.updated', { name: updated.name });
              });
              if (ok) setEditing(null);
            }}
          />
        </Modal>
      )}
      {archiving && (
        <Modal title={t(archiving.archived ? 'types.restoreType' : 'types.archiveType', { name: archiving.name })} onClose={() => setArchiving(null)} testId="type-archive-dialog">
          <p>{archiving.archived ? t('types.restoreConfirm') : t('types.archiveConfirm')}</p>
          <div className="dialog-actions">
            <button type="button" onClick={() => setArchiving(null)}>{t('app.cancel')}</button>
            <button
              type="button"
              className={archiving.archived ? 'primary' : 'danger'}
              data-testid="type-archive-confirm"
              onClick={() => {
                const target = archiving;
                setArchiving(null);
                void run('list', async () => {
                  const updated = await must('types:update', { id: target.id, archived: !target.archived });
                  return t(updated.archived ? 'types.archivedDone' : 'types.restoredDone', { name: updated.name });
                });
              }}
            >
              {archiving.archived ? t('types.restore') : t('types.archive')}
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
