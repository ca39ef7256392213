import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { onAppEvent } from '../api/client';
import { ContactPage } from '../pages/ContactPage';
import { ContactsPage } from '../pages/ContactsPage';
import { NewContactPage } from '../pages/NewContactPage';
import { useContacts } from '../stores/contacts-store';
import { useRoute, type Route } from '../stores/route-store';
import { useSession } from '../stores/session-store';
import { LanguageSwitch } from './LanguageSwitch';

const NAV: Array<{ page: Route['page']; route: Route; key: string }> = [
  { page: 'contacts', route: { page: 'contacts' }, key: 'nav.contacts' },
];

function CurrentPage({ route }: { route: Route }) {
  switch (route.page) {
    case 'contact':
      return <ContactPage id={route.id} />;
    case 'newContact':
      return <NewContactPage />;
    default:
      return <ContactsPage />;
  }
}

export function Shell() {
  const { t } = useTranslation();
  const { route, go } = useRoute();
  const { user, signOut } = useSession();

  // Data can change underneath (another window, an import, sync): refetch what is shown.
  useEffect(
    () =>
      onAppEvent((event) => {
        if (event.type === 'contacts:changed' || event.type === 'consent:changed') useContacts.getState().refresh();
      }),
    [],
  );

  const activePage = route.page === 'contact' || route.page === 'newContact' ? 'contacts' : route.page;
  return (
    <div className="shell">
      <nav className="sidebar" aria-label={t('nav.main')}>
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">✓</span>
          <div>
            <strong>{t('app.name')}</strong>
            <small>{t('app.tagline')}</small>
          </div>
        </div>
        <ul>
          {NAV.map((item) => (
            <li key={item.page}>
              <a
                href={`#/${item.page}`}
                data-testid={`nav-${item.page}`}
                aria-current={activePage === item.page ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  go(item.route);
                }}
              >
                {t(item.key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="workspace">
        <header className="topbar">
          <span data-testid="active-user" className="active-user">
            {t('app.signedInAs', { name: user?.name ?? '' })} · {user ? t(`roles.${user.role}`) : ''}
          </span>
          <LanguageSwitch />
          <button className="link-button" data-testid="sign-out" onClick={() => void signOut()}>
            {t('app.signOut')}
          </button>
        </header>
        <main className="page">
          <CurrentPage route={route} />
        </main>
      </div>
    </div>
  );
}
