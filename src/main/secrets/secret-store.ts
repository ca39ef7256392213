import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretProtection } from '../../shared/api/sync-channels';

// Encrypts the sync password before it is written anywhere. Electron's main passes one
// built on safeStorage (the OS credential protection); this module never imports electron.
export type SecretStore = {
  // False when the OS offers no real protection (e.g. Linux without a keyring).
  available: boolean;
  encrypt(plain: string): string;
  decrypt(cipher: string): string;
};

export type ActiveSecretStore = SecretStore & { protection: SecretProtection };

const KEY_FILE = 'sync-secret.key';
const PREFIX = 'kf1:';

// Fallback where no OS protection exists (tests, headless Linux): AES-256-GCM with a random
// key in a file beside the data (owner-only permissions). Weaker than the OS store: anyone
// who can read the data folder can read the key. It still keeps the password out of the
// settings, out of backups of the config alone, and out of casual view.
export function createKeyFileSecretStore(dataDir: string): ActiveSecretStore {
  const keyPath = join(dataDir, KEY_FILE);
  let key: Buffer | null = null;
  const loadKey = (): Buffer => {
    if (key) return key;
    try {
      const existing = readFileSync(keyPath);
      if (existing.length === 32) return (key = existing);
    } catch {
      // first use on this data folder
    }
    const fresh = randomBytes(32);
    writeFileSync(`${keyPath}.tmp`, fresh, { mode: 0o600 });
    renameSync(`${keyPath}.tmp`, keyPath);
    chmodSync(keyPath, 0o600);
    return (key = fresh);
  };
  return {
    available: true,
    protection: 'key_file',
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', loadKey(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    decrypt(text) {
      if (!text.startsWith(PREFIX)) throw new Error('not encrypted with the key file');
      const raw = Buffer.from(text.slice(PREFIX.length), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', loadKey(), raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

// The OS store when it offers real protection, the key file otherwise.
export function chooseSecretStore(dataDir: string, os: SecretStore | undefined): ActiveSecretStore {
  return os?.available ? { ...os, protection: 'os' } : createKeyFileSecretStore(dataDir);
}
