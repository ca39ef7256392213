import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role, type User } from '../../../../shared/domain';
import { must, onAppEvent } from '../../api/client';
import { errorText } from '../../components/errors';
import { NewSecretFields } from '../../components/NewSecretFields';
import { formatDateTime } from '../../format';
import { useSession } from '../../stores/session-store';
import { IdleLockSettings } from './IdleLockSettings';
import { SetSecretDialog } from './SetSecretDialog';

const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);

// Local profiles and their roles (admin only; main refuses anyone else).
export function UsersSettings() {
  const { t } = useTranslation();
  const me = useSession((s) => s.user);
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('field_agent');
  const [secret, setSecret] = useState('');
  const [withoutSecret, setWithoutSecret] = useState<string[]>([]);
  const [settingSecret, setSettingSecret] = useState<User | null>(null);
  const [edits, setEdits] = useState<Record<string, { name: string; role: Role }>>({});
  const [notice, setNotice] = useState('');

  useEffect(() => {
    const load = () =>
      Promise.all([must('users:list', {}), must('users:secretsState', {})])
        .then(([list, secrets]) => {
          setUsers(list);
          setWithoutSecret(secrets.withoutSecret);
        })
        .catch((e: unknown) => setError(errorText(t, e)));
    void load();
    return onAppEvent((e) => {
      if (e.type === 'users:changed') void load();
    });
  }, [t]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    setNotice('');
    try {
      const u = await must('users:create', { name: name.trim(), role, secret });
      setUsers((list) => [...(list ?? []).filter((x) => x.id !== u.id), u]);
      setName('');
      setSecret('');
      setNotice(t('users.created', { name: u.name }));
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  const save = async (u: User) => {
    const edit = edits[u.id];
    if (!edit) return;
    setError('');
    setNotice('');
    try {
      const updated = await must('users:update', { id: u.id, name: edit.name.trim(), role: edit.role });
      setUsers((list) => (list ?? []).map((x) => (x.id === u.id ? updated : x)));
      setEdits(({ [u.id]: _, ...rest }) => rest);
      setNotice(t('users.updated', { name: updated.name }));
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  return (
    <div className="stack">
      <div className="card stack">
        <h2>{t('users.title')}</h2>
        {error && <p role="alert" className="error" data-testid="users-error">{error}</p>}
        {notice && <p role="status" className="ok-note">{notice}</p>}
        {!users ? (
          <p role="status">{t('app.loading')}</p>
        ) : (
          <table className="data-table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">{t('users.name')}</th>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('users.created_at')}</th>
                <th scope="col"><span className="visually-hidden">{t('users.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => {
                const edit = edits[u.id];
                return (
                  <tr key={u.id} data-testid={`user-row-${u.name}`}>
                    <td>
                      {edit ? (
                        <input aria-label={t('users.name')} value={edit.name} onChange={(e) => setEdits({ ...edits, [u.id]: { ...edit, name: e.target.value } })} />
                      ) : (
                        <>
                          {u.name} {u.id === me?.id && <span className="muted small">({t('users.you')})</span>}
                          {withoutSecret.includes(u.id) && <span className="muted small" data-testid="user-no-secret"> · {t('access.missing')}</span>}
                        </>
                      )}
                    </td>
                    <td>
                      {edit ? (
                        <select aria-label={t('users.role')} value={edit.role} onChange={(e) => isRole(e.target.value) && setEdits({ ...edits, [u.id]: { ...edit, role: e.target.value } })}>
                          {ROLES.map((r) => <option key={r} value={r}>{t(`roles.${r}`)}</option>)}
                        </select>
                      ) : (
                        t(`roles.${u.role}`)
                      )}
                    </td>
                    <td className="muted">{formatDateTime(u.createdAt)}</td>
                    <td>
                      <div className="row-actions">
                      {edit ? (
                        <>
                          <button type="button" className="primary" onClick={() => void save(u)}>{t('app.save')}</button>
                          <button type="button" onClick={() => setEdits(({ [u.id]: _, ...rest }) => rest)}>{t('app.cancel')}</button>
                        </>
                      ) : (
                        <>
                          <button type="button" aria-label={t('users.editUser', { name: u.name })} onClick={() => setEdits({ ...edits, [u.id]: { name: u.name, role: u.role } })}>
                            {t('app.edit')}
                          </button>
                          <button type="button" data-testid={`user-set-secret-${u.name}`} aria-label={t('access.setSecretFor', { name: u.name })} onClick={() => setSettingSecret(u)}>
                            {t('access.setSecret')}
                          </button>
                        </>
                      )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
      <form className="card stack narrow-form" onSubmit={create} data-testid="user-create">
        <h2>{t('users.add')}</h2>
        <label>
          {t('users.name')}
          <input data-testid="user-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
        </label>
        <label>
          {t('users.role')}
          <select data-testid="user-role" value={role} onChange={(e) => isRole(e.target.value) && setRole(e.target.value)}>
            {ROLES.map((r) => <option key={r} value={r}>{t(`roles.${r}`)}</option>)}
          </select>
        </label>
        <NewSecretFields label={t('access.secret')} hint={t('access.secretHint')} secret={secret} onSecret={setSecret} testId="user-secret" />
        <div>
          <button type="submit" className="primary" data-testid="user-add">{t('users.add')}</button>
        </div>
      </form>
      <IdleLockSettings />
      {settingSecret && (
        <SetSecretDialog
          user={settingSecret}
          self={settingSecret.id === me?.id}
          onClose={() => setSettingSecret(null)}
          onSaved={() => {
            setNotice(t('access.secretSaved', { name: settingSecret.name }));
            setWithoutSecret((ids) => ids.filter((id) => id !== settingSecret.id));
            setSettingSecret(null);
          }}
        />
      )}
    </div>
  );
}
