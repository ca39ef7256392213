import { useTranslation } from 'react-i18next';
import { must } from '../api/client';
import { ContactForm } from '../components/ContactForm';
import { useRoute } from '../stores/route-store';

export function NewContactPage() {
  const { t } = useTranslation();
  const go = useRoute((s) => s.go);
  return (
    <section aria-labelledby="new-contact-title" className="narrow">
      <h1 id="new-contact-title">{t('contact.createTitle')}</h1>
      <ContactForm
        submitLabel={t('app.create')}
        onSubmit={async (values) => {
          const created = await must('contacts:create', values);
          go({ page: 'contact', id: created.id });
        }}
      />
    </section>
  );
}
