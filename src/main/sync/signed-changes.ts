import type { Role } from '../../shared/domain';
import { verifyDeviceSignature } from '../device/device-keys';
import { deviceSlot } from '../device/device-registry';
import { fallbackStamp, UNSTAMPED_FIELDS, type FieldClock } from './field-clock';
import { canonicalValue, sameValue } from './field-merge';
import { isCreation, roleAt, stampTime, type RoleRecord, type RoleVersion } from './role-records';

/*
 * Signed changes to the documents that decide who may do what: users (and their roles),
 * settings, rules and subscription types (issue 25). Chosen unit: the field, as the merge is
 * per field (field-merge.ts). Every field a device writes carries, beside its stamp in
 * `fieldClock`, a signature in `fieldSigs`: "<device id>|<author user id>|<Ed25519 signature>"
 * by that device over the canonical change (collection, document id, field, value, stamp,
 * author). A merge moves a field's signature with its value, so a merged document is still
 * made only of signed fields, whoever merged it. A per-version signature could not survive
 * two devices' merges without re-signing what neither author wrote.
 *
 * On arrival each field whose value differs from this device's copy must carry a signature
 * that verifies against the writing device's enrolled key, by an author whose role allowed the
 * change at the time of the change (its stamp), as the role history tells it (role-records.ts):
 * a demoted administrator's later change is refused, one made before the demotion stands.
 * Unsigned fields are accepted as legacy only in a document that is new here, and only where
 * an enrolled device's signed manifest lists them as held before signing (legacy-manifest.ts);
 * an unsigned change to a document this device holds is refused.
 */
export const SIGNED_COLLECTIONS = ['users', 'settings', 'rules', 'subscription_types'] as const;
export type SignedCollection = (typeof SIGNED_COLLECTIONS)[number];
export const isSignedCollection = (c: string): c is SignedCollection => (SIGNED_COLLECTIONS as readonly string[]).includes(c);

export type FieldSignatures = Record<string, string>;

const ELEVATED_ROLES: readonly string[] = ['admin', 'compliance_officer'] satisfies Role[];

export const signedFieldsOf = (doc: Record<string, unknown>, primaryKey: string) =>
  Object.keys(doc).filter((k) => k !== primaryKey && !UNSTAMPED_FIELDS.has(k));

export const stampOfField = (doc: Record<string, unknown>, field: string): string =>
  (doc.fieldClock as FieldClock | undefined)?.[field] ?? fallbackStamp(doc.createdAt ?? doc.updatedAt);

export function changeMessage(collection: string, docId: string, field: string, value: unknown, stamp: string, author: string): string {
  return `consent-desk/change/v1\n${JSON.stringify([collection, docId, field, canonicalValue(value), stamp, author])}`;
}

export const fieldSignature = (deviceId: string, author: string, signature: string) => `${deviceId}|${author}|${signature}`;

function parseFieldSignature(value: unknown): { deviceId: string; author: string; signature: string } | null {
  if (typeof value !== 'string' || value.length > 600) return null;
  const parts = value.split('|');
  if (parts.length !== 3) return null;
  const [deviceId = '', author = '', signature = ''] = parts;
  return deviceId && signature ? { deviceId, author, signature } : null;
}

// The public key a device signed with, if it was enrolled (and not revoked) at `at`; null otherwise.
export type DeviceKeyLookup = (deviceId: string, at: string) => Promise<string | null>;

export type LegacyLookup = (collection: SignedCollection, docId: string, fields: ReadonlyArray<readonly [string, unknown]>) => Promise<boolean>;
// What a new unsigned document not (yet) vouched for as legacy waits for.
export const LEGACY_WAIT = 'legacy-manifest';

// The role a profile held at time `at` (ISO), as far as this device knows its history ('' when unknown).
export type RoleLookup = (userId: string, at: string) => Promise<string>;

export type SignedChangeVerdict =
  | { ok: true; legacy: boolean }
  | { ok: false; reason: 'unsigned_change' | 'bad_signature' | 'unknown_device' | 'not_allowed'; detail: string; waitingFor?: string };

/*
 * Who may change what. Every change to these collections needs an administrator, except the
 * profile that creates itself as the first administrator at setup (its own author: the root
 * of trust is its device) and work no user started ('' author: first-run defaults), which
 * may not touch a profile's role.
 */
function allowed(collection: SignedCollection, field: string, author: string, authorRole: string, doc: Record<string, unknown>, docId: string, isNew: boolean): boolean {
  if (authorRole === 'admin') return true;
  // Self-created: a profile new here, an admin from the instant it was created (a later
  // self-promotion of a known profile is a change to a held document, and needs an admin).
  const fromCreation = stampOfField(doc, field).split('|')[0] === doc.createdAt;
  if (collection === 'users' && author === docId && doc.role === 'admin' && author !== '' && isNew && fromCreation) return true;
  if (author === '') return !(collection === 'users' && field === 'role');
  return false;
}

