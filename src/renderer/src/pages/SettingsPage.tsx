import { useTranslation } from 'react-i18next';
import { useRoute } from '../stores/route-store';
import { hasRole, useSession } from '../stores/session-store';
import { DevicesSettings } from './settings/DevicesSettings';
import { GeneralSettings } from './settings/GeneralSettings';
import { KeywordsSettings } from './settings/KeywordsSettings';
import { SyncSettings } from './settings/SyncSettings';
import { TypesSettings } from './settings/TypesSettings';
import { UsersSettings } from './settings/UsersSettings';

// Sections of #/settings/<section>. Admin-only ones are not offered to other roles;
// main refuses their calls anyway.
const SECTIONS = [
  { id: 'general', adminOnly: false },
  { id: 'types', adminOnly: true },
  { id: 'keywords', adminOnly: true },
  { id: 'users', adminOnly: true },
  // Sync settings are written by the sync work (settings/SyncSettings.tsx); admin only.
  { id: 'sync', adminOnly: true },
  // Device enrolment (settings/DevicesSettings.tsx): everyone sees this device's status and code.
  { id: 'devices', adminOnly: false },
] as const;

type SectionId = (typeof SECTIONS)[number]['id'];

function SectionBody({ id, isAdmin, canList }: { id: SectionId; isAdmin: boolean; canList: boolean }) {
  switch (id) {
    case 'devices':
      return <DevicesSettings isAdmin={isAdmin} canList={canList} />;
    case 'types':
      return <TypesSettings />;
    case 'keywords':
      return <KeywordsSettings />;
    case 'users':
      return <UsersSettings />;
    case 'sync':
      return <SyncSettings />;
    default:
      return <GeneralSettings isAdmin={isAdmin} />;
  }
}

export function SettingsPage({ section }: { section: string }) {
  const { t } = useTranslation();
  const go = useRoute((s) => s.go);
  const user = useSession((s) => s.user);
  const isAdmin = hasRole(user, 'admin');
  const canList = isAdmin || hasRole(user, 'compliance_officer');
  const offered = SECTIONS.filter((s) => isAdmin || !s.adminOnly);
  const current = offered.find((s) => s.id === section) ?? offered[0] ?? SECTIONS[0];
  return (
    <section className="stack" aria-labelledby="settings-title">
      <div className="page-header">
        <h1 id="settings-title">{t('settings.title')}</h1>
      </div>
      <div className="settings-layout">
        <nav aria-label={t('settings.sections')} className="settings-nav">
          <ul>
            {offered.map((s) => (
              <li key={s.id}>
                <a
                  href={`#/settings/${s.id}`}
                  data-testid={`settings-${s.id}`}
                  aria-current={current.id === s.id ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    go({ page: 'settings', section: s.id });
                  }}
                >
                  {t(`settings.section_${s.id}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings-body" data-testid={`settings-section-${current.id}`}>
          <SectionBody id={current.id} isAdmin={isAdmin} canList={canList} />
        </div>
      </div>
    </section>
  );
}
