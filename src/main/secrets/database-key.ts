import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretProtection } from '../../shared/api/sync-channels';
import { CIPHER_SCHEMES, type CipherScheme } from '../store/rx-storage-sqlite/sqlite-driver';
import type { ActiveSecretStore } from './secret-store';

/*
 * The data folder's encryption key: 256 random bits, never written in the clear. It is wrapped
 * by the secret store (the OS store where there is one, else the key file beside the data) and
 * the wrapped form is kept here, beside the database it opens. Losing this file, or the OS
 * store's entry, makes the data unreadable: that is the point, and the error says so.
 */
export const DATABASE_KEY_FILE = 'database-key.json';
export const DATABASE_KEY_BYTES = 32;

// `scheme`: how the key encrypts the file's pages (sqlite-driver.ts). Files written before the
// scheme was recorded have none and are SQLCipher 4's own.
type KeyFile = { v: 1; protection: SecretProtection; wrapped: string; scheme?: CipherScheme };

export type DatabaseKey = { key: Buffer; protection: SecretProtection; scheme: CipherScheme };

export const SCHEME_OF_UNMARKED_FILES: CipherScheme = 'sqlcipher-v4';

const isScheme = (value: unknown): value is CipherScheme => CIPHER_SCHEMES.some((scheme) => scheme === value);

export type DatabaseKeyProblem = 'key_unreadable' | 'key_damaged';

export class DatabaseKeyError extends Error {
  constructor(readonly problem: DatabaseKeyProblem, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseKeyError';
  }
}

export const databaseKeyPath = (dataDir: string): string => join(dataDir, DATABASE_KEY_FILE);

export function hasDatabaseKey(dataDir: string): boolean {
  return existsSync(databaseKeyPath(dataDir));
}

function parseKeyFile(text: string): KeyFile | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const file = parsed as Partial<KeyFile>;
    if (file.v !== 1 || typeof file.wrapped !== 'string' || (file.protection !== 'os' && file.protection !== 'key_file')) return null;
    if (file.scheme !== undefined && !isScheme(file.scheme)) return null;
    return { v: 1, protection: file.protection, wrapped: file.wrapped, scheme: file.scheme ?? SCHEME_OF_UNMARKED_FILES };
  } catch {
    return null;
  }
}

// Undefined when the folder has no key yet; throws DatabaseKeyError when it has one that cannot be used.
export function readDatabaseKey(dataDir: string, secrets: ActiveSecretStore): DatabaseKey | undefined {
  const path = databaseKeyPath(dataDir);
  if (!existsSync(path)) return undefined;
  const file = parseKeyFile(readFileSync(path, 'utf8'));
  if (!file) {
    throw new DatabaseKeyError('key_damaged', `The database key file ${path} is damaged; restore it from a backup of this data folder.`);
  }
  let key: Buffer;
  try {
    key = Buffer.from(secrets.decrypt(file.wrapped), 'base64');
  } catch (error) {
    const where = file.protection === 'os' ? "this computer's secure credential store" : 'the key file beside the data';
    throw new DatabaseKeyError('key_unreadable', `The database key was protected by ${where}, which cannot unwrap it now (another user account or computer, or a lost key). The data was left untouched.`, { cause: error });
  }
  if (key.length !== DATABASE_KEY_BYTES) {
    throw new DatabaseKeyError('key_damaged', `The database key in ${path} has the wrong length; restore the file from a backup of this data folder.`);
  }
  return { key, protection: file.protection, scheme: file.scheme ?? SCHEME_OF_UNMARKED_FILES };
}

export function newDatabaseKey(): Buffer {
  return randomBytes(DATABASE_KEY_BYTES);
}

// Written to a temporary file, flushed, then renamed: a crash leaves the old state or the new, whole.
export function writeDatabaseKey(dataDir: string, secrets: ActiveSecretStore, key: Buffer, scheme: CipherScheme): DatabaseKey {
  const path = databaseKeyPath(dataDir);
  const file: KeyFile = { v: 1, protection: secrets.protection, wrapped: secrets.encrypt(key.toString('base64')), scheme };
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(file));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  syncDirectory(dataDir);
  return { key, protection: secrets.protection, scheme };
}

// Makes a rename in the folder durable (a no-op where directories cannot be opened, e.g. Windows).
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported on this platform
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
