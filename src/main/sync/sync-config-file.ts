import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretProtection } from '../../shared/api/sync-channels';

// The sync settings live beside the database, not in it: the settings collection
// replicates, and a password encrypted for this computer is useless (and unwelcome) elsewhere.
export type StoredSyncConfig = {
  url: string;
  database: string;
  username: string;
  // Encrypted with the protection named beside it; '' when there is no password.
  passwordCipher: string;
  protection: SecretProtection;
  enabled: boolean;
  lastSyncAt: string;
};

const FILE = 'sync-config.json';

const isConfig = (v: unknown): v is StoredSyncConfig => {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return ['url', 'database', 'username', 'passwordCipher', 'protection', 'lastSyncAt'].every((k) => typeof o[k] === 'string') && typeof o.enabled === 'boolean';
};

export function readSyncConfig(dataDir: string): StoredSyncConfig | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8'));
    return isConfig(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function writeSyncConfig(dataDir: string, config: StoredSyncConfig): void {
  const path = join(dataDir, FILE);
  // write-then-rename so a crash never leaves half a file behind
  writeFileSync(`${path}.tmp`, JSON.stringify(config, null, 2), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}
