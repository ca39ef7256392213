import { mkdirSync } from 'node:fs';
import type { RxStorage } from 'rxdb';
import { createApi, type Api } from './api/create-api';
import { createContactDirectory } from './contacts/contact-directory';
import { createContactService } from './contacts/contact-service';
import { loadDeviceId } from './device/device-identity';
import { createEventHub, type EventHub } from './events/event-hub';
import { consoleLogger, type Logger } from './logger';
import type { AppServices } from './services';
import { createSettingsService } from './settings/settings-service';
import { openAppDatabase } from './store/database';
import { createAppStorage } from './store/storage';
import { createUserService } from './users/user-service';

export type OpenAppOptions = {
  dataDir: string;
  // Tests inject a clock to make time-based rules (the 24-hour window) checkable.
  now?: () => Date;
  log?: Logger;
  storage?: RxStorage<unknown, unknown>;
};

export type OpenedApp = {
  api: Api;
  events: EventHub;
  services: AppServices;
  close(): Promise<void>;
};

// The one composition root: Electron's main, the e2e harness and the benchmarks all
// start the app here, over a data folder.
export async function openApp(options: OpenAppOptions): Promise<OpenedApp> {
  const { dataDir } = options;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? consoleLogger;
  mkdirSync(dataDir, { recursive: true });
  const deviceId = loadDeviceId(dataDir);
  const store = createAppStorage(dataDir);
  const db = await openAppDatabase(options.storage ?? store.storage, store.name);
  const events = createEventHub();
  const settings = createSettingsService(db, events, now);
  const users = createUserService(db, events, now);
  const directory = createContactDirectory(db);
  const contacts = createContactService({ db, directory, settings, events, now });
  const services: AppServices = { db, deviceId, now, log, events, settings, users, directory, contacts };
  await directory.ready;
  return {
    api: createApi(services),
    events,
    services,
    async close() {
      directory.close();
      await db.close();
    },
  };
}
