import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RxStorage } from 'rxdb';
import { createApi, type Api } from './api/create-api';
import { createAuditLog } from './audit/audit-log';
import { createAutomationService } from './automation/automation-service';
import { createConsentService } from './consent/consent-service';
import { createKeywordSettings } from './consent/keyword-settings';
import { createMessageIngestion } from './consent/message-ingestion';
import { createContactDirectory } from './contacts/contact-directory';
import { createContactService } from './contacts/contact-service';
import { gateUntilContactsLoaded } from './contacts/start-gate';
import { loadDeviceId } from './device/device-identity';
import { loadDeviceKeys } from './device/device-keys';
import { createDeviceTrust } from './device/device-trust';
import { createEventHub, type EventHub } from './events/event-hub';
import { consoleLogger, type Logger } from './logger';
import type { AppServices } from './services';
import { createHistoryService } from './history/history-service';
import { dataFolderExports, type ChooseExportPath } from './history/export-destination';
import { createBulkService } from './bulk/bulk-service';
import { createExportService } from './exports/export-service';
import { createImportService } from './imports/import-service';
import { createIntegrityService } from './integrity/integrity-service';
import { createProofService } from './proof/proof-service';
import { createReviewDesk } from './review/review-desk';
import { createConsentLedger } from './ledger/ledger-service';
import { createReviewQueue } from './review/review-queue';
import { createSettingsService } from './settings/settings-service';
import { createTypeService } from './subscription-types/type-service';
import { type AppDatabase, openAppDatabase } from './store/database';
import { APP_DATABASE_NAME, createAppStorage } from './store/storage';
import type { CipherScheme } from './store/rx-storage-sqlite';
import { type ActiveSecretStore, chooseSecretStore, type SecretStore } from './secrets/secret-store';
import { failedForWantOfRoom, freeDiskBytes, readOnlyDiskFull, startModeFor, type StartMode } from './store/read-only-start';
import { deriveFileKey, type SealPurpose } from './secrets/sealed-file';
import { createSyncService } from './sync/sync-service';
import { signedHeadsForProof } from './sync/signed-heads-now';
import { installRevocationRefold } from './sync/revocation-refold';
import { createIdleLock } from './users/idle-lock';
import { createProfileSecrets } from './users/profile-secrets';
import { atMost, createInboxService } from './inbox/inbox-service';
import { attributeToRelay } from './inbox/relay-attribution';
import { createUserService } from './users/user-service';
import { createLifecycle } from './lifecycle/lifecycle';
import type { DeviceKeyLookup } from './sync/signed-changes';

export type OpenAppOptions = {
  dataDir: string;
  // Tests inject a clock to make time-based rules (the 24-hour window) checkable.
  now?: () => Date;
  log?: Logger;
  storage?: RxStorage<unknown, unknown>;
  // The OS credential protection (Electron safeStorage); without it a key file is used.
  secrets?: SecretStore;
  // How long sync waits before retrying a failed request (tests shorten it).
  syncRetryMs?: number;
  // How often sync re-reads the server's changes in case its live feed missed one (tests shorten it).
  syncCatchUpMs?: number;
  // The idle lock's clock (ms), separate from `now` so moving `now` by days locks nothing.
  idleClock?: () => number;
  // The enrolled devices' public keys, for checking signed changes that arrive by sync (tests).
  deviceKeyLookup?: DeviceKeyLookup;
  // At most one signed chain head per this many ms while the chain moves (tests shorten it).
  chainHeadIntervalMs?: number;
  // Where a history file export goes: Electron asks with a save dialog; without one, the data
  // folder's `exports` folder (export-destination.ts).
  chooseExportPath?: ChooseExportPath;
  // Below this many free bytes on the data folder's disk the app starts read-only
  // (store/read-only-start.ts; default MIN_START_FREE_BYTES). 0 leaves it to the open itself.
  minFreeBytes?: number;
};

