import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useTypes } from '../stores/types-store';
import { ClickToChat } from './collect/ClickToChat';
import { KeywordTester } from './collect/KeywordTester';
import { useKeywordTable } from './collect/use-keyword-table';

// Where a field agent collects a contact's own opt-in: the click-to-chat QR, and the
// keyword tester to check what a reply would do.
export function CollectOptInPage() {
  const { t } = useTranslation();
  const { types, status, error, load } = useTypes();
  const { keywords, error: keywordsError } = useKeywordTable();

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="stack" aria-labelledby="collect-title">
      <div className="page-header">
        <h1 id="collect-title">{t('collect.title')}</h1>
      </div>
      {status === 'error' && <p role="alert" className="error">{error}</p>}
      {keywordsError && <p role="alert" className="error">{keywordsError}</p>}
      {status !== 'ready' ? (
        <p role="status" className="muted">{t('app.loading')}</p>
      ) : (
        <div className="collect-columns">
          <ClickToChat types={types} keywords={keywords} />
          <KeywordTester types={types} />
        </div>
      )}
    </section>
  );
}
