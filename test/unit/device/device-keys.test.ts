import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDeviceKeys, verifyDeviceSignature } from '../../../src/main/device/device-keys';
import { createKeyFileSecretStore } from '../../../src/main/secrets/secret-store';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'device-keys-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('device keys', () => {
  it('creates a key pair once and loads the same one on the next start', () => {
    const dir = tempDir();
    const first = loadDeviceKeys(dir, createKeyFileSecretStore(dir));
    const again = loadDeviceKeys(dir, createKeyFileSecretStore(dir));
    expect(again.publicKey).toBe(first.publicKey);
    expect(Buffer.from(first.publicKey, 'base64url')).toHaveLength(32);
    const sig = first.sign('hello');
    expect(verifyDeviceSignature(again.publicKey, 'hello', sig)).toBe(true);
    expect(first.protection).toBe('key_file');
  });

  it('never writes the private key unsealed', () => {
    const dir = tempDir();
    loadDeviceKeys(dir, createKeyFileSecretStore(dir));
    const file = JSON.parse(readFileSync(join(dir, 'device-key.json'), 'utf8')) as { sealedPrivateKey: string };
    expect(file.sealedPrivateKey.startsWith('kf1:')).toBe(true);
    expect(readFileSync(join(dir, 'device-key.json'), 'utf8')).not.toMatch(/MC4CAQAwBQYDK2Vw/);
  });

  it('refuses a key file whose public key does not match, instead of making a new identity', () => {
    const dir = tempDir();
    loadDeviceKeys(dir, createKeyFileSecretStore(dir));
    const other = loadDeviceKeys(tempDir(), createKeyFileSecretStore(tempDir()));
    const path = join(dir, 'device-key.json');
    const file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify({ ...file, publicKey: other.publicKey }));
    expect(() => loadDeviceKeys(dir, createKeyFileSecretStore(dir))).toThrow(/does not match/);
  });

  it('rejects wrong messages, other keys and junk without throwing', () => {
    const dir = tempDir();
    const keys = loadDeviceKeys(dir, createKeyFileSecretStore(dir));
    const other = loadDeviceKeys(tempDir(), createKeyFileSecretStore(tempDir()));
    const sig = keys.sign('event-hash-1');
    expect(verifyDeviceSignature(keys.publicKey, 'event-hash-2', sig)).toBe(false);
    expect(verifyDeviceSignature(other.publicKey, 'event-hash-1', sig)).toBe(false);
    const flipped = Buffer.from(sig, 'base64url');
    flipped.writeUInt8((flipped.readUInt8(0) ^ 1) & 0xff, 0);
    expect(verifyDeviceSignature(keys.publicKey, 'event-hash-1', flipped.toString('base64url'))).toBe(false);
    for (const junk of [undefined, null, 42, '', 'x', '=', sig + 'A', { a: 1 }]) {
      expect(verifyDeviceSignature(keys.publicKey, 'event-hash-1', junk)).toBe(false);
      expect(verifyDeviceSignature(junk, 'event-hash-1', sig)).toBe(false);
    }
  });
});
