import type { AuditLog } from '../audit/audit-log';
import type { AutomationService } from '../automation/automation-service';
import type { Logger } from '../logger';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { ConsentLedger } from '../ledger/ledger-service';
import type { SettingsService } from '../settings/settings-service';
import type { AppDatabase } from '../store/database';
import type { TypeService } from '../subscription-types/type-service';
import { createContactErasure, type ContactErasure } from '../erasure/contact-erasure';
import type { CipherKey, CipherScheme } from '../store/rx-storage-sqlite/sqlite-driver';
import { createAccessExport, type AccessExport } from './access-export';
import { createInboundRetention, type InboundRetention } from './inbound-retention';
import { createLifecycleSettings, type LifecycleSettingsStore } from './lifecycle-settings';
import { createPlatformSignalService, type PlatformSignalService } from './platform-signal-service';
import { createRefusedChecks, type RefusedChecks } from './refused-checks';
import { createRepermission, type Repermission } from './repermission';

const RETENTION_FIRST_SWEEP_MS = 60_000;
const RETENTION_SWEEP_MS = 6 * 60 * 60 * 1000;

// The consent lifecycle and data-subject rights services (issue 22), built together so the
// composition root gains one line.
export type Lifecycle = {
  settings: LifecycleSettingsStore;
  repermission: Repermission;
  signals: PlatformSignalService;
  refused: RefusedChecks;
  access: AccessExport;
  retention: InboundRetention;
  erasure: ContactErasure;
  // Stops the periodic retention sweep.
  close(): Promise<void>;
};

export function createLifecycle(deps: {
  db: AppDatabase;
  ledger: ConsentLedger;
  types: TypeService;
  directory: ContactDirectory;
  settings: SettingsService;
  audit: AuditLog;
  deviceId: string;
  log: Logger;
  automation: Pick<AutomationService, 'checkExpiring'>;
  now: () => Date;
  // The data folder, for flushing erased bytes out of the store's write-ahead log.
  dataDir?: string;
  // The data file's key, for the erasure's own connection that empties the write-ahead log.
  dataKey?: CipherKey;
  dataScheme?: CipherScheme;
}): Lifecycle {
  const settings = createLifecycleSettings(deps.settings);
  const retention = createInboundRetention({ db: deps.db, settings, now: deps.now });
  // Retention, and the "consent expiring" rules, run soon after start and then a few times a
  // day; a sweep with nothing to do is a few indexed queries.
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    sweeping = sweeping.then(() => retention.sweep()).then(() => deps.automation.checkExpiring()).catch((e: unknown) => deps.log.error('retention sweep failed', e));
  };
  const first = setTimeout(sweep, RETENTION_FIRST_SWEEP_MS);
  const every = setInterval(sweep, RETENTION_SWEEP_MS);
  first.unref();
  every.unref();
  const erasure = createContactErasure(deps);
  return {
    retention,
    erasure,
    async close() {
      clearTimeout(first);
      clearInterval(every);
      erasure.close();
      await sweeping;
      await erasure.settled();
    },
    settings,
    repermission: createRepermission(deps),
    signals: createPlatformSignalService(deps),
    refused: createRefusedChecks({ db: deps.db, audit: deps.audit, settings }),
    access: createAccessExport(deps),
  };
}
