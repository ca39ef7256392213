import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { must } from '../api/client';
import { ContactForm } from '../components/ContactForm';
import { useRoute } from '../stores/route-store';
import { hasRole, useSession } from '../stores/session-store';
import { AccessExportActions } from './contact/AccessExportActions';
import { ErasureAction } from './contact/ErasureAction';
import { ConsentTermsNotes } from './contact/ConsentTermsNotes';
import { ContactHistoryTab } from './contact/ContactHistoryTab';
import { MayMessagePanel } from './contact/MayMessagePanel';
import { SubscriptionsPanel } from './contact/SubscriptionsPanel';
import { useContactRecord } from './contact/use-contact-record';

const TABS = ['overview', 'history'] as const;
type Tab = (typeof TABS)[number];

export function ContactPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const go = useRoute((s) => s.go);
  const user = useSession((s) => s.user);
  const { contact, consent, error, version, reload, setContact } = useContactRecord(id);
  const [tab, setTab] = useState<Tab>('overview');
  // Bumped by an erasure: the form starts afresh from the erased record (a save made in the
  // form keeps the form, and its "Saved" note, as it is).
  const [formVersion, setFormVersion] = useState(0);
  const canChange = hasRole(user, 'admin', 'field_agent');
  const canExport = hasRole(user, 'admin', 'compliance_officer');

  // Arrow keys move between tabs (WAI-ARIA tabs pattern).
  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const next = TABS[(TABS.indexOf(tab) + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length] ?? 'overview';
    setTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  };

  const back = (
    <button className="link-button" onClick={() => go({ page: 'contacts' })}>
      ← {t('app.back')}
    </button>
  );
  if (error && !contact)
    return (
      <section className="stack">
        {back}
        <p role="alert" className="error" data-testid="contact-error">{error}</p>
      </section>
    );
  if (!contact || !consent) return <p role="status">{t('app.loading')}</p>;
  return (
    <section aria-labelledby="contact-title" className="contact-page">
      <div className="page-header">
        {back}
        <h1 id="contact-title" data-testid="contact-title">{contact.name}</h1>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      <div role="tablist" aria-label={t('contactTabs.label')} className="tabs">
        {TABS.map((name) => (
          <button
            key={name}
            id={`tab-${name}`}
            role="tab"
            type="button"
            data-testid={`tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
            onKeyDown={onTabKey}
          >
            {t(`contactTabs.${name}`)}
          </button>
        ))}
      </div>
      <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'overview' ? (
          <div className="contact-columns">
            <div className="card">
              <h2>{t('contact.details')}</h2>
              <ContactForm
                key={`${contact.id}:${formVersion}`}
                initial={contact}
                submitLabel={t('app.save')}
                readOnly={!canChange}
                onSubmit={async (values) => {
                  setContact(await must('contacts:update', { id, ...values }));
                  void reload();
                }}
              />
            </div>
            <div className="stack">
              <SubscriptionsPanel contact={contact} consent={consent} canChange={canChange} onChanged={() => void reload()} />
              <MayMessagePanel contact={contact} consent={consent} />
              {canExport && <AccessExportActions contactId={id} />}
              {canExport && <ErasureAction
                  contactId={id}
                  onErased={() => void reload().then(() => setFormVersion((v) => v + 1))}
                />}
            </div>
          </div>
        ) : (
          <div className="stack">
            <ConsentTermsNotes consent={consent} />
            <ContactHistoryTab contactId={id} types={consent.types.map((r) => r.type)} version={version} />
          </div>
        )}
      </div>
    </section>
  );
}
