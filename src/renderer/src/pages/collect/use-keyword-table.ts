import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeywordTable } from '../../../../shared/consent/default-keywords';
import { must, onAppEvent } from '../../api/client';
import { errorText } from '../../components/errors';

// The opt-in/opt-out keyword lists, as Settings keeps them, refetched when an admin (or
// sync) changes them so a QR on screen never offers a keyword that no longer works.
export function useKeywordTable(): { keywords: KeywordTable | null; error: string } {
  const { t } = useTranslation();
  const [keywords, setKeywords] = useState<KeywordTable | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let live = true;
    const load = () =>
      must('keywords:get', {})
        .then((k) => {
          if (!live) return;
          setKeywords(k.table);
          setError('');
        })
        .catch((e: unknown) => live && setError(errorText(t, e)));
    void load();
    const off = onAppEvent((e) => {
      if (e.type === 'settings:changed' && e.keys.includes('keywords')) void load();
    });
    return () => {
      live = false;
      off();
    };
  }, [t]);

  return { keywords, error };
}
