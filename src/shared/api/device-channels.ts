import { z } from 'zod';
import { ADMIN_ONLY, channel } from './channel';
import type { SecretProtection } from './sync-channels';

// Device enrolment (issue 25): only enrolled devices' signed events count on other devices.
export type DeviceEnrolment = 'enrolled' | 'revoked' | 'not_enrolled';

export type DeviceView = {
  deviceId: string;
  name: string;
  // First characters of the public key's digest, to compare by eye.
  fingerprint: string;
  status: DeviceEnrolment;
  root: boolean;
  enrolledAt: string;
  enrolledByName: string;
  revokedAt: string;
  revokedByName: string;
  thisDevice: boolean;
};

export type ThisDeviceStatus = {
  deviceId: string;
  name: string;
  fingerprint: string;
  status: DeviceEnrolment;
  root: boolean;
  // The code an admin on an enrolled device types to approve this one.
  pairingCode: string;
  // Where the private key is kept: the OS credential store, or a key file beside the data.
  protection: SecretProtection;
  // The root of trust this device follows ('' before there is one), to compare across devices.
  rootDeviceId: string;
  rootFingerprint: string;
};

// The integrity report's verdict on signatures (history:verify).
export type SignatureCheck = {
  // Events signed by their enrolled device.
  signed: number;
  // Events written before their device signed (up to the seq its enrolment names): they verify
  // by their hash chain only.
  legacyUnsigned: number;
  // Events whose device is unknown or revoked, or whose signature fails or is missing.
  failing: number;
  // The first 100 failing events. reason: unknown_device | bad_signature | device_revoked | unsigned
  problems: Array<{ eventId: string; deviceId: string; seq: number; reason: string; message: string }>;
};

export const DEVICE_VIEWERS = ['compliance_officer', 'admin'] as const;

const pairingCodeInput = z.string().min(1).max(40);
const deviceId = z.string().regex(/^dev-[0-9a-f]{16}$/, 'a device id looks like dev- and 16 hex digits');

export const deviceChannels = {
  'devices:status': channel<ThisDeviceStatus>()({
    input: z.object({}).strict(),
    access: 'signed_in',
    summary: "This device's enrolment: status, pairing code, key protection and the root of trust it follows.",
    returns: 'ThisDeviceStatus { deviceId, name, fingerprint, status, root, pairingCode, protection, rootDeviceId, rootFingerprint }',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'devices:list': channel<DeviceView[]>()({
    input: z.object({}).strict(),
    access: DEVICE_VIEWERS,
    summary: 'Enrolled and revoked devices, from verified enrolment records only, oldest enrolment first.',
    returns: 'DeviceView[] { deviceId, name, fingerprint, status, root, enrolledAt, enrolledByName, revokedAt, revokedByName, thisDevice }',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'devices:approve': channel<DeviceView>()({
    input: z.object({ code: pairingCodeInput }).strict(),
    access: ADMIN_ONLY,
    summary:
      'Enrol the device that shows this pairing code (its request must have arrived by sync): this device signs an enrolment record that replicates. Only on an enrolled device.',
    returns: 'DeviceView of the enrolled device',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'conflict'],
  }),
  'devices:revoke': channel<DeviceView>()({
    input: z.object({ deviceId }).strict(),
    access: ADMIN_ONLY,
    summary:
      "Revoke an enrolled device: its events after the last one this device holds, and its signatures from now on, no longer count anywhere. The root of trust cannot be revoked.",
    returns: 'DeviceView of the revoked device',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found'],
  }),
  'devices:becomeRoot': channel<ThisDeviceStatus>()({
    input: z.object({}).strict(),
    access: ADMIN_ONLY,
    summary:
      'Make this device the root of trust, where none is known yet (a store set up before devices were enrolled). Refused once this device follows a root.',
    returns: 'ThisDeviceStatus',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'conflict'],
  }),
};
