import type { AuditLog } from '../audit/audit-log';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { ConsentLedger } from '../ledger/ledger-service';
import type { SettingsService } from '../settings/settings-service';
import type { AppDatabase } from '../store/database';
import type { TypeService } from '../subscription-types/type-service';
import { createAccessExport, type AccessExport } from './access-export';
import { createLifecycleSettings, type LifecycleSettingsStore } from './lifecycle-settings';
import { createPlatformSignalService, type PlatformSignalService } from './platform-signal-service';
import { createRefusedChecks, type RefusedChecks } from './refused-checks';
import { createRepermission, type Repermission } from './repermission';

// The consent lifecycle and data-subject rights services (issue 22), built together so the
// composition root gains one line.
export type Lifecycle = {
  settings: LifecycleSettingsStore;
  repermission: Repermission;
  signals: PlatformSignalService;
  refused: RefusedChecks;
  access: AccessExport;
};

export function createLifecycle(deps: {
  db: AppDatabase;
  ledger: ConsentLedger;
  types: TypeService;
  directory: ContactDirectory;
  settings: SettingsService;
  audit: AuditLog;
  deviceId: string;
  now: () => Date;
}): Lifecycle {
  const settings = createLifecycleSettings(deps.settings);
  return {
    settings,
    repermission: createRepermission(deps),
    signals: createPlatformSignalService(deps),
    refused: createRefusedChecks({ db: deps.db, audit: deps.audit, settings }),
    access: createAccessExport(deps),
  };
}
