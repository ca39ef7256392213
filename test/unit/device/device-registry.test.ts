import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventSignatureMessage, sealEvent } from '../../../src/main/consent/event-hash';
import { deviceRecordMessage, recordOfEntry, type DeviceRecord, type UnsignedDeviceRecord } from '../../../src/main/device/device-records';
import { buildRegistry } from '../../../src/main/device/device-registry';
import { normalisePairingCode, pairingCode } from '../../../src/main/device/pairing-code';
import type { ConsentEvent } from '../../../src/shared/domain';

type Key = { deviceId: string; publicKey: string; sign(message: string): string };
let n = 0;
function deviceKey(): Key {
  const pair = generateKeyPairSync('ed25519');
  const jwk = pair.publicKey.export({ format: 'jwk' });
  n += 1;
  return {
    deviceId: `dev-${n.toString(16).padStart(16, '0')}`,
    publicKey: String(jwk.x),
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), pair.privateKey).toString('base64url'),
  };
}

const record = (signer: Key, subject: Key, over: Partial<UnsignedDeviceRecord> = {}): DeviceRecord => {
  const content: UnsignedDeviceRecord = {
    v: 1, kind: 'enrol', deviceId: subject.deviceId, publicKey: subject.publicKey, name: 'laptop', legacyUpToSeq: 0, upToSeq: 0,
    at: '2026-12-01T10:00:00.000Z', signer: { deviceId: signer.deviceId, userId: 'u1', userName: 'Ada' }, ...over,
  };
  return { ...content, sig: signer.sign(deviceRecordMessage(content)) };
};

const eventOf = (key: Key, seq: number, prevHash = '', signed = true): ConsentEvent =>
  sealEvent(
    {
      id: `e-${key.deviceId}-${seq}`, contactId: 'c1', typeId: 't1', status: 'subscribed', previousStatus: 'not_specified', source: 'manual',
      legalBasis: 'consent_with_notice', explanation: '', actor: { kind: 'user', id: 'u1', name: 'Ada' }, evidence: {},
      occurredAt: '2026-12-01T11:00:00.000Z', recordedAt: '2026-12-01T11:00:00.000Z', deviceId: key.deviceId, seq, basedOn: '',
    },
    prevHash,
    signed ? key.sign : undefined,
  );

