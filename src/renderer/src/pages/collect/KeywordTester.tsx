import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeywordTestResult } from '../../../../shared/api/messages-channels';
import type { SubscriptionType } from '../../../../shared/domain';
import { must } from '../../api/client';
import { errorText } from '../../components/errors';

// What would this message do? Asked of main as the user types, so the answer comes from
// the same matcher and keyword table that process real messages.
export function KeywordTester({ types }: { types: SubscriptionType[] }) {
  const { t } = useTranslation();
  const [message, setMessage] = useState('');
  const [typeId, setTypeId] = useState('');
  const [result, setResult] = useState<KeywordTestResult | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    if (!message) return;
    let live = true;
    must('keywords:test', { message, typeId })
      .then((r) => {
        if (!live) return;
        setResult(r);
        setError('');
      })
      .catch((e: unknown) => live && setError(errorText(t, e)));
    return () => {
      live = false;
    };
  }, [message, typeId, t]);

  const verdict = message && result ? result : null;
  return (
    <div className="card stack" data-testid="keyword-tester">
      <h2>{t('tester.title')}</h2>
      <p className="muted">{t('tester.intro')}</p>
      <label>
        {t('tester.number')}
        <select data-testid="tester-type" value={typeId} onChange={(e) => setTypeId(e.target.value)}>
          <option value="">{t('tester.anyNumber')}</option>
          {types.map((ty) => (
            <option key={ty.id} value={ty.id}>{ty.name}</option>
          ))}
        </select>
      </label>
      <label>
        {t('tester.message')}
        <textarea data-testid="tester-message" rows={2} maxLength={20_000} value={message} onChange={(e) => setMessage(e.target.value)} placeholder="STOP" />
      </label>
      {error && <p role="alert" className="error">{error}</p>}
      <div aria-live="polite" data-testid="tester-result">
        {!message ? (
          <p className="muted">{t('tester.empty')}</p>
        ) : verdict ? (
          <div className={`verdict verdict-${verdict.kind}`}>
            <strong data-testid="tester-verdict">
              {verdict.kind === 'none'
                ? verdict.likelyStopRequest
                  ? t('tester.review')
                  : t('tester.none')
                : t(`tester.${verdict.kind}`, { keyword: verdict.keyword ?? '', language: verdict.language ? t(`keywordLanguage.${verdict.language}`) : '' })}
            </strong>
            <p className="no-margin">
              {verdict.wouldSetStatus
                ? verdict.typeName
                  ? t(verdict.wouldSetStatus === 'subscribed' ? 'tester.effectIn' : 'tester.effectOut', { type: verdict.typeName })
                  : t(verdict.wouldSetStatus === 'subscribed' ? 'tester.effectInAny' : 'tester.effectOutAny')
                : verdict.likelyStopRequest
                  ? t('tester.effectReview')
                  : t('tester.effectNone')}
            </p>
            <p className="muted small no-margin" data-testid="tester-why">{t(`keywordReason.${verdict.reasonCode}`, { defaultValue: verdict.reason })}</p>
          </div>
        ) : (
          <p className="muted">{t('app.loading')}</p>
        )}
      </div>
    </div>
  );
}
