import { z } from 'zod';
import { ROLES, type Role } from '../../shared/domain';
import type { AuditLogDoc } from '../store/schemas/operations-schemas';

/*
 * The history of who held which role, as a signed change can be judged against it (issue 25:
 * a change counts only if its author was an administrator AT THE TIME of the change).
 *
 * The sound source: the role field of a users document carries, per version, a stamp
 * ("<time>|<device>") and a signature by the writing device over (users, id, role, value,
 * stamp, author) (signed-changes.ts). A users document only holds its newest version, and the
 * server keeps no older bodies, so each signed version is also filed as a role record in the
 * audit log (shared, insert-only, replicated, ids fixed by content). A record is exactly a
 * version's value, stamp and field signature: it proves itself with the same check as the
 * field (the signing device enrolled at the stamp, the author an administrator just before
 * it), so a server can drop records but not forge one. Audit entries that are not signed
 * (users.update …) are notes, never a source of roles.
 *
 * A role holds from its stamp's time until the next version's. The times are claimed by the
 * signing device (as every stamp is): a device that is still enrolled can date a change back.
 */
export const ROLE_RECORD_ACTION = 'user.role_signed';

export const roleRecordSchema = z.strictObject({
  userId: z.string().min(1).max(64),
  role: z.enum(ROLES),
  stamp: z.string().max(100),
  sig: z.string().max(600),
});
export type RoleRecord = z.infer<typeof roleRecordSchema>;

// One version of a profile's role: held from `at` (the stamp's time) on. createdAt: set on the
// version read from a profile document this device holds (when the profile was created).
export type RoleVersion = { userId: string; role: string; at: string; stamp: string; createdAt?: string };

export const stampTime = (stamp: string): string => stamp.split('|')[0] ?? '';

export const roleRecordId = (userId: string, stamp: string) => `user-role:${userId}:${stamp}`;

export const isRoleRecordAction = (action: unknown): boolean => action === ROLE_RECORD_ACTION;

export function roleRecordOfEntry(entry: { id?: unknown; action?: unknown; details?: unknown }): { record: RoleRecord } | { problem: string } {
  const parsed = roleRecordSchema.safeParse((entry.details as { role?: unknown } | undefined)?.role);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { problem: first ? `role.${first.path.join('.')}: ${first.message}` : 'not a role record' };
  }
  if (entry.id !== roleRecordId(parsed.data.userId, parsed.data.stamp)) return { problem: `a role record of ${parsed.data.userId} filed under another id` };
  return { record: parsed.data };
}

export const versionOfRecord = (r: RoleRecord): RoleVersion => ({ userId: r.userId, role: r.role, at: stampTime(r.stamp), stamp: r.stamp });

/*
 * The role a profile held at `at` (an ISO time): the newest version dated strictly before it
 * ('' when none is known). Strictly: a version cannot vouch for a change made in the same
 * instant, or a profile could promote itself with the change it makes.
 */
export function roleAt(versions: readonly RoleVersion[], userId: string, at: string): string {
  let best: RoleVersion | undefined;
  for (const v of versions) {
    if (v.userId !== userId || !(v.at < at)) continue;
    if (!best || v.at > best.at || (v.at === best.at && v.stamp > best.stamp)) best = v;
  }
  return best?.role ?? '';
}

// True when the version at `at` is the profile's creation: none is dated before it, and the
// profile held here was created at that instant (a signed claim dated before a profile existed
// is not its creation). Unknown until the profile itself has arrived.
export const isCreation = (versions: readonly RoleVersion[], userId: string, at: string): boolean =>
  !versions.some((v) => v.userId === userId && v.at < at) && versions.some((v) => v.userId === userId && v.createdAt === at);

// The audit entry that files one signed version of a profile's role, filed by device `filedBy`.
// Its actor is the author's id; the record carries no name (only what is signed counts).
export function roleRecordEntry(record: RoleRecord, filedBy: string): AuditLogDoc {
  const author = record.sig.split('|')[1] ?? '';
  return {
    id: roleRecordId(record.userId, record.stamp),
    action: ROLE_RECORD_ACTION,
    actorId: author || 'system',
    actorName: 'Consent Desk',
    details: { role: record },
    at: stampTime(record.stamp),
    deviceId: filedBy,
  };
}

export const isRole = (v: unknown): v is Role => (ROLES as readonly unknown[]).includes(v);
