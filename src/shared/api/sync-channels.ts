import { z } from 'zod';
import { ADMIN_ONLY, channel } from './channel';

// What went wrong with sync, in a few stable kinds the UI turns into plain words.
export const SYNC_PROBLEMS = [
  'unauthorized',
  'forbidden',
  'database_missing',
  'unreachable',
  'server_error',
  'credentials_unreadable',
] as const;
export type SyncProblemKind = (typeof SYNC_PROBLEMS)[number];
export type SyncProblem = { kind: SyncProblemKind; message: string; at: string };

// How the saved password is protected on this device: the OS credential store
// (Electron safeStorage), or a key file beside the data (weaker, used where no OS store exists).
export type SecretProtection = 'os' | 'key_file';

export type SyncState = 'off' | 'connecting' | 'syncing' | 'in_sync' | 'offline' | 'error';

export type SyncStatus = {
  configured: boolean;
  // True while the user wants sync running (it survives restarts), even when offline.
  enabled: boolean;
  state: SyncState;
  online: boolean;
  // Local changes not yet confirmed by the server (counted since the app started).
  pending: number;
  lastSyncAt: string;
  lastError: SyncProblem | null;
  protection: SecretProtection;
};

export type SyncConfigView = {
  url: string;
  database: string;
  username: string;
  hasPassword: boolean;
  protection: SecretProtection;
};

export type SyncConnectionCheck =
  | { ok: true; databases: string[]; docCount: number }
  | { ok: false; problem: SyncProblem; missing: string[] };

// CouchDB database names: lowercase letter first, then lowercase letters, digits and _$()+-.
const databaseName = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_$()+-]{0,100}$/, 'Use lowercase letters, digits and _ $ ( ) + - (start with a letter)');

const serverUrl = z
  .string()
  .trim()
  .max(500)
  .url('Not a valid address')
  .refine((u) => /^https?:\/\//i.test(u), 'The address must start with http:// or https://')
  // In the address they would be kept and shown in plain text (settings file, audit log, screen).
  .refine((u) => !hasUrlCredentials(u), 'Leave the user name and password out of the address: enter them in their own fields, where the password is stored encrypted.');

// True when an address carries a user name or password (http://user:pw@host).
export function hasUrlCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}

export const syncConfigInput = z
  .object({
    url: serverUrl,
    database: databaseName,
    username: z.string().max(200).default(''),
    // Omitted: keep the saved password. Empty string: no password.
    password: z.string().max(1000).optional(),
  })
  .strict();

export const syncChannels = {
  'sync:getConfig': channel<SyncConfigView | null>()({
    input: z.object({}).strict(),
    access: 'signed_in',
    summary: 'The sync server settings of this device (never the password itself), or null when sync was never set up.',
    returns: 'SyncConfigView { url, database, username, hasPassword, protection } | null',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'sync:setConfig': channel<SyncConfigView>()({
    input: syncConfigInput,
    access: ADMIN_ONLY,
    summary: 'Save the sync server settings on this device; the password is stored encrypted. A running sync restarts with them.',
    returns: 'SyncConfigView',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'sync:start': channel<SyncStatus>()({
    input: z.object({}).strict(),
    access: ADMIN_ONLY,
    summary: 'Start live replication; it keeps retrying quietly while offline and resumes after a restart of the app.',
    returns: 'SyncStatus',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'sync_not_configured'],
  }),
  'sync:stop': channel<SyncStatus>()({
    input: z.object({}).strict(),
    access: ADMIN_ONLY,
    summary: 'Stop replication. Local work continues and is sent when sync is started again.',
    returns: 'SyncStatus',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'sync:status': channel<SyncStatus>()({
    input: z.object({}).strict(),
    access: 'signed_in',
    summary: 'Online or offline, pending local changes, last successful sync and the last error in plain words.',
    returns: 'SyncStatus',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'sync:testConnection': channel<SyncConnectionCheck>()({
    input: syncConfigInput.partial().strict(),
    access: ADMIN_ONLY,
    summary: 'Check the server, credentials and databases, with the given settings over the saved ones. Changes nothing.',
    returns: 'SyncConnectionCheck { ok: true, databases, docCount } | { ok: false, problem, missing }',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'sync_not_configured'],
  }),
};
