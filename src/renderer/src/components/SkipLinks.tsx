import { useTranslation } from 'react-i18next';

const focusFirst = (selector: string) => {
  const target = document.querySelector<HTMLElement>(selector);
  target?.focus();
  target?.scrollIntoView({ block: 'nearest' });
};

// The first stops of the Tab order, shown only when focused: past the menu and the top bar
// to the page, and on the contact list straight to its first contact.
export function SkipLinks({ onContacts }: { onContacts: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="skip-links">
      <a
        href="#main-content"
        data-testid="skip-to-main"
        onClick={(e) => {
          e.preventDefault();
          focusFirst('#main-content');
        }}
      >
        {t('shell.skipToMain')}
      </a>
      {onContacts && (
        <a
          href="#main-content"
          data-testid="skip-to-contacts"
          onClick={(e) => {
            e.preventDefault();
            focusFirst('[data-testid="contact-row-link"]');
          }}
        >
          {t('shell.skipToContacts')}
        </a>
      )}
    </div>
  );
}
