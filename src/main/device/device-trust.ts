import { hostname } from 'node:os';
import type { Subscription } from 'rxjs';
import type { SecretProtection } from '../../shared/api/sync-channels';
import type { User } from '../../shared/domain';
import { AppError } from '../app-error';
import type { Logger } from '../logger';
import type { AppDatabase } from '../store/database';
import { insertMissing } from '../store/insert-documents';
import { queryPlain } from '../store/plain-documents';
import type { DeviceKeys } from './device-keys';
import {
  DEVICE_RECORD_ACTIONS,
  recordAuditEntry,
  deviceRecordId,
  deviceRecordMessage,
  isRootClaim,
  recordOfEntry,
  type DeviceRecord,
  type UnsignedDeviceRecord,
} from './device-records';
import { buildRegistry, type DeviceRegistry, type DeviceStanding, type TrustRoot } from './device-registry';
import { normalisePairingCode, pairingCode } from './pairing-code';

/*
 * This device's part in enrolment: it holds the registry (rebuilt from the records in the store
 * whenever device records arrive or are written), signs with this device's key, writes the
 * records an admin's actions make, and keeps the root of trust pinned in local_meta (never
 * replicated: which root a device trusts is not something a server may change).
 */
export type DeviceTrust = {
  deviceId: string;
  publicKey: string;
  protection: SecretProtection;
  // What this device shows so an admin on an enrolled device can approve it.
  pairingCode: string;
  sign(message: string): string;
  // The registry as of the records held now.
  registry(): Promise<DeviceRegistry>;
  // First run: the first admin's device becomes the root of trust. Does nothing when it already is.
  enrolAsRoot(user: Pick<User, 'id' | 'name'>): Promise<DeviceStanding>;
  // An admin on an enrolled device approves the device showing `code` (its request arrived by sync).
  approve(code: string, user: Pick<User, 'id' | 'name'>): Promise<DeviceStanding>;
  revoke(deviceId: string, user: Pick<User, 'id' | 'name'>): Promise<DeviceStanding>;
  // Records kept aside on arrival (their signer unknown here): a joining device finds in them
  // the chain that enrolled it, and adopts its root. True when it did (the registry changed).
  offer(records: readonly DeviceRecord[]): Promise<boolean>;
  // Called whenever the registry may have changed (device records written or arrived).
  onChange(listener: () => void): () => void;
  close(): void;
};

const ROOT_PIN = 'device-trust:root';
const SIGNING_FROM = 'device-trust:signing-from';
const ACTIONS = Object.values(DEVICE_RECORD_ACTIONS);

const asRoot = (v: unknown): TrustRoot | null => {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  return typeof o.deviceId === 'string' && typeof o.publicKey === 'string' ? { deviceId: o.deviceId, publicKey: o.publicKey } : null;
};

