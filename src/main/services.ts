import type { AutomationService } from './automation/automation-service';
import type { AuditLog } from './audit/audit-log';
import type { ConsentService } from './consent/consent-service';
import type { KeywordSettings } from './consent/keyword-settings';
import type { MessageIngestion } from './consent/message-ingestion';
import type { ContactDirectory } from './contacts/contact-directory';
import type { ContactService } from './contacts/contact-service';
import type { DeviceTrust } from './device/device-trust';
import type { EventHub } from './events/event-hub';
import type { Logger } from './logger';
import type { Lifecycle } from './lifecycle/lifecycle';
import type { ChooseExportPath } from './history/export-destination';
import type { HistoryService } from './history/history-service';
import type { BulkService } from './bulk/bulk-service';
import type { ExportService } from './exports/export-service';
import type { ImportService } from './imports/import-service';
import type { InboxService } from './inbox/inbox-service';
import type { IntegrityService } from './integrity/integrity-service';
import type { ProofService } from './proof/proof-service';
import type { ReviewDesk } from './review/review-desk';
import type { ConsentLedger } from './ledger/ledger-service';
import type { ReviewQueue } from './review/review-queue';
import type { SettingsService } from './settings/settings-service';
import type { TypeService } from './subscription-types/type-service';
import type { AppDatabase } from './store/database';
import type { StartMode } from './store/read-only-start';
import type { SyncService } from './sync/sync-service';
import type { IdleLock } from './users/idle-lock';
import type { ProfileSecrets } from './users/profile-secrets';
import type { UserService } from './users/user-service';

// Everything the API handlers may use, built once by the composition root (app.ts).
export type AppServices = {
  automation: AutomationService;
  db: AppDatabase;
  deviceId: string;
  // Device enrolment: this device's key, the registry of enrolled devices, pairing.
  trust: DeviceTrust;
  now: () => Date;
  log: Logger;
  events: EventHub;
  settings: SettingsService;
  users: UserService;
  profileSecrets: ProfileSecrets;
  idleLock: IdleLock;
  directory: ContactDirectory;
  contacts: ContactService;
  sync: SyncService;
  types: TypeService;
  ledger: ConsentLedger;
  consent: ConsentService;
  keywords: KeywordSettings;
  review: ReviewQueue;
  ingestion: MessageIngestion;
  history: HistoryService;
  imports: ImportService;
  bulk: BulkService;
  exports: ExportService;
  integrity: IntegrityService;
  audit: AuditLog;
  reviewDesk: ReviewDesk;
  proof: ProofService;
  inbox: InboxService;
  lifecycle: Lifecycle;
  // Where a history file export goes (a save dialog in Electron).
  chooseExportPath: ChooseExportPath;
  // Normal, or read-only on a full disk (store/read-only-start.ts).
  startMode: StartMode;
};
