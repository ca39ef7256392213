import { ulid } from 'ulid';
import type { User } from '../../shared/domain';
import type { Logger } from '../logger';
import type { AppDatabase } from '../store/database';
import { storeAppError } from '../store/store-errors';
import type { AuditLogDoc } from '../store/schemas/operations-schemas';

// Who did what that is not itself a consent change (consent changes are the ledger):
// imports, bulk actions, rule edits, settings and sync changes, exports. Entries are
// only ever added. Callers pass the acting user, or null for the app itself.
// Actions are dotted names, "<area>.<verb>"; areas may add verbs (import.finished,
// bulk.undo, ...). The list names the ones the app writes today, for the filter.
export const AUDIT_ACTIONS = [
  'settings.set',
  'keywords.set',
  'keywords.restore_defaults',
  'types.create',
  'types.update',
  'users.create',
  'users.update',
  'users.secret_set',
  'users.secret_reset',
  'session.sign_in',
  'session.sign_in_failed',
  'sync.configure',
  'import.run',
  'import.finished',
  'import.discarded',
  'import.undone',
  // Written before a bulk change's first slice, so one killed midway is still listed.
  'bulk.begin',
  'bulk.apply',
  'bulk.undo',
  'rules.change',
  'export.history',
  'export.history_csv',
  'export.history_jsonl',
  'export.proof_json',
  'export.proof_pdf',
  'export.access_json',
  'export.access_pdf',
  'export.contacts',
  'integrity.check',
  'integrity.projection_repaired',
  // Written by sync/revocation-refold.ts: a revoked device's later events no longer counted.
  'integrity.revocation_refolded',
  // Written by kept-links.ts, not through record(): a chain link whose copy the server does not hold.
  'ledger.link_kept',
  // Written by device/device-trust.ts, not through record(): signed enrolment records.
  'device.enrolled',
  'device.revoked',
  'device.pairing_requested',
  // Written by sync/chain-head-publisher.ts: this device's signed chain head (device/chain-heads.ts).
  'device.chain_head',
  // Written by sync/role-history.ts: one signed version of a profile's role (the role history).
  'user.role_signed',
  // Written by sync/legacy-manifest.ts: the unsigned fields a device held when it began to sign.
  'device.legacy_documents',
  'review.resolve',
  'messages.ingest_file',
  'messages.reprocess_kept',
  // A refused may-I-message check, when recording them is switched on (lifecycle/refused-checks.ts).
  'gate.refused',
  'lifecycle.settings',
  'lifecycle.retention',
  // The erasure record of a contact (GDPR Art. 17): every device that holds it erases that contact (src/main/erasure).
  'contact.erased',
] as const;
// Imports record their end state too (import.finished, import.cancelled, ...).
export type AuditAction = (typeof AUDIT_ACTIONS)[number] | `import.${string}`;

export type AuditActor = Pick<User, 'id' | 'name'> | null;
export type AuditDetails = Record<string, unknown>;

export type AuditEntry = AuditLogDoc;
export type AuditPage = { entries: AuditEntry[]; total: number; offset: number };

export type AuditLog = {
  record(action: AuditAction, actor: AuditActor, details?: AuditDetails): Promise<AuditEntry>;
  /*
   * The entry of a call that only reads (a sign-in, an export, an integrity check): on a full
   * disk, or after a read-only start, the store refuses it, and the read still goes ahead:
   * the refusal is logged and 'not_recorded' returned, so the caller can say so. Any other
   * failure is thrown as by record().
   */
  noteRead(action: AuditAction, actor: AuditActor, details?: AuditDetails): Promise<'recorded' | 'not_recorded'>;
  list(q: { action: string; offset: number; limit: number }): Promise<AuditPage>;
  // Newest entries whose action starts with a prefix ('bulk.', 'import.').
  recent(actionPrefix: string, limit: number): Promise<AuditEntry[]>;
};

// Details are stored as given but bounded: an audit row is a note, not a payload.
const MAX_DETAIL_CHARS = 4000;
const bounded = (details: AuditDetails): AuditDetails => {
  const text = JSON.stringify(details);
  return text.length <= MAX_DETAIL_CHARS ? details : { truncated: true, preview: text.slice(0, MAX_DETAIL_CHARS) };
};

export function createAuditLog(deps: { db: AppDatabase; deviceId: string; now: () => Date; log?: Logger }): AuditLog {
  const { db, deviceId, now } = deps;
  return {
    async noteRead(action, actor, details = {}) {
      try {
        await this.record(action, actor, details);
        return 'recorded';
      } catch (error) {
        const problem = storeAppError(error);
        if (problem?.code !== 'disk_full' && problem?.code !== 'read_only') throw error;
        deps.log?.warn(`audit: the ${action} entry was not written (${problem.code})`);
        return 'not_recorded';
      }
    },
    async record(action, actor, details = {}) {
      const entry: AuditLogDoc = {
        id: ulid(),
        action,
        actorId: actor?.id ?? 'system',
        actorName: actor?.name ?? 'Consent Desk',
        details: bounded(details),
        at: now().toISOString(),
        deviceId,
      };
      await db.audit_log.insert(entry);
      return entry;
    },
    async list(q) {
      const selector = q.action ? { action: q.action } : {};
      const [docs, total] = await Promise.all([
        db.audit_log.find({ selector, sort: [{ at: 'desc' }, { id: 'desc' }], skip: q.offset, limit: q.limit }).exec(),
        db.audit_log.count({ selector }).exec(),
      ]);
      return { entries: docs.map((d) => d.toMutableJSON() as AuditLogDoc), total, offset: q.offset };
    },
    async recent(actionPrefix, limit) {
      const prefix = actionPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const docs = await db.audit_log.find({ selector: { action: { $regex: `^${prefix}` } }, sort: [{ at: 'desc' }, { id: 'desc' }], limit }).exec();
      return docs.map((d) => d.toMutableJSON() as AuditLogDoc);
    },
  };
}
