import { generateKeyPairSync, sign } from 'node:crypto';
import { sealEvent, type UnsealedConsentEvent } from '../../src/main/consent/event-hash';
import { deviceRecordMessage, recordAuditEntry, type DeviceRecord, type UnsignedDeviceRecord } from '../../src/main/device/device-records';
import { pairingCode } from '../../src/main/device/pairing-code';
import type { ConsentEvent } from '../../src/shared/domain';

/*
 * A device that exists only as a key pair in the test: what a hostile server (or a device with
 * a modified app) can produce. Its documents are PUT into the server with couch-forge. It can
 * ask to pair like a real device (a self-signed request an admin approves by code), sign events
 * and device records with its own key, or sign with a key that is not the one it claims.
 */
export type OutsideDevice = {
  deviceId: string;
  publicKey: string;
  code: string;
  sign(message: string): string;
  // Its pairing request as the audit-log entry a real device files.
  pairingEntry(legacyUpToSeq?: number): Record<string, unknown> & { id: string };
  // A device record signed by this device, as the audit-log entry it travels in.
  // `signer` defaults to this device; naming another is a claim this device's key cannot back.
  recordEntry(content: Omit<UnsignedDeviceRecord, 'v' | 'signer' | 'name' | 'at'> & { at?: string; signer?: DeviceRecord['signer'] }): Record<string, unknown> & { id: string };
  // An event of this device, hashed and signed by it (or unsigned).
  seal(event: UnsealedConsentEvent, prevHash: string, signed?: boolean): ConsentEvent;
};

export function outsideDevice(deviceId: string): OutsideDevice {
  const pair = generateKeyPairSync('ed25519');
  const publicKey = String(pair.publicKey.export({ format: 'jwk' }).x);
  const signWith = (message: string) => sign(null, Buffer.from(message, 'utf8'), pair.privateKey).toString('base64url');
  const entryOf = (record: DeviceRecord) => recordAuditEntry(record, deviceId);
  const signed = (content: UnsignedDeviceRecord): DeviceRecord => ({ ...content, sig: signWith(deviceRecordMessage(content)) });
  return {
    deviceId,
    publicKey,
    code: pairingCode(deviceId, publicKey),
    sign: signWith,
    pairingEntry: (legacyUpToSeq = 0) =>
      entryOf(
        signed({
          v: 1, kind: 'pairing', deviceId, publicKey, name: 'outside', legacyUpToSeq, upToSeq: 0,
          at: new Date().toISOString(), signer: { deviceId, userId: '', userName: '' },
        }),
      ),
    recordEntry: ({ at, signer, ...content }) =>
      entryOf(signed({ v: 1, name: 'outside', at: at ?? new Date().toISOString(), signer: signer ?? { deviceId, userId: 'u-mallory', userName: 'Mallory' }, ...content })),
    seal: (event, prevHash, isSigned = true) => sealEvent({ ...event, deviceId }, prevHash, isSigned ? signWith : undefined),
  };
}