export type OpenedApp = {
  api: Api;
  events: EventHub;
  services: AppServices;
  close(): Promise<void>;
};

// The one composition root: Electron's main, the e2e harness and the benchmarks all
// start the app here, over a data folder. On a full disk it starts read-only instead of
// refusing (store/read-only-start.ts).
export async function openApp(options: OpenAppOptions): Promise<OpenedApp> {
  const { dataDir } = options;
  const log = options.log ?? consoleLogger;
  mkdirSync(dataDir, { recursive: true });
  const secrets = chooseSecretStore(dataDir, options.secrets);
  // An injected storage (benchmarks, tests of old plain folders) is used as given.
  if (options.storage) return composeApp(options, secrets, { readOnly: false });
  const planned = startModeFor(dataDir, options.minFreeBytes);
  if (!planned.readOnly) {
    try {
      return await composeApp(options, secrets, planned);
    } catch (error) {
      if (!failedForWantOfRoom(error)) throw error;
      log.warn('The disk is full: Consent Desk starts read-only.', error);
    }
  }
  return composeApp(options, secrets, planned.readOnly ? planned : readOnlyDiskFull(freeDiskBytes(dataDir)));
}

async function composeApp(options: OpenAppOptions, secrets: ActiveSecretStore, startMode: StartMode): Promise<OpenedApp> {
  const { dataDir } = options;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? consoleLogger;
  const readOnly = startMode.readOnly ? startMode.message : undefined;
  // Before the device id: a folder with a device id and no database is refused (encrypted-store.ts).
  // An injected storage has no data key, so the files beside it are plain too.
  const store = options.storage ? { storage: options.storage, key: undefined, scheme: undefined } : createAppStorage(dataDir, secrets, { readOnly });
  const fileKey = (purpose: SealPurpose) => (store.key ? deriveFileKey(store.key, purpose) : undefined);
  const deviceId = loadDeviceId(dataDir);
  const db = await openAppDatabase(store.storage, APP_DATABASE_NAME);
  try {
    return await composeServices({ options, secrets, startMode, readOnly, now, log, dataDir, db, deviceId, dataKey: store.key, dataScheme: store.scheme, fileKey });
  } catch (error) {
    // A start that failed part-way lets go of the file, so that a read-only start may open it.
    await db.close().catch(() => false);
    throw error;
  }
}

type Composition = {
  options: OpenAppOptions;
  secrets: ActiveSecretStore;
  startMode: StartMode;
  readOnly: string | undefined;
  now: () => Date;
  log: Logger;
  dataDir: string;
  db: AppDatabase;
  deviceId: string;
  dataKey: Buffer | undefined;
  dataScheme: CipherScheme | undefined;
  fileKey: (purpose: SealPurpose) => Buffer | undefined;
};

