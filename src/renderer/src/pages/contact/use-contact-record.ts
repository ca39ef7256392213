import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactConsent } from '../../../../shared/api/consent-channels';
import type { ContactRow } from '../../../../shared/api/contacts-channels';
import { must, onAppEvent } from '../../api/client';
import { errorText } from '../../components/errors';

export type ContactRecord = {
  contact: ContactRow | null;
  consent: ContactConsent | null;
  error: string;
  // Bumped on every reload, so tabs showing derived data (history) refetch too.
  version: number;
  reload(): Promise<void>;
  setContact(c: ContactRow): void;
};

// The contact and its subscriptions, kept fresh when anything changes them underneath
// (a keyword message, another window, sync).
export function useContactRecord(id: string): ContactRecord {
  const { t } = useTranslation();
  const [contact, setContact] = useState<ContactRow | null>(null);
  const [consent, setConsent] = useState<ContactConsent | null>(null);
  const [error, setError] = useState('');
  const [version, setVersion] = useState(0);

  const reload = useCallback(async () => {
    try {
      const [c, k] = await Promise.all([must('contacts:get', { id }), must('consent:forContact', { contactId: id })]);
      setContact(c);
      setConsent(k);
      setError('');
      setVersion((v) => v + 1);
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [id, t]);

  useEffect(() => {
    void reload();
    return onAppEvent((e) => {
      if (
        (e.type === 'contacts:changed' && e.ids.includes(id)) ||
        (e.type === 'consent:changed' && e.contactIds.includes(id)) ||
        (e.type === 'settings:changed' && e.keys.includes('types'))
      )
        void reload();
    });
  }, [id, reload]);

  return { contact, consent, error, version, reload, setContact };
}
