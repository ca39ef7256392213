import type { ConsentEvent } from '../../shared/domain';
import { eventSignatureMessage } from '../consent/event-hash';
import { verifyDeviceSignature } from './device-keys';
import { deviceRecordId, isRootClaim, recordSignedBy, type DeviceRecord } from './device-records';

/*
 * Which devices count, worked out from signed records only (pure: the records and the pinned
 * root come in, the answers go out). The root is the device this one trusts from the start:
 * itself when its first admin was created here, or the root of the organisation that enrolled
 * it. Every other device counts once an enrolment record signed by a device that counted at
 * the time vouches for its public key. An enrolment vouches for the key, not for a period: a
 * new device's events from before its approval count once the approval arrives (nothing it
 * recorded while waiting is lost). A revocation ends that: the device's events after the
 * revocation's `upToSeq`, and its signatures on records after the revocation's time.
 */
export type TrustRoot = { deviceId: string; publicKey: string };
export type DeviceSigner = DeviceRecord['signer'];

export type DeviceStanding = {
  deviceId: string;
  publicKey: string;
  name: string;
  root: boolean;
  enrolledAt: string;
  enrolledBy: DeviceSigner;
  // Unsigned events of this device up to this seq were written before it signed: "legacy, unsigned".
  legacyUpToSeq: number;
  revoked: { at: string; upToSeq: number; by: DeviceSigner } | null;
};

export const RECORD_REFUSALS = ['bad_signature', 'unknown_signer', 'signer_revoked', 'key_conflict', 'unknown_device', 'untrusted_root', 'root_not_revocable'] as const;
export type RecordRefusal = (typeof RECORD_REFUSALS)[number];
export const EVENT_REFUSALS = ['unknown_device', 'bad_signature', 'device_revoked', 'unsigned'] as const;
export type EventRefusal = (typeof EVENT_REFUSALS)[number];

export type TrustVerdict<R extends string> = { ok: true } | { ok: false; reason: R; detail: string; waitingFor?: string };

// What an event or record that waits for a device's enrolment waits for (the arrival gate
// checks it again when device records arrive).
export const deviceSlot = (deviceId: string) => `device:${deviceId}`;

export type DeviceRegistry = {
  root: TrustRoot | null;
  // The records it was built from: with `root`, all a worker needs to build the same registry.
  records: readonly DeviceRecord[];
  device(deviceId: string): DeviceStanding | undefined;
  devices(): DeviceStanding[];
  // The device's public key and standing at time `at` (ISO): what a signed change made then is checked against.
  deviceAt(deviceId: string, at: string): { status: 'enrolled' | 'revoked' | 'unknown'; publicKey: string | null };
  // A signature by device `deviceId` over `message`, made at `at`: ok only for an enrolled key, not revoked by then.
  checkSignedBy(deviceId: string, at: string, message: string, sig: unknown): TrustVerdict<'unknown_device' | 'device_revoked' | 'bad_signature'>;
  checkRecord(record: DeviceRecord): TrustVerdict<RecordRefusal>;
  // A consent event whose hash already matched: its signature, device and revocation.
  checkEvent(event: ConsentEvent): TrustVerdict<EventRefusal> & { legacy?: boolean };
  // Records held but not trusted, by record id, with the reason.
  refused: ReadonlyMap<string, { record: DeviceRecord; reason: RecordRefusal; detail: string }>;
  // Pairing requests held, by device id.
  pairingRequests(): DeviceRecord[];
  // This registry with more records (a batch being checked, before the store holds it).
  including(records: readonly DeviceRecord[]): DeviceRegistry;
};

const fail = <R extends string>(reason: R, detail: string, waitingFor?: string): { ok: false; reason: R; detail: string; waitingFor?: string } => ({
  ok: false,
  reason,
  detail,
  ...(waitingFor ? { waitingFor } : {}),
});

const byTime = (a: DeviceRecord, b: DeviceRecord) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0);

const revokedBy = (standing: DeviceStanding, at: string) => standing.revoked !== null && at >= standing.revoked.at;

function checkAgainst(devices: ReadonlyMap<string, DeviceStanding>, root: TrustRoot | null, record: DeviceRecord): TrustVerdict<RecordRefusal> {
  if (record.kind === 'pairing') {
    return recordSignedBy(record, record.publicKey) ? { ok: true } : fail('bad_signature', 'the pairing request is not signed by the key it names');
  }
  if (isRootClaim(record)) {
    if (!recordSignedBy(record, record.publicKey)) return fail('bad_signature', 'the root claim is not signed by the key it names');
    if (!root || root.deviceId !== record.deviceId || root.publicKey !== record.publicKey) {
      return fail('untrusted_root', `device ${record.deviceId} claims to be a root of trust, and is not this device's`);
    }
    return { ok: true };
  }
  const signer = devices.get(record.signer.deviceId);
  if (!signer) return fail('unknown_signer', `signed by device ${record.signer.deviceId}, which is not enrolled here`, deviceSlot(record.signer.deviceId));
  if (revokedBy(signer, record.at)) return fail('signer_revoked', `signed by device ${signer.deviceId} after its revocation`);
  if (!recordSignedBy(record, signer.publicKey)) return fail('bad_signature', `the signature is not device ${signer.deviceId}'s`);
  const subject = devices.get(record.deviceId);
  if (record.kind === 'enrol') {
    if (subject && subject.publicKey !== record.publicKey) return fail('key_conflict', `device ${record.deviceId} is enrolled with another key`);
    return { ok: true };
  }
  if (!subject) return fail('unknown_device', `revokes device ${record.deviceId}, which is not enrolled here`, deviceSlot(record.deviceId));
  if (subject.publicKey !== record.publicKey) return fail('key_conflict', `revokes another key than device ${record.deviceId}'s`);
  if (subject.root) return fail('root_not_revocable', 'the root of trust cannot be revoked');
  return { ok: true };
}