describe('device registry (verified records only)', () => {
  const root = deviceKey();
  const laptop = deviceKey();
  const phone = deviceKey();
  const pin = { deviceId: root.deviceId, publicKey: root.publicKey };
  const rootClaim = record(root, root);

  it('counts the pinned root and the devices its chain enrols, in any order the records arrive', () => {
    const records = [record(laptop, phone, { at: '2026-12-01T12:00:00.000Z' }), record(root, laptop), rootClaim];
    const registry = buildRegistry(records, pin);
    expect(registry.devices().map((d) => d.deviceId)).toEqual([root.deviceId, laptop.deviceId, phone.deviceId]);
    expect(registry.device(root.deviceId)?.root).toBe(true);
    expect(registry.deviceAt(phone.deviceId, '2026-12-02T00:00:00.000Z')).toEqual({ status: 'enrolled', publicKey: phone.publicKey });
    expect(registry.refused.size).toBe(0);
  });

  it('refuses an enrolment signed by an unknown key, a forged signature, another root, and a second key for a device', () => {
    const stranger = deviceKey();
    const forgedSig = { ...record(root, phone), name: 'changed after signing' };
    const otherRoot = record(stranger, stranger);
    const secondKey = record(root, { ...laptop, publicKey: phone.publicKey });
    const registry = buildRegistry([rootClaim, record(root, laptop), record(stranger, phone), forgedSig, otherRoot, secondKey], pin);
    expect(registry.device(phone.deviceId)).toBeUndefined();
    expect(registry.device(stranger.deviceId)).toBeUndefined();
    expect(registry.device(laptop.deviceId)?.publicKey).toBe(laptop.publicKey);
    const reasons = [...registry.refused.values()].map((r) => r.reason).sort();
    expect(reasons).toEqual(['bad_signature', 'key_conflict', 'unknown_signer', 'untrusted_root']);
    expect(registry.checkRecord(record(stranger, phone))).toMatchObject({ ok: false, reason: 'unknown_signer', waitingFor: `device:${stranger.deviceId}` });
  });

  it('without a pinned root nothing counts, not even a validly self-signed root claim', () => {
    expect(buildRegistry([rootClaim, record(root, laptop)], null).devices()).toEqual([]);
  });

  it('checks events: signed by the enrolled key; unknown device waits; unsigned only up to the legacy point', () => {
    const registry = buildRegistry([rootClaim, record(root, laptop, { legacyUpToSeq: 2 })], pin);
    const e1 = eventOf(laptop, 1, '', false);
    const e2 = eventOf(laptop, 2, e1.hash, false);
    const e3 = eventOf(laptop, 3, e2.hash, false);
    expect(registry.checkEvent(e1)).toEqual({ ok: true, legacy: true });
    expect(registry.checkEvent(e2)).toEqual({ ok: true, legacy: true });
    expect(registry.checkEvent(e3)).toMatchObject({ ok: false, reason: 'unsigned' });
    expect(registry.checkEvent(eventOf(laptop, 3, e2.hash))).toEqual({ ok: true });
    // A correct hash with another device's signature: a fake next link.
    const fake = { ...eventOf(laptop, 3, e2.hash), sig: phone.sign(eventSignatureMessage(eventOf(laptop, 3, e2.hash).hash)) };
    expect(registry.checkEvent(fake)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(registry.checkEvent(eventOf(phone, 1))).toMatchObject({ ok: false, reason: 'unknown_device', waitingFor: `device:${phone.deviceId}` });
  });

  it('a signature leaves the hash unchanged (it is outside the hashed content)', () => {
    expect(eventOf(laptop, 1).hash).toBe(eventOf(laptop, 1, '', false).hash);
  });

  it('a revoked device: events after upToSeq refused, records it signs after the revocation refused, the root not revocable', () => {
    const revoke = record(root, laptop, { kind: 'revoke', upToSeq: 1, at: '2026-12-03T00:00:00.000Z' });
    const late = record(laptop, phone, { at: '2026-12-04T00:00:00.000Z' });
    const registry = buildRegistry([rootClaim, record(root, laptop), revoke, late, record(laptop, root, { kind: 'revoke' })], pin);
    const e1 = eventOf(laptop, 1);
    expect(registry.checkEvent(e1)).toEqual({ ok: true });
    expect(registry.checkEvent(eventOf(laptop, 2, e1.hash))).toMatchObject({ ok: false, reason: 'device_revoked' });
    expect(registry.device(phone.deviceId)).toBeUndefined();
    expect(registry.deviceAt(laptop.deviceId, '2026-12-05T00:00:00.000Z').status).toBe('revoked');
    expect(registry.deviceAt(laptop.deviceId, '2026-12-02T00:00:00.000Z').status).toBe('enrolled');
    expect([...registry.refused.values()].map((r) => r.reason).sort()).toEqual(['root_not_revocable', 'signer_revoked']);
  });

  it('reads a record only from an entry filed under its own id and action', () => {
    const r = record(root, laptop);
    expect(recordOfEntry({ id: `device:enrol:${laptop.deviceId}:${root.deviceId}`, action: 'device.enrolled', details: { record: r } })).toEqual({ record: r });
    expect(recordOfEntry({ id: `device:enrol:${phone.deviceId}:${root.deviceId}`, action: 'device.enrolled', details: { record: r } })).toHaveProperty('problem');
    expect(recordOfEntry({ id: `device:enrol:${laptop.deviceId}:${root.deviceId}`, action: 'device.revoked', details: { record: r } })).toHaveProperty('problem');
    expect(recordOfEntry({ id: 'x', action: 'device.enrolled', details: { record: { ...r, extra: 1 } } })).toHaveProperty('problem');
  });

  it('pairing codes: 10 characters of the key digest; typing slips are forgiven, junk is refused', () => {
    const code = pairingCode(laptop.deviceId, laptop.publicKey);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(pairingCode(phone.deviceId, laptop.publicKey)).not.toBe(code);
    expect(normalisePairingCode(` ${code.toLowerCase().replace('-', ' ')} `)).toBe(code);
    expect(normalisePairingCode('ABCDE-FGHIJ-K')).toBeNull();
    expect(normalisePairingCode('ABCDE-FGHU1')).toBeNull();
  });
});
