import { z } from 'zod';
import { canonicalJson } from '../../shared/consent/canonical-json';
import type { AuditLogDoc } from '../store/schemas/operations-schemas';
import { verifyDeviceSignature } from './device-keys';

/*
 * The signed records that say which devices belong (DESIGN "Trust boundaries"). They travel
 * as audit-log entries (insert-only, replicated everywhere, deterministic ids), so the trust
 * registry needs no collection of its own (RxDB's free build has none left) and every
 * enrolment and revocation is visible in the audit log.
 *  - enrol: `signer` vouches that `publicKey` is the key of device `deviceId`. The first
 *    admin's device signs its own (a root claim); every other enrolment is signed by an
 *    enrolled device, on an admin's approval.
 *  - revoke: the device's events after `upToSeq` no longer count, nor its signatures after `at`.
 *  - pairing: a new device asks to join, self-signed (proof it holds the key). It grants
 *    nothing; an admin matches it by the pairing code the new device shows.
 */
export const DEVICE_RECORD_KINDS = ['enrol', 'revoke', 'pairing'] as const;
export type DeviceRecordKind = (typeof DEVICE_RECORD_KINDS)[number];

export const DEVICE_RECORD_ACTIONS = {
  enrol: 'device.enrolled',
  revoke: 'device.revoked',
  pairing: 'device.pairing_requested',
} as const satisfies Record<DeviceRecordKind, string>;

export const DEVICE_ID_PATTERN = /^dev-[0-9a-f]{16}$/;
const deviceId = z.string().regex(DEVICE_ID_PATTERN);
const base64url = (bytes: number) => z.string().length(Math.ceil((bytes * 4) / 3)).regex(/^[A-Za-z0-9_-]+$/);
const seq = z.number().int().min(0).max(1_000_000_000_000);

export const deviceRecordSchema = z.strictObject({
  v: z.literal(1),
  kind: z.enum(DEVICE_RECORD_KINDS),
  // The device the record is about.
  deviceId,
  publicKey: base64url(32),
  name: z.string().max(200),
  // enrol and pairing: the device's unsigned events up to this seq are "legacy, unsigned"
  // (written before it ran a version that signs). 0 for a device that never ran one.
  legacyUpToSeq: seq,
  // revoke: the last of the device's events that still counts. 0 otherwise.
  upToSeq: seq,
  at: z.string().max(30).refine((t) => !Number.isNaN(Date.parse(t)), 'not a time'),
  signer: z.strictObject({ deviceId, userId: z.string().max(300), userName: z.string().max(500) }),
  sig: base64url(64),
});
export type DeviceRecord = z.infer<typeof deviceRecordSchema>;
export type UnsignedDeviceRecord = Omit<DeviceRecord, 'sig'>;

// Domain-separated, so no signature over an event hash or a change can pass for a record.
export const deviceRecordMessage = (record: UnsignedDeviceRecord | DeviceRecord): string => {
  const { sig: _sig, ...content } = record as DeviceRecord;
  return `consentdesk/device-record/v1\n${canonicalJson(content)}`;
};

// Deterministic: a replayed record is the same id, which insert-only sync never takes twice.
// One pairing request per device; enrolments and revocations per device and signer (a joining
// device's own root claim and its enrolment by the organisation's root are two records).
export const deviceRecordId = (record: Pick<DeviceRecord, 'kind' | 'deviceId' | 'signer'>): string =>
  record.kind === 'pairing' ? `device:pairing:${record.deviceId}` : `device:${record.kind}:${record.deviceId}:${record.signer.deviceId}`;

export const isRootClaim = (r: DeviceRecord): boolean => r.kind === 'enrol' && r.signer.deviceId === r.deviceId;

// True when the record is signed by the given key (the signer's enrolled key, or for a root
// claim and a pairing request the record's own).
export const recordSignedBy = (record: DeviceRecord, publicKey: string): boolean =>
  verifyDeviceSignature(publicKey, deviceRecordMessage(record), record.sig);

// The record carried by an audit-log entry, or why there is none.
export function recordOfEntry(entry: { id?: unknown; action?: unknown; details?: unknown }): { record: DeviceRecord } | { problem: string } {
  const details = entry.details as { record?: unknown } | undefined;
  const parsed = deviceRecordSchema.safeParse(details?.record);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { problem: first ? `record.${first.path.join('.')}: ${first.message}` : 'not a device record' };
  }
  const record = parsed.data;
  if (entry.action !== DEVICE_RECORD_ACTIONS[record.kind]) return { problem: `a ${record.kind} record filed as ${String(entry.action)}` };
  if (entry.id !== deviceRecordId(record)) return { problem: `a record about ${record.deviceId} filed under another id` };
  return { record };
}

export const isDeviceRecordAction = (action: unknown): boolean =>
  action === DEVICE_RECORD_ACTIONS.enrol || action === DEVICE_RECORD_ACTIONS.revoke || action === DEVICE_RECORD_ACTIONS.pairing;

// The audit-log entry a record travels in (the audit log is shared, insert-only and replicated),
// filed by the device `filedBy`.
export function recordAuditEntry(record: DeviceRecord, filedBy: string): AuditLogDoc {
  return {
    id: deviceRecordId(record),
    action: DEVICE_RECORD_ACTIONS[record.kind],
    actorId: record.signer.userId || 'system',
    actorName: record.signer.userName || 'Consent Desk',
    details: { record },
    at: record.at,
    deviceId: filedBy,
  };
}
