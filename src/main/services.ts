import type { ContactDirectory } from './contacts/contact-directory';
import type { ContactService } from './contacts/contact-service';
import type { EventHub } from './events/event-hub';
import type { Logger } from './logger';
import type { SettingsService } from './settings/settings-service';
import type { AppDatabase } from './store/database';
import type { UserService } from './users/user-service';

// Everything the API handlers may use, built once by the composition root (app.ts).
export type AppServices = {
  db: AppDatabase;
  deviceId: string;
  now: () => Date;
  log: Logger;
  events: EventHub;
  settings: SettingsService;
  users: UserService;
  directory: ContactDirectory;
  contacts: ContactService;
};
