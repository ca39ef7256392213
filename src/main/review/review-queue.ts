import type { FoldConflict } from '../../shared/consent/consent-fold';
import type { EventHub } from '../events/event-hub';
import type { AppDatabase } from '../store/database';
import { insertDocuments } from '../store/insert-documents';
import type { ReviewItemDoc } from '../store/schemas/operations-schemas';

// Items a person must decide: messages that ask to stop without being a keyword, and
// concurrent changes where a contact's own opt-out beat an unseen resubscribe.
// Ids are deterministic so two devices raising the same item make one.
// 'unmatched_message': a kept inbound message no contact could be found or made for (invalid wa_id).
export const REVIEW_KINDS = ['stop_request', 'concurrent_change', 'unmatched_message'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

export type NewReviewItem = {
  id: string;
  kind: ReviewKind;
  contactId: string;
  typeId: string;
  summary: string;
  evidence: Record<string, unknown>;
};

export type ReviewQueue = {
  add(items: readonly NewReviewItem[]): Promise<number>;
  addConflicts(conflicts: readonly FoldConflict[]): Promise<number>;
};

export function createReviewQueue(db: AppDatabase, events: EventHub, now: () => Date): ReviewQueue {
  const add = async (items: readonly NewReviewItem[]) => {
    if (items.length === 0) return 0;
    const existing = await db.review_items.findByIds(items.map((i) => i.id)).exec();
    const fresh: ReviewItemDoc[] = items
      .filter((i) => !existing.has(i.id))
      .map((i) => ({ ...i, state: 'open', createdAt: now().toISOString(), resolvedAt: '', resolvedBy: '', resolution: '' }));
    if (fresh.length === 0) return 0;
    const result = await insertDocuments(db.review_items, fresh);
    const added = fresh.length - result.error.length;
    if (added) events.emit({ type: 'review:changed' });
    return added;
  };
  return {
    add,
    async addConflicts(conflicts) {
      const ids = conflicts.flatMap((c) => [c.overriddenEventId, c.protectedOptOutId]);
      const docs = await db.consent_events.findByIds(ids).exec();
      const items: NewReviewItem[] = [];
      for (const c of conflicts) {
        const overridden = docs.get(c.overriddenEventId);
        const optOut = docs.get(c.protectedOptOutId);
        if (!overridden || !optOut) continue;
        items.push({
          id: `conflict:${c.overriddenEventId}`,
          kind: 'concurrent_change',
          contactId: overridden.contactId,
          typeId: overridden.typeId,
          summary: `${overridden.actor.name} set "${overridden.status}" without having seen the contact's own opt-out of ${optOut.occurredAt}; the opt-out stands.`,
          evidence: { overriddenEventId: c.overriddenEventId, protectedOptOutId: c.protectedOptOutId },
        });
      }
      return add(items);
    },
  };
}