function apply(devices: Map<string, DeviceStanding>, record: DeviceRecord): void {
  if (record.kind === 'pairing') return;
  const subject = devices.get(record.deviceId);
  if (record.kind === 'enrol') {
    // The earliest enrolment stands; a later one for the same key adds nothing.
    if (subject) return;
    devices.set(record.deviceId, {
      deviceId: record.deviceId,
      publicKey: record.publicKey,
      name: record.name,
      root: isRootClaim(record),
      enrolledAt: record.at,
      enrolledBy: record.signer,
      legacyUpToSeq: record.legacyUpToSeq,
      revoked: null,
    });
    return;
  }
  if (subject && (!subject.revoked || record.upToSeq < subject.revoked.upToSeq)) {
    devices.set(record.deviceId, { ...subject, revoked: { at: record.at, upToSeq: record.upToSeq, by: record.signer } });
  }
}

export function buildRegistry(records: readonly DeviceRecord[], root: TrustRoot | null): DeviceRegistry {
  const devices = new Map<string, DeviceStanding>();
  const pairing = new Map<string, DeviceRecord>();
  let pending = [...records].sort(byTime);
  // Records may be held before the record that makes their signer count: apply until a pass adds nothing.
  for (let progress = true; progress; ) {
    progress = false;
    const left: DeviceRecord[] = [];
    for (const record of pending) {
      if (checkAgainst(devices, root, record).ok) {
        if (record.kind === 'pairing') pairing.set(record.deviceId, record);
        else apply(devices, record);
        progress = true;
      } else left.push(record);
    }
    pending = left;
  }
  const refused = new Map<string, { record: DeviceRecord; reason: RecordRefusal; detail: string }>();
  for (const record of pending) {
    const verdict = checkAgainst(devices, root, record);
    if (!verdict.ok) refused.set(deviceRecordId(record), { record, reason: verdict.reason, detail: verdict.detail });
  }

  const checkSignedBy: DeviceRegistry['checkSignedBy'] = (deviceId, at, message, sig) => {
    const standing = devices.get(deviceId);
    if (!standing) return fail('unknown_device', `device ${deviceId} is not enrolled here`, deviceSlot(deviceId));
    if (revokedBy(standing, at)) return fail('device_revoked', `device ${deviceId} was revoked at ${standing.revoked?.at ?? ''}`);
    if (!verifyDeviceSignature(standing.publicKey, message, sig)) return fail('bad_signature', `the signature is not device ${deviceId}'s`);
    return { ok: true };
  };

  const registry: DeviceRegistry = {
    root,
    records,
    refused,
    device: (deviceId) => devices.get(deviceId),
    devices: () => [...devices.values()].sort((a, b) => (a.enrolledAt < b.enrolledAt ? -1 : a.enrolledAt > b.enrolledAt ? 1 : 0)),
    deviceAt(deviceId, at) {
      const standing = devices.get(deviceId);
      if (!standing) return { status: 'unknown', publicKey: null };
      return { status: revokedBy(standing, at) ? 'revoked' : 'enrolled', publicKey: standing.publicKey };
    },
    checkSignedBy,
    checkRecord: (record) => checkAgainst(devices, root, record),
    checkEvent(event) {
      const standing = devices.get(event.deviceId);
      if (!standing) return fail('unknown_device', `device ${event.deviceId} is not enrolled here`, deviceSlot(event.deviceId));
      if (standing.revoked && event.seq > standing.revoked.upToSeq) {
        return fail('device_revoked', `device ${event.deviceId} was revoked after its event ${standing.revoked.upToSeq}`);
      }
      if (event.sig === undefined) {
        if (event.seq <= standing.legacyUpToSeq) return { ok: true, legacy: true };
        return fail('unsigned', `unsigned, and after seq ${standing.legacyUpToSeq}, where device ${event.deviceId} began to sign`);
      }
      if (!verifyDeviceSignature(standing.publicKey, eventSignatureMessage(event.hash), event.sig)) {
        return fail('bad_signature', `the signature is not device ${event.deviceId}'s`);
      }
      return { ok: true };
    },
    pairingRequests: () => [...pairing.values()],
    including: (more) => (more.length === 0 ? registry : buildRegistry([...records, ...more], root)),
  };
  return registry;
}
