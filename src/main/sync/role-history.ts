import type { RxCollection } from 'rxdb';
import type { Logger } from '../logger';
import type { AppDatabase } from '../store/database';
import { insertMissing } from '../store/insert-documents';
import { queryPlain } from '../store/plain-documents';
import { ROLE_RECORD_ACTION, isRole, roleRecordEntry, roleRecordOfEntry, stampTime, versionOfRecord, type RoleRecord, type RoleVersion } from './role-records';
import { stampOfField, type FieldSignatures } from './signed-changes';

/*
 * The role versions this device holds (role-records.ts): the role records in its audit log
 * (each passed its check on arrival, or was filed here) and the current role of every profile
 * it holds (which passed the checks of signed changes, or is legacy from before signing).
 */
export async function heldRoleVersions(db: AppDatabase): Promise<RoleVersion[]> {
  const versions: RoleVersion[] = [];
  for (const entry of await queryPlain(db.audit_log, { selector: { action: ROLE_RECORD_ACTION } })) {
    const found = roleRecordOfEntry(entry);
    if ('record' in found) versions.push(versionOfRecord(found.record));
  }
  for (const user of await queryPlain(db.users, {})) versions.push(...roleVersionOfUser(user as unknown as Record<string, unknown>));
  return versions;
}

export function roleVersionOfUser(user: Record<string, unknown>): RoleVersion[] {
  if (typeof user.id !== 'string' || !isRole(user.role)) return [];
  const stamp = stampOfField(user, 'role');
  return [{ userId: user.id, role: user.role, at: stampTime(stamp), stamp, ...(typeof user.createdAt === 'string' ? { createdAt: user.createdAt } : {}) }];
}

// The signed version a profile document holds now, as a role record (none when its role is unsigned).
function recordOfUser(user: Record<string, unknown>): RoleRecord | null {
  const sig = (user.fieldSigs as FieldSignatures | undefined)?.role;
  if (typeof user.id !== 'string' || !isRole(user.role) || typeof sig !== 'string') return null;
  return { userId: user.id, role: user.role, stamp: stampOfField(user, 'role'), sig };
}

/*
 * Files every signed role version this device writes or holds as a role record: after each
 * local insert or save of a profile, and once at start for the profiles held (which also
 * covers a save whose record a crash prevented, and versions that arrived by sync). Filing is
 * idempotent: a record's id is fixed by the profile and the stamp.
 */
export function installRoleRecords(db: AppDatabase, deviceId: string, log: Logger): Promise<void> {
  const users = db.users as unknown as RxCollection<Record<string, unknown>>;
  const file = async (docs: ReadonlyArray<Record<string, unknown>>) => {
    const entries = docs.flatMap((d) => {
      const record = recordOfUser(d);
      return record ? [roleRecordEntry(record, deviceId)] : [];
    });
    if (entries.length > 0) await insertMissing(db.audit_log, entries);
  };
  const after = (data: Record<string, unknown>) => file([data]);
  users.postInsert(after, false);
  users.postSave(after, false);
  return queryPlain(db.users, {})
    .then((held) => file(held as unknown as Array<Record<string, unknown>>))
    .catch((e: unknown) => log.error('sync: filing the held profiles\' role records failed', e));
}
