import type { AppDatabase } from '../store/database';
import type { InboundMessageDoc } from '../store/schemas/operations-schemas';
import { queryPlain } from '../store/plain-documents';
import type { LifecycleSettingsStore } from './lifecycle-settings';

// Retention of inbound message bodies (SPEC 13): once a message is older than the configured
// number of days (default 90), its text is removed from the inbound-messages store: the
// body, and the text-bearing fields of the parsed payload kept beside it (body, button text
// and payload, preference detail, profile name). What stays is what the consent record needs:
// ids, sender number, times, kind and outcome, and `bodyRemovedAt`.
//
// Every device applies the same rule with its own clock; inbound messages replicate insert-
// only, so the copy on the sync server is not rewritten by this (see docs/data-rights.md).
// Consent events are hashed and are not touched: a keyword event's evidence keeps the
// keyword message's text, and review items keep the text of a message sent to review,
// until erasure lands.

const TEXT_FIELDS = ['body', 'buttonText', 'buttonPayload', 'preferenceDetail', 'profileName'] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export type RetentionResult = { cutoff: string; cleared: number };
export type InboundRetention = { sweep(): Promise<RetentionResult> };

const holdsText = (m: InboundMessageDoc) => m.body !== '' || TEXT_FIELDS.some((f) => f in m.payload);

export function createInboundRetention(deps: { db: AppDatabase; settings: LifecycleSettingsStore; now: () => Date }): InboundRetention {
  const { db, settings, now } = deps;
  return {
    async sweep() {
      const at = now();
      const days = (await settings.get()).inboundRetentionDays;
      const cutoff = new Date(at.getTime() - days * DAY_MS).toISOString();
      const old = await queryPlain<InboundMessageDoc>(db.inbound_messages, { selector: { receivedAt: { $lt: cutoff } } });
      const stale = old.filter(holdsText);
      if (stale.length === 0) return { cutoff, cleared: 0 };
      const cleared = stale.map((m) => {
        const payload: Record<string, unknown> = { ...m.payload, bodyRemovedAt: at.toISOString() };
        for (const f of TEXT_FIELDS) delete payload[f];
        return { ...m, body: '', payload };
      });
      await db.inbound_messages.bulkUpsert(cleared);
      return { cutoff, cleared: cleared.length };
    },
  };
}
