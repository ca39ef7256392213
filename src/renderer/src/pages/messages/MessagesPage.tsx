import { useTranslation } from 'react-i18next';
import { ImportMessagesFile } from './ImportMessagesFile';
import { RelayStatusPanel } from './RelayStatusPanel';

// Inbound WhatsApp messages: live through the webhook relay, or from a file without one.
export function MessagesPage() {
  const { t } = useTranslation();
  return (
    <section className="stack narrow" aria-labelledby="messages-title">
      <div className="page-header">
        <h1 id="messages-title">{t('messages.title')}</h1>
      </div>
      <RelayStatusPanel />
      <ImportMessagesFile />
    </section>
  );
}