export async function createDeviceTrust(deps: { db: AppDatabase; deviceId: string; keys: DeviceKeys; now: () => Date; log: Logger; name?: string }): Promise<DeviceTrust> {
  const { db, deviceId, keys, now, log } = deps;
  const name = (deps.name ?? hostname()).slice(0, 200);
  const readMeta = async (id: string) => (await db.local_meta.findOne(id).exec())?.toMutableJSON().value;
  const writeMeta = (id: string, value: Record<string, unknown>) => db.local_meta.upsert({ id, value, updatedAt: now().toISOString() });

  // The seq of the newest event of a device's chain held here (0 for none).
  const headSeq = async (device: string): Promise<number> =>
    (await db.consent_events.findOne({ selector: { deviceId: device }, sort: [{ deviceId: 'desc' }, { seq: 'desc' }] }).exec())?.seq ?? 0;

  // The upgrade point: every event this device holds of its own when it first runs a version
  // that signs was written unsigned. Read before the ledger appends anything.
  let signingFrom = (await readMeta(SIGNING_FROM)) as { seq?: unknown } | undefined;
  if (typeof signingFrom?.seq !== 'number') {
    signingFrom = { seq: await headSeq(deviceId) };
    await writeMeta(SIGNING_FROM, signingFrom);
  }
  const legacyUpToSeq = typeof signingFrom.seq === 'number' ? signingFrom.seq : 0;

  const signed = (content: UnsignedDeviceRecord): DeviceRecord => ({ ...content, sig: keys.sign(deviceRecordMessage(content)) });
  const file = async (record: DeviceRecord) => {
    await insertMissing(db.audit_log, [recordAuditEntry(record, deviceId)]);
  };

  let cached: DeviceRegistry | null = null;
  const listeners = new Set<() => void>();
  const changed = () => {
    cached = null;
    generation += 1;
    for (const l of listeners) l();
  };
  const sub: Subscription = db.audit_log.eventBulks$.subscribe((bulk) => {
    if (bulk.events.some((e) => ACTIONS.includes(e.documentData.action as (typeof ACTIONS)[number]))) changed();
  });

  const readRecords = async (): Promise<DeviceRecord[]> => {
    const entries = await queryPlain(db.audit_log, { selector: { action: { $in: ACTIONS } } });
    const records: DeviceRecord[] = [];
    for (const entry of entries) {
      const found = recordOfEntry(entry);
      if ('record' in found) records.push(found.record);
    }
    return records;
  };

  /*
   * A device that is its own root and has enrolled no other device (a device that is joining,
   * or one upgraded from a version without enrolment) takes the root of the organisation that
   * enrolled it: the root whose chain of valid records vouches for this device's own key.
   */
  const adoptableRoot = (records: readonly DeviceRecord[]): TrustRoot | null => {
    const claims = records.filter((r) => isRootClaim(r) && r.deviceId !== deviceId).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    for (const claim of claims) {
      const root = { deviceId: claim.deviceId, publicKey: claim.publicKey };
      const mine = buildRegistry(records, root).device(deviceId);
      if (mine && mine.publicKey === keys.publicKey && !mine.revoked) return root;
    }
    return null;
  };

  // Bumped by every change, so a build that raced one is used once but not kept.
  let generation = 0;
  // The pinned root, after adopting the organisation's where this device may (see adoptableRoot).
  const currentRoot = async (records: readonly DeviceRecord[]): Promise<TrustRoot | null> => {
    const root = asRoot(await readMeta(ROOT_PIN));
    const mayAdopt = !root || (root.deviceId === deviceId && !records.some((r) => r.kind === 'enrol' && r.signer.deviceId === deviceId && r.deviceId !== deviceId));
    if (!mayAdopt) return root;
    const adopted = adoptableRoot(records);
    if (!adopted || (adopted.deviceId === root?.deviceId && adopted.publicKey === root.publicKey)) return root;
    await writeMeta(ROOT_PIN, adopted);
    log.info(`device: enrolled under the root of trust ${adopted.deviceId}`);
    return adopted;
  };
  const rebuild = async (): Promise<DeviceRegistry> => {
    const records = await readRecords();
    return buildRegistry(records, await currentRoot(records));
  };
  const registry = async (): Promise<DeviceRegistry> => {
    if (cached) return cached;
    const at = generation;
    const built = await rebuild();
    if (at === generation) cached = built;
    return built;
  };

  // Anyone may ask to join; the request grants nothing until an admin approves its code.
  if ((await db.audit_log.storageInstance.findDocumentsById([deviceRecordId({ kind: 'pairing', deviceId, signer: { deviceId, userId: '', userName: '' } })], true)).length === 0) {
    await file(
      signed({
        v: 1, kind: 'pairing', deviceId, publicKey: keys.publicKey, name, legacyUpToSeq, upToSeq: 0,
        at: now().toISOString(), signer: { deviceId, userId: '', userName: '' },
      }),
    );
  }

  const mustStand = (reg: DeviceRegistry) => {
    const me = reg.device(deviceId);
    if (!me || me.revoked) throw new AppError('forbidden', 'This device is not enrolled (or was revoked): approve and revoke devices on an enrolled device.');
    return me;
  };

  return {
    deviceId,
    publicKey: keys.publicKey,
    protection: keys.protection,
    pairingCode: pairingCode(deviceId, keys.publicKey),
    sign: keys.sign,
    registry,
    async enrolAsRoot(user) {
      const reg = await registry();
      const mine = reg.device(deviceId);
      if (mine?.root) return mine;
      if (reg.root) throw new AppError('conflict', `This device already trusts the root device ${reg.root.deviceId}.`);
      const record = signed({
        v: 1, kind: 'enrol', deviceId, publicKey: keys.publicKey, name, legacyUpToSeq, upToSeq: 0,
        at: now().toISOString(), signer: { deviceId, userId: user.id, userName: user.name },
      });
      await writeMeta(ROOT_PIN, { deviceId, publicKey: keys.publicKey });
      await file(record);
      changed();
      const standing = (await registry()).device(deviceId);
      if (!standing) throw new Error('device: the root claim just written does not verify');
      return standing;
    },
    async approve(code, user) {
      const normal = normalisePairingCode(code);
      if (!normal) throw new AppError('invalid_input', 'code: a pairing code is 10 letters and digits, as the new device shows it (e.g. 7K3QD-M9XRT).');
      const reg = await registry();
      mustStand(reg);
      const request = reg.pairingRequests().find((r) => pairingCode(r.deviceId, r.publicKey) === normal);
      if (!request) {
        throw new AppError('not_found', 'No device showing this code has reached this computer yet: check the code, and that both devices sync with the same server.');
      }
      const existing = reg.device(request.deviceId);
      if (existing) {
        if (existing.publicKey !== request.publicKey) throw new AppError('conflict', `Device ${request.deviceId} is enrolled with another key.`);
        return existing;
      }
      await file(
        signed({
          v: 1, kind: 'enrol', deviceId: request.deviceId, publicKey: request.publicKey, name: request.name,
          legacyUpToSeq: request.legacyUpToSeq, upToSeq: 0, at: now().toISOString(),
          signer: { deviceId, userId: user.id, userName: user.name },
        }),
      );
      changed();
      const standing = (await registry()).device(request.deviceId);
      if (!standing) throw new Error('device: the enrolment just written does not verify');
      return standing;
    },
    async revoke(target, user) {
      const reg = await registry();
      mustStand(reg);
      const standing = reg.device(target);
      if (!standing) throw new AppError('not_found', `Device ${target} is not enrolled here.`);
      if (standing.root) throw new AppError('forbidden', 'The root of trust cannot be revoked.');
      if (standing.revoked) return standing;
      // Its events held here still count; anything after them does not.
      await file(
        signed({
          v: 1, kind: 'revoke', deviceId: target, publicKey: standing.publicKey, name: standing.name,
          legacyUpToSeq: 0, upToSeq: await headSeq(target), at: now().toISOString(),
          signer: { deviceId, userId: user.id, userName: user.name },
        }),
      );
      changed();
      const after = (await registry()).device(target);
      if (!after?.revoked) throw new Error('device: the revocation just written does not verify');
      return after;
    },
    async offer(records) {
      if (records.length === 0) return false;
      const held = await readRecords();
      const before = asRoot(await readMeta(ROOT_PIN));
      const after = await currentRoot([...held, ...records]);
      if (after?.deviceId === before?.deviceId && after?.publicKey === before?.publicKey) return false;
      changed();
      return true;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      sub.unsubscribe();
      listeners.clear();
    },
  };
}