export async function checkSignedChange(o: {
  collection: SignedCollection;
  primaryKey: string;
  arriving: Record<string, unknown>;
  held: Record<string, unknown> | undefined;
  deviceKey: DeviceKeyLookup;
  roleOf: RoleLookup;
  // True when every one of these unsigned fields of a new document is listed as legacy by an enrolled device.
  vouchedLegacy: LegacyLookup;
}): Promise<SignedChangeVerdict> {
  const { collection, primaryKey, arriving, held } = o;
  const docId = String(arriving[primaryKey]);
  const fields = [...new Set([...signedFieldsOf(arriving, primaryKey), ...(held ? signedFieldsOf(held, primaryKey) : [])])].sort();
  const changed = fields.filter((f) => !held || !sameValue(arriving[f], held[f]));
  const sigs = arriving.fieldSigs && typeof arriving.fieldSigs === 'object' ? (arriving.fieldSigs as FieldSignatures) : undefined;
  const unsigned = changed.filter((f) => sigs?.[f] === undefined);
  if (unsigned.length > 0) {
    const elevated = collection === 'users' && unsigned.includes('role') && ELEVATED_ROLES.includes(String(arriving.role));
    const grants = elevated ? ` (grants the role ${String(arriving.role)})` : '';
    if (held) return { ok: false, reason: 'unsigned_change', detail: `unsigned change to ${unsigned.slice(0, 5).join(', ')}${grants}` };
    if (!(await o.vouchedLegacy(collection, docId, unsigned.map((f) => [f, arriving[f]])))) {
      // A device's manifest may still be on its way: checked again when one arrives.
      return {
        ok: false,
        reason: 'unsigned_change',
        detail: `new, with unsigned ${unsigned.slice(0, 5).join(', ')}${grants}, which no enrolled device lists as written before signing`,
        waitingFor: LEGACY_WAIT,
      };
    }
  }
  for (const field of changed.filter((f) => !unsigned.includes(f))) {
    const parsed = parseFieldSignature(sigs?.[field]);
    if (!parsed) return { ok: false, reason: 'bad_signature', detail: `the signature of ${field} is not well formed` };
    const stamp = stampOfField(arriving, field);
    const key = await o.deviceKey(parsed.deviceId, stamp.split('|')[0] ?? '');
    if (!key) {
      return { ok: false, reason: 'unknown_device', detail: `${field} was signed by device ${parsed.deviceId}, which is not enrolled here`, waitingFor: deviceSlot(parsed.deviceId) };
    }
    const message = changeMessage(collection, docId, field, arriving[field], stamp, parsed.author);
    if (!verifyDeviceSignature(key, message, parsed.signature)) {
      return { ok: false, reason: 'bad_signature', detail: `the signature of ${field} does not match its value (device ${parsed.deviceId})` };
    }
    const role = parsed.author === '' ? '' : await o.roleOf(parsed.author, stampTime(stamp));
    if (!allowed(collection, field, parsed.author, role, arriving, docId, held === undefined)) {
      // The author's history may still be arriving (their profile, a role record): checked again when it does.
      const waitingFor = parsed.author !== '' ? `user:${parsed.author}` : undefined;
      return { ok: false, reason: 'not_allowed', detail: `${field} was changed by ${parsed.author || 'no user'} (${role || 'no known role'} at ${stampTime(stamp)}), who may not change it`, ...(waitingFor ? { waitingFor } : {}) };
    }
  }
  return { ok: true, legacy: unsigned.length > 0 };
}

export type RoleRecordVerdict = { ok: true } | { ok: false; reason: 'bad_signature' | 'unknown_device' | 'not_allowed'; detail: string; waitingFor?: string };

/*
 * A role record (role-records.ts) is one signed version of a profile's role field: the same
 * signature as the field's, checked the same way. Its author must have been an administrator
 * just before its stamp, except a profile's first version making itself the first
 * administrator (the self-created profile at setup, as above).
 */
export async function checkRoleRecord(record: RoleRecord, deviceKey: DeviceKeyLookup, versions: readonly RoleVersion[]): Promise<RoleRecordVerdict> {
  const parsed = parseFieldSignature(record.sig);
  if (!parsed) return { ok: false, reason: 'bad_signature', detail: 'the signature of the role is not well formed' };
  const at = stampTime(record.stamp);
  const key = await deviceKey(parsed.deviceId, at);
  if (!key) return { ok: false, reason: 'unknown_device', detail: `the role was signed by device ${parsed.deviceId}, which is not enrolled here`, waitingFor: deviceSlot(parsed.deviceId) };
  if (!verifyDeviceSignature(key, changeMessage('users', record.userId, 'role', record.role, record.stamp, parsed.author), parsed.signature)) {
    return { ok: false, reason: 'bad_signature', detail: `the signature of the role does not match (device ${parsed.deviceId})` };
  }
  const selfCreated = parsed.author === record.userId && record.role === 'admin' && isCreation(versions, record.userId, at);
  const role = roleAt(versions, parsed.author, at);
  if (selfCreated || role === 'admin') return { ok: true };
  return {
    ok: false,
    reason: 'not_allowed',
    detail: `the role ${record.role} of ${record.userId} was given by ${parsed.author || 'no user'} (${role || 'no known role'} at ${at}), who may not give roles`,
    ...(parsed.author ? { waitingFor: `user:${parsed.author}` } : {}),
  };
}
