import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDeviceKeys } from '../../../src/main/device/device-keys';
import { createKeyFileSecretStore } from '../../../src/main/secrets/secret-store';
import { roleAt, roleRecordEntry, roleRecordOfEntry, versionOfRecord, type RoleRecord, type RoleVersion } from '../../../src/main/sync/role-records';
import { legacyFieldDigest } from '../../../src/main/sync/legacy-manifest';
import { changeMessage, checkRoleRecord, checkSignedChange, fieldSignature, LEGACY_WAIT, type DeviceKeyLookup } from '../../../src/main/sync/signed-changes';

const dir = mkdtempSync(join(tmpdir(), 'role-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keys = loadDeviceKeys(dir, createKeyFileSecretStore(dir));
const DEV = 'dev-00000000000000a1';
const enrolled: DeviceKeyLookup = async (deviceId) => (deviceId === DEV ? keys.publicKey : null);

const T = (minute: number) => `2030-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
const stampAt = (minute: number) => `${T(minute)}|${DEV}`;
function record(userId: string, role: RoleRecord['role'], minute: number, author: string): RoleRecord {
  const stamp = stampAt(minute);
  return { userId, role, stamp, sig: fieldSignature(DEV, author, keys.sign(changeMessage('users', userId, 'role', role, stamp, author))) };
}

describe('the role history', () => {
  const history: RoleVersion[] = [record('root', 'admin', 0, 'root'), record('bob', 'admin', 10, 'root'), record('bob', 'field_agent', 30, 'root')].map(versionOfRecord);

  it('answers the role held just before a time, not the role now', () => {
    expect(roleAt(history, 'bob', T(5))).toBe('');
    expect(roleAt(history, 'bob', T(10))).toBe('');
    expect(roleAt(history, 'bob', T(20))).toBe('admin');
    expect(roleAt(history, 'bob', T(31))).toBe('field_agent');
    expect(roleAt(history, 'nobody', T(31))).toBe('');
  });

  it('a signed change counts by its author\'s role at its stamp', async () => {
    const rule = (minute: number) => {
      const stamp = stampAt(minute);
      return {
        id: 'r1', name: 'x', createdAt: T(minute), updatedAt: T(minute), fieldClock: { name: stamp },
        fieldSigs: { name: fieldSignature(DEV, 'bob', keys.sign(changeMessage('rules', 'r1', 'name', 'x', stamp, 'bob'))) },
      };
    };
    const roleOf = async (userId: string, at: string) => roleAt(history, userId, at);
    const check = (minute: number) => checkSignedChange({ collection: 'rules', primaryKey: 'id', arriving: rule(minute), held: undefined, deviceKey: enrolled, roleOf, vouchedLegacy: async () => false });
    expect(await check(20)).toEqual({ ok: true, legacy: false });
    expect(await check(40)).toMatchObject({ ok: false, reason: 'not_allowed', waitingFor: 'user:bob' });
  });

  it('a new document with unsigned fields is legacy only where a manifest vouches for every one of them', async () => {
    const type = { purpose: 't1', name: 'Old', createdAt: T(1), updatedAt: T(1) };
    const roleOf = async () => '';
    const listed = new Set([legacyFieldDigest('subscription_types', 't1', 'name', 'Old')]);
    const vouchedLegacy = async (c: string, id: string, fields: ReadonlyArray<readonly [string, unknown]>) => fields.every(([f, v]) => listed.has(legacyFieldDigest(c, id, f, v)));
    const check = (arriving: Record<string, unknown>, held?: Record<string, unknown>) =>
      checkSignedChange({ collection: 'subscription_types', primaryKey: 'purpose', arriving, held, deviceKey: enrolled, roleOf, vouchedLegacy });
    expect(await check(type)).toEqual({ ok: true, legacy: true });
    // Another value, or a field the manifest does not list: kept aside, waiting for a manifest.
    expect(await check({ ...type, name: 'Forged' })).toMatchObject({ ok: false, reason: 'unsigned_change', waitingFor: LEGACY_WAIT });
    expect(await check({ ...type, businessNumber: '+48221234567' })).toMatchObject({ ok: false, reason: 'unsigned_change' });
    // An unsigned change to a document held here is never legacy, listed or not.
    expect(await check(type, { ...type, name: 'Before' })).toMatchObject({ ok: false, reason: 'unsigned_change' });
  });

  it('a role record proves itself: device, signature, and the author an admin just before it', async () => {
    const genuine = record('fiona', 'compliance_officer', 20, 'bob');
    expect(await checkRoleRecord(genuine, enrolled, history)).toEqual({ ok: true });
    // After Bob's demotion he may not give roles.
    expect(await checkRoleRecord(record('fiona', 'admin', 40, 'bob'), enrolled, history)).toMatchObject({ ok: false, reason: 'not_allowed' });
    // A profile's creation may make itself the first admin (once its profile, created then, is held);
    // a self-promotion dated before a profile existed, or later, may not.
    const ann = record('ann', 'admin', 5, 'ann');
    const annHeld = [...history, { ...versionOfRecord(ann), createdAt: T(5) }];
    expect(await checkRoleRecord(ann, enrolled, annHeld)).toEqual({ ok: true });
    expect(await checkRoleRecord(ann, enrolled, history)).toMatchObject({ ok: false, reason: 'not_allowed', waitingFor: 'user:ann' });
    const backdated = record('ann', 'admin', 4, 'ann');
    expect(await checkRoleRecord(backdated, enrolled, annHeld)).toMatchObject({ ok: false, reason: 'not_allowed' });
    expect(await checkRoleRecord(record('bob', 'admin', 40, 'bob'), enrolled, history)).toMatchObject({ ok: false, reason: 'not_allowed' });
    // Another value under the same signature, an unknown device, a malformed signature.
    expect(await checkRoleRecord({ ...genuine, role: 'admin' }, enrolled, history)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(await checkRoleRecord({ ...genuine, sig: genuine.sig.replace(DEV, 'dev-00000000000000b2') }, enrolled, history)).toMatchObject({
      ok: false, reason: 'unknown_device', waitingFor: 'device:dev-00000000000000b2',
    });
    expect(await checkRoleRecord({ ...genuine, sig: 'x' }, enrolled, history)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('reads a role record back from its audit entry, and refuses one filed under another id or malformed', () => {
    const r = record('bob', 'admin', 10, 'root');
    const entry = roleRecordEntry(r, DEV);
    expect(roleRecordOfEntry(entry)).toEqual({ record: r });
    expect(roleRecordOfEntry({ ...entry, id: 'user-role:eve:x' })).toHaveProperty('problem');
    expect(roleRecordOfEntry({ ...entry, details: { role: { ...r, role: 'owner' } } })).toHaveProperty('problem');
    expect(roleRecordOfEntry({ ...entry, details: { role: { ...r, extra: 1 } } })).toHaveProperty('problem');
    expect(roleRecordOfEntry({ ...entry, details: null })).toHaveProperty('problem');
  });
});
