import { Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { onAppEvent } from '../api/client';
import { ContactsPage } from '../pages/ContactsPage';
import { AutomationPage, CollectOptInPage, ContactPage, HistoryPage, ImportPage, MessagesPage, NewContactPage, OverviewPage, SettingsPage } from '../pages/lazy-pages';
import { useContacts } from '../stores/contacts-store';
import { useRoute, type Route } from '../stores/route-store';
import { useSession } from '../stores/session-store';
import { useTypes } from '../stores/types-store';
import { LanguageSwitch } from './LanguageSwitch';
import { SkipLinks } from './SkipLinks';
import { LockScreen } from './LockScreen';
import { useIdleLock } from './use-idle-lock';
import { SyncStatus } from './SyncStatus';
import { useNarrowWindow } from './use-narrow-window';

const NAV: Array<{ page: Route['page']; route: Route; key: string }> = [
  { page: 'contacts', route: { page: 'contacts' }, key: 'nav.contacts' },
  { page: 'collect', route: { page: 'collect' }, key: 'collect.nav' },
  { page: 'overview', route: { page: 'overview' }, key: 'overview.nav' },
  { page: 'history', route: { page: 'history' }, key: 'nav.history' },
  { page: 'import', route: { page: 'import' }, key: 'nav.import' },
  { page: 'messages', route: { page: 'messages' }, key: 'messages.nav' },
  { page: 'automation', route: { page: 'automation' }, key: 'nav.automation' },
  { page: 'settings', route: { page: 'settings', section: 'general' }, key: 'nav.settings' },
];

function CurrentPage({ route }: { route: Route }) {
  switch (route.page) {
    case 'contact':
      return <ContactPage key={route.id} id={route.id} />;
    case 'newContact':
      return <NewContactPage />;
    case 'collect':
      return <CollectOptInPage />;
    case 'overview':
      return <OverviewPage />;
    case 'history':
      return <HistoryPage />;
    case 'import':
      return <ImportPage />;
    case 'automation':
      return <AutomationPage />;
    case 'messages':
      return <MessagesPage />;
    case 'settings':
      return <SettingsPage section={route.section} />;
    default:
      return <ContactsPage />;
  }
}

export function Shell() {
  const { t } = useTranslation();
  const { route, go } = useRoute();
  const { user, signOut, locked, lock } = useSession();
  useIdleLock();

  // Data can change underneath (another window, an import, sync): refetch what is shown.
  useEffect(
    () =>
      onAppEvent((event) => {
        if (event.type === 'contacts:changed' || event.type === 'consent:changed') useContacts.getState().refresh();
        if (event.type === 'settings:changed' && event.keys.includes('types')) void useTypes.getState().load();
      }),
    [],
  );

  // Below ~1000 px the menu folds away so the page keeps its width; the user can open it
  // (over the page) or fold it on a wide window too. A window resize resets the choice.
  const narrow = useNarrowWindow();
  const [menuOpen, setMenuOpen] = useState(!narrow);
  useEffect(() => setMenuOpen(!narrow), [narrow]);

  const activePage = route.page === 'contact' || route.page === 'newContact' ? 'contacts' : route.page;
  return (
    <div className={`shell${menuOpen ? '' : ' menu-closed'}${narrow ? ' shell-narrow' : ''}`}>
      <SkipLinks onContacts={activePage === 'contacts' && route.page === 'contacts'} />
      <nav id="main-menu" className="sidebar" aria-label={t('nav.main')} hidden={!menuOpen}>
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
                  if (narrow) setMenuOpen(false);
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
          <button
            type="button"
            className="menu-button"
            data-testid="menu-toggle"
            aria-controls="main-menu"
            aria-expanded={menuOpen}
            aria-label={menuOpen ? t('shell.hideMenu') : t('shell.showMenu')}
            onClick={() => setMenuOpen(!menuOpen)}
          >
            <span aria-hidden="true">☰</span> {t('shell.menu')}
          </button>
          <span data-testid="active-user" className="active-user">
            {t('app.signedInAs', { name: user?.name ?? '' })} · {user ? t(`roles.${user.role}`) : ''}
          </span>
          <SyncStatus />
          <LanguageSwitch />
          <button className="link-button" data-testid="lock-now" onClick={() => void lock()}>
            {t('access.lock')}
          </button>
          <button className="link-button" data-testid="sign-out" onClick={() => void signOut()}>
            {t('app.signOut')}
          </button>
        </header>
        <main className="page" id="main-content" tabIndex={-1}>
          <Suspense fallback={<p role="status" className="muted">{t('app.loading')}</p>}>
            <CurrentPage route={route} />
          </Suspense>
        </main>
      </div>
      {locked && <LockScreen />}
    </div>
  );
}
