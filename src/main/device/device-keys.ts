import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretProtection } from '../../shared/api/sync-channels';
import type { ActiveSecretStore } from '../secrets/secret-store';

// This device's Ed25519 key pair: what it signs its consent events, its changes and its
// chain head with. The public key travels (enrolment records); the private key never leaves
// this file, and is written only sealed by the secret store (the OS store where there is one,
// the key file beside the data otherwise — `protection` says which, so the UI can say so).
export type DeviceKeys = {
  // Raw 32-byte Ed25519 public key, base64url.
  publicKey: string;
  protection: SecretProtection;
  // Signature over the UTF-8 bytes of `message`, base64url (64 bytes).
  sign(message: string): string;
};

const KEY_FILE = 'device-key.json';
// The DER prefix of an Ed25519 SubjectPublicKeyInfo; what follows it is the raw 32-byte key.
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

type KeyFile = { v: 1; publicKey: string; sealedPrivateKey: string };

const rawPublicKey = (key: KeyObject): string =>
  key.export({ type: 'spki', format: 'der' }).subarray(SPKI_ED25519_PREFIX.length).toString('base64url');

// Parsed keys by their text: a sync or an integrity check verifies thousands of events of the
// same few devices, and building the key object each time cost more than the check itself.
// Bounded, since a hostile server can offer any number of made-up keys.
const parsedKeys = new Map<string, KeyObject | null>();
const PARSED_KEYS_LIMIT = 1000;

function publicKeyObject(publicKey: string): KeyObject | null {
  const cached = parsedKeys.get(publicKey);
  if (cached !== undefined) return cached;
  const parsed = parsePublicKey(publicKey);
  if (parsedKeys.size >= PARSED_KEYS_LIMIT) parsedKeys.clear();
  parsedKeys.set(publicKey, parsed);
  return parsed;
}

function parsePublicKey(publicKey: string): KeyObject | null {
  const raw = Buffer.from(publicKey, 'base64url');
  if (raw.length !== 32 || raw.toString('base64url') !== publicKey) return null;
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

function readKeyFile(path: string): KeyFile | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (
      parsed !== null &&
      typeof parsed === 'object' &&
      'v' in parsed &&
      parsed.v === 1 &&
      'publicKey' in parsed &&
      typeof parsed.publicKey === 'string' &&
      'sealedPrivateKey' in parsed &&
      typeof parsed.sealedPrivateKey === 'string'
    ) {
      return { v: 1, publicKey: parsed.publicKey, sealedPrivateKey: parsed.sealedPrivateKey };
    }
  } catch {
    // no key yet on this data folder
  }
  return null;
}

// Loads this device's key pair, creating it on first use. A key file that exists but cannot
// be unsealed (another OS account, a lost keyring) is an error, never silently replaced: a new
// key would be a new, unenrolled identity, and the old one's signatures must stay verifiable.
export function loadDeviceKeys(dataDir: string, secrets: ActiveSecretStore): DeviceKeys {
  const path = join(dataDir, KEY_FILE);
  const existing = readKeyFile(path);
  let privateKey: KeyObject;
  let publicKey: string;
  if (existing) {
    privateKey = createPrivateKey({
      key: Buffer.from(secrets.decrypt(existing.sealedPrivateKey), 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    publicKey = rawPublicKey(createPublicKey(privateKey));
    if (publicKey !== existing.publicKey) throw new Error('device key file: public key does not match the private key');
  } else {
    const pair = generateKeyPairSync('ed25519');
    privateKey = pair.privateKey;
    publicKey = rawPublicKey(pair.publicKey);
    const sealed = secrets.encrypt(privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'));
    const file: KeyFile = { v: 1, publicKey, sealedPrivateKey: sealed };
    mkdirSync(dataDir, { recursive: true });
    // write-then-rename so a crash never leaves half a key behind
    writeFileSync(`${path}.tmp`, JSON.stringify(file), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }
  return {
    publicKey,
    protection: secrets.protection,
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64url'),
  };
}

// True only for a well-formed key and a valid signature; anything a server could send that is
// not both (wrong lengths, junk, non-strings) is false, never an exception.
export function verifyDeviceSignature(publicKey: unknown, message: string, signature: unknown): boolean {
  if (typeof publicKey !== 'string' || typeof signature !== 'string') return false;
  const key = publicKeyObject(publicKey);
  const sig = Buffer.from(signature, 'base64url');
  if (!key || sig.length !== 64 || sig.toString('base64url') !== signature) return false;
  try {
    return verify(null, Buffer.from(message, 'utf8'), key, sig);
  } catch {
    return false;
  }
}
