import type { RefusedCheckCounts } from '../../shared/api/lifecycle-channels';
import type { MayMessageAnswer, MessageCategory } from '../../shared/consent/may-message';
import type { User } from '../../shared/domain';
import type { AuditLog } from '../audit/audit-log';
import type { AppDatabase } from '../store/database';
import type { AuditLogDoc } from '../store/schemas/operations-schemas';
import { queryPlain } from '../store/plain-documents';
import type { LifecycleSettingsStore } from './lifecycle-settings';

// Refused may-I-message checks (SPEC 13), recorded when the setting is on, as proof that the
// gate worked: each is an audit entry (insert-only, replicated), so attempts can be counted
// on any device. Only checks asked through the API count: the contact page's own display of
// the answer is not an attempt to send.

export const REFUSED_CHECK_ACTION = 'gate.refused';

export type RefusedChecks = {
  note(input: { contactId: string; typeId: string; category: MessageCategory }, answer: MayMessageAnswer, user: User | null): Promise<boolean>;
  count(range: { from: string; to: string }): Promise<RefusedCheckCounts>;
};

export function createRefusedChecks(deps: { db: AppDatabase; audit: AuditLog; settings: LifecycleSettingsStore }): RefusedChecks {
  const { db, audit, settings } = deps;
  return {
    async note(input, answer, user) {
      if (answer.allowed || !(await settings.get()).recordRefusedChecks) return false;
      await audit.record(REFUSED_CHECK_ACTION, user, { contactId: input.contactId, typeId: input.typeId, category: input.category, reasonCode: answer.reasonCode, reason: answer.reason });
      return true;
    },
    async count({ from, to }) {
      const at: Record<string, string> = {};
      if (from) at.$gte = new Date(from).toISOString();
      if (to) at.$lt = new Date(to).toISOString();
      const selector = Object.keys(at).length ? { action: REFUSED_CHECK_ACTION, at } : { action: REFUSED_CHECK_ACTION };
      const entries = await queryPlain<AuditLogDoc>(db.audit_log, { selector });
      const byReason: Record<string, number> = {};
      for (const e of entries) {
        const reason = typeof e.details.reasonCode === 'string' ? e.details.reasonCode : 'unknown';
        byReason[reason] = (byReason[reason] ?? 0) + 1;
      }
      return { total: entries.length, byReason, recording: (await settings.get()).recordRefusedChecks };
    },
  };
}
