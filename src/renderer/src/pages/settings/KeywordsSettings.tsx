import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { KEYWORD_LANGUAGES, type KeywordLanguage, type KeywordTable } from '../../../../shared/consent/default-keywords';
import { KEYWORD_LIST_NAMES, type KeywordListName, type KeywordTableError } from '../../../../shared/consent/keyword-table-validate';
import { ApiFailure, must } from '../../api/client';
import { errorText } from '../../components/errors';
import { Modal } from '../../components/Modal';

type Draft = Record<KeywordLanguage, Record<KeywordListName, string>>;

const toDraft = (table: KeywordTable): Draft =>
  Object.fromEntries(KEYWORD_LANGUAGES.map((l) => [l, { optIn: table[l].optIn.join(', '), optOut: table[l].optOut.join(', ') }])) as Draft;

// Commas separate keywords; what is between them goes to main as typed, so a keyword
// with a space inside is refused there (and shown here) rather than silently split.
const toTable = (draft: Draft): KeywordTable =>
  Object.fromEntries(
    KEYWORD_LANGUAGES.map((l) => [l, Object.fromEntries(KEYWORD_LIST_NAMES.map((n) => [n, draft[l][n].split(',').map((k) => k.trim()).filter(Boolean)]))]),
  ) as KeywordTable;

const isTableError = (x: unknown): x is KeywordTableError =>
  typeof x === 'object' && x !== null && 'language' in x && 'list' in x && 'code' in x;

export function KeywordsSettings() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [isDefault, setIsDefault] = useState(true);
  const [problems, setProblems] = useState<KeywordTableError[]>([]);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [confirmRestore, setConfirmRestore] = useState(false);

  useEffect(() => {
    must('keywords:get', {})
      .then((k) => {
        setDraft(toDraft(k.table));
        setIsDefault(k.isDefault);
      })
      .catch((e: unknown) => setError(errorText(t, e)));
  }, [t]);

  const apply = async (action: () => Promise<{ table: KeywordTable; isDefault: boolean }>, done: string) => {
    setError('');
    setNotice('');
    setProblems([]);
    try {
      const k = await action();
      setDraft(toDraft(k.table));
      setIsDefault(k.isDefault);
      setNotice(done);
    } catch (err) {
      const details = err instanceof ApiFailure && Array.isArray(err.error.details) ? err.error.details.filter(isTableError) : [];
      setProblems(details);
      setError(details.length ? t('keywords.invalid', { count: details.length }) : errorText(t, err));
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft) void apply(() => must('keywords:set', { table: toTable(draft) }), t('keywords.saved'));
  };

  if (!draft) return error ? <p role="alert" className="error">{error}</p> : <p role="status">{t('app.loading')}</p>;
  const problemsAt = (l: KeywordLanguage, n: KeywordListName) => problems.filter((p) => p.language === l && p.list === n);
  return (
    <form className="card stack" onSubmit={submit} data-testid="keywords-settings" noValidate>
      <h2>{t('keywords.title')}</h2>
      <p className="muted">{t('keywords.intro')}</p>
      <p className="muted small" data-testid="keywords-default-state">{isDefault ? t('keywords.isDefault') : t('keywords.isEdited')}</p>
      {error && <p role="alert" className="error" data-testid="keywords-error">{error}</p>}
      {notice && <p role="status" className="ok-note" data-testid="keywords-notice">{notice}</p>}
      <table className="data-table keywords-table">
        <thead>
          <tr>
            <th scope="col">{t('keywords.language')}</th>
            <th scope="col">{t('keywords.optIn')}</th>
            <th scope="col">{t('keywords.optOut')}</th>
          </tr>
        </thead>
        <tbody>
          {KEYWORD_LANGUAGES.map((l) => (
            <tr key={l}>
              <th scope="row">{t(`keywordLanguage.${l}`)}</th>
              {KEYWORD_LIST_NAMES.map((n) => {
                const here = problemsAt(l, n);
                const errId = `kw-${l}-${n}-error`;
                return (
                  <td key={n}>
                    <input
                      data-testid={`keywords-${l}-${n}`}
                      aria-label={t('keywords.fieldLabel', { language: t(`keywordLanguage.${l}`), list: t(`keywords.${n}`) })}
                      aria-invalid={here.length > 0}
                      aria-describedby={here.length ? errId : undefined}
                      value={draft[l][n]}
                      onChange={(e) => setDraft({ ...draft, [l]: { ...draft[l], [n]: e.target.value } })}
                    />
                    {here.length > 0 && (
                      <ul id={errId} className="field-errors" data-testid={`keywords-${l}-${n}-errors`}>
                        {here.map((p, i) => (
                          <li key={i}>{t(`keywordError.${p.code}`, { keyword: p.keyword.trim(), defaultValue: p.message })}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">{t('keywords.hint')}</p>
      <div className="toolbar">
        <button type="submit" className="primary" data-testid="keywords-save">{t('app.save')}</button>
        <button type="button" data-testid="keywords-restore" onClick={() => setConfirmRestore(true)}>{t('keywords.restore')}</button>
      </div>
      {confirmRestore && (
        <Modal title={t('keywords.restore')} onClose={() => setConfirmRestore(false)} testId="keywords-restore-dialog">
          <p>{t('keywords.restoreConfirm')}</p>
          <div className="dialog-actions">
            <button type="button" onClick={() => setConfirmRestore(false)}>{t('app.cancel')}</button>
            <button
              type="button"
              className="danger"
              data-testid="keywords-restore-confirm"
              onClick={() => {
                setConfirmRestore(false);
                void apply(() => must('keywords:restoreDefaults', {}), t('keywords.restored'));
              }}
            >
              {t('keywords.restore')}
            </button>
          </div>
        </Modal>
      )}
    </form>
  );
}