async function composeServices(c: Composition): Promise<OpenedApp> {
  const { options, secrets, startMode, readOnly, now, log, dataDir, db, deviceId, fileKey } = c;
  const events = createEventHub();
  const settings = createSettingsService(db, events, now);
  const users = createUserService(db, events, now, deviceId);
  const profileSecrets = createProfileSecrets(db, now);
  const idleLock = createIdleLock(db, options.idleClock ?? Date.now);
  // Read-only: the start page is neither read nor rewritten; the contacts load from the store.
  const directory = createContactDirectory(db, { startPageFile: readOnly === undefined ? join(dataDir, 'start-page.json') : undefined, startPageKey: fileKey('start-page') });
  const contacts = createContactService({ db, directory, settings, events, now, deviceId });
  // Contacts and statuses load in the background while the window starts; the API waits
  // for the contacts (see start-gate.ts), readers of statuses await directory.ready.
  const types = createTypeService(db, events, now);
  // Before the ledger: the trust service records where this device began to sign.
  const trust = await createDeviceTrust({ db, deviceId, keys: loadDeviceKeys(dataDir, secrets), now, log });
  const ledger = await createConsentLedger({ db, deviceId, now, events, directory, log, sign: trust.sign });
  const review = createReviewQueue(db, events, now);
  ledger.onConflicts(async (conflicts) => {
    await review.addConflicts(conflicts);
  });
  const consent = createConsentService({ db, ledger, types, directory, now });
  const keywords = createKeywordSettings(settings, events);
  const history = createHistoryService({ db, directory, types, snapshotKey: fileKey('history-index') });
  const audit = createAuditLog({ db, deviceId, now, log });
  // Rules react to finished imports; the automation service is built below, so call it late.
  const imports = createImportService({
    db, dataDir, spoolKey: fileKey('import-spool'), directory, ledger, settings, types, events, audit, deviceId, now, log,
    onFinished: (importId, contactIds) => automation.onImportFinished(importId, contactIds),
  });
  const bulk = createBulkService({ db, directory, ledger, types, events, audit });
  const exports = createExportService({ directory, types, audit, now });
  const integrity = createIntegrityService({ db, events, now });
  const reviewDesk = createReviewDesk({ db, ledger, types, directory, events, audit, now });
  // Signed chain heads are read from sync, built below; the proof asks only when it is made.
  const proof = createProofService({ db, ledger, directory, types, deviceId, now, signedHeads: () => signedHeadsForProof({ db, trust, sync }) });
  const automation = createAutomationService({ db, ledger, contacts, directory, types, events, now, deviceId, log, audit });
  // Before every ingestion route, sync and the inbox: the ingestion applies platform signals
  // through it, and the erasure must be listening before sync delivers anything.
  const lifecycle = createLifecycle({ db, ledger, types, directory, settings, audit, deviceId, log, automation, now, dataDir, dataKey: c.dataKey, dataScheme: c.dataScheme });
  const ingestion = createMessageIngestion({ db, ledger, types, contacts, directory, keywords, review, now, signals: lifecycle.signals });
  // Last: a resumed sync may deliver events at once, and the ledger must already be listening.
  const sync = createSyncService({ db, dataDir, deviceId, secrets, trust, events, log, now, retryMs: options.syncRetryMs, catchUpMs: options.syncCatchUpMs, deviceKeyLookup: options.deviceKeyLookup, chainHeadIntervalMs: options.chainHeadIntervalMs, readOnly });
  // A revocation that arrives after the revoked device's later events were folded: they stop counting (issue 25).
  const revocationRefold = installRevocationRefold({ db, trust, ledger, deviceId, now, log });
  // Live WhatsApp signals from the webhook relay's inbox, read while sync runs (src/main/inbox).
  const inbox = createInboxService({
    db, dataDir, secrets, log, now, retryMs: options.syncRetryMs, readOnly: readOnly !== undefined,
    ingestion: createMessageIngestion({ db, ledger: attributeToRelay(ledger), types, contacts, directory, keywords, review, now, origin: 'relay', signals: lifecycle.signals }),
    syncInStep: atMost(() => sync.awaitInSync(), 5000),
    onSyncSettingsChanged: sync.onSettingsChanged,
  });
  const services: AppServices = {
    automation,
    db, deviceId, trust, now, log, events, settings, users, profileSecrets, idleLock, directory, contacts, sync,
    types, ledger, consent, keywords, review, ingestion, history,
    audit, imports, bulk, exports,
    integrity, reviewDesk, proof, inbox,
    lifecycle, startMode,
    chooseExportPath: options.chooseExportPath ?? dataFolderExports(dataDir),
  };
  return {
    api: gateUntilContactsLoaded(createApi(services), () => directory.contactsReady, log),
    events,
    services,
    async close() {
      await inbox.close();
      await sync.close();
      revocationRefold.close();
      await revocationRefold.settled();
      // Before automation: a retention sweep may be running the expiry rules.
      await lifecycle.close();
      await automation.close();
      await ledger.settled();
      await ledger.close();
      trust.close();
      history.close();
      directory.close();
      await db.close();
    },
  };
}
