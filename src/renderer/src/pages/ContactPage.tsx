import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactRow } from '../../../shared/api/contacts-channels';
import { must, onAppEvent } from '../api/client';
import { ContactForm } from '../components/ContactForm';
import { errorText } from '../components/errors';
import { useRoute } from '../stores/route-store';
import { hasRole, useSession } from '../stores/session-store';

export function ContactPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const go = useRoute((s) => s.go);
  const user = useSession((s) => s.user);
  const [contact, setContact] = useState<ContactRow | null>(null);
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    try {
      setContact(await must('contacts:get', { id }));
      setError('');
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [id, t]);

  useEffect(() => {
    void load();
    return onAppEvent((e) => {
      if ((e.type === 'contacts:changed' && e.ids.includes(id)) || (e.type === 'consent:changed' && e.contactIds.includes(id))) void load();
    });
  }, [id, load]);

  if (error) return <p role="alert" className="error">{error}</p>;
  if (!contact) return <p role="status">{t('app.loading')}</p>;
  return (
    <section aria-labelledby="contact-title" className="contact-page">
      <div className="page-header">
        <button className="link-button" onClick={() => go({ page: 'contacts' })}>
          ← {t('app.back')}
        </button>
        <h1 id="contact-title" data-testid="contact-title">{contact.name}</h1>
      </div>
      <div className="contact-columns">
        <div className="card">
          <h2>{t('contact.details')}</h2>
          <ContactForm
            initial={contact}
            submitLabel={t('app.save')}
            readOnly={!hasRole(user, 'admin', 'field_agent')}
            onSubmit={async (values) => {
              setContact(await must('contacts:update', { id, ...values }));
            }}
          />
        </div>
      </div>
    </section>
  );
}
