import type { ReviewDecision, ReviewItemView, ReviewListQuery, ReviewPage } from '../../shared/api/review-channels';
import type { ConsentEvent, User } from '../../shared/domain';
import { AppError } from '../app-error';
import type { AuditLog } from '../audit/audit-log';
import { actorOf } from '../consent/consent-service';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { EventHub } from '../events/event-hub';
import type { ConsentChange, ConsentLedger } from '../ledger/ledger-service';
import type { AppDatabase } from '../store/database';
import type { ReviewItemDoc } from '../store/schemas/operations-schemas';
import type { TypeService } from '../subscription-types/type-service';

// The people side of the review queue (review-queue.ts raises the items): list them
// with their evidence, and resolve one. Resolving can only ever move toward opt-out:
// confirming a stop request unsubscribes; everything else records no consent event.
export type ReviewDesk = {
  list(q: ReviewListQuery): Promise<ReviewPage>;
  resolve(input: { id: string; decision: ReviewDecision; reason: string }, reviewer: User): Promise<ReviewItemView>;
};

export type StoredResolution = { decision: ReviewDecision; reason: string; eventIds: string[] };

const parseResolution = (text: string): StoredResolution | null => {
  if (!text) return null;
  try {
    return JSON.parse(text) as StoredResolution;
  } catch {
    return { decision: 'dismiss', reason: text, eventIds: [] };
  }
};

export function createReviewDesk(deps: {
  db: AppDatabase;
  ledger: ConsentLedger;
  types: TypeService;
  directory: ContactDirectory;
  events: EventHub;
  audit: AuditLog;
  now: () => Date;
}): ReviewDesk {
  const { db, ledger, types, directory, events, audit, now } = deps;

  const view = async (items: ReviewItemDoc[]): Promise<ReviewItemView[]> => {
    const eventIds = items.flatMap((i) => [i.evidence.overriddenEventId, i.evidence.protectedOptOutId]).filter((x): x is string => typeof x === 'string');
    const docs = eventIds.length ? await db.consent_events.findByIds(eventIds).exec() : new Map();
    const typeList = await types.list(true);
    const typeNames = new Map(typeList.map((t) => [t.id, t.name]));
    return items.map((i) => {
      const linked = [i.evidence.overriddenEventId, i.evidence.protectedOptOutId]
        .map((id) => (typeof id === 'string' ? docs.get(id) : undefined))
        .filter((d): d is NonNullable<typeof d> => !!d)
        .map((d) => d.toMutableJSON() as ConsentEvent);
      return {
        ...i,
        contactName: directory.get(i.contactId)?.name ?? '',
        typeName: typeNames.get(i.typeId) ?? i.typeId,
        events: linked,
        resolutionDetail: parseResolution(i.resolution),
      };
    });
  };

  return {
    async list(q) {
      const selector = {
        ...(q.state === 'all' ? {} : { state: q.state }),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.contactId ? { contactId: q.contactId } : {}),
      };
      const [docs, total, open] = await Promise.all([
        db.review_items.find({ selector, sort: [{ createdAt: 'desc' }, { id: 'desc' }], skip: q.offset, limit: q.limit }).exec(),
        db.review_items.count({ selector }).exec(),
        db.review_items.count({ selector: { state: 'open' } }).exec(),
      ]);
      return { items: await view(docs.map((d) => d.toMutableJSON() as ReviewItemDoc)), total, open, offset: q.offset };
    },

    async resolve(input, reviewer) {
      const doc = await db.review_items.findOne(input.id).exec();
      if (!doc) throw new AppError('not_found', 'No such review item.');
      const item = doc.toMutableJSON() as ReviewItemDoc;
      if (item.state !== 'open') throw new AppError('conflict', 'This item was already resolved.');
      const reason = input.reason.trim();
      if (input.decision === 'dismiss' && !reason) throw new AppError('explanation_required', 'Say why the item is dismissed.');
      if (input.decision === 'confirm_stop' && item.kind !== 'stop_request') {
        throw new AppError('invalid_input', 'Only a stop request can be confirmed as an opt-out.');
      }
      if (input.decision === 'keep_opt_out' && item.kind !== 'concurrent_change') {
        throw new AppError('invalid_input', 'Only a concurrent change can be closed by keeping the opt-out.');
      }

      let eventIds: string[] = [];
      if (input.decision === 'confirm_stop') {
        // As a STOP keyword would: every type of the business number that received it.
        const type = await types.get(item.typeId);
        const all = await types.list(true);
        const targets = type ? all.filter((t) => t.businessNumber === type.businessNumber && !t.archived) : [];
        if (targets.length === 0) throw new AppError('not_found', 'The subscription type of this item no longer exists.');
        const changes: ConsentChange[] = [];
        for (const t of targets) {
          const state = await ledger.state(item.contactId, t.id);
          if (state?.status === 'unsubscribed') continue;
          changes.push({
            id: `review:${item.id}:${t.id}`,
            contactId: item.contactId,
            typeId: t.id,
            status: 'unsubscribed',
            source: 'review',
            legalBasis: '',
            explanation: reason || `Stop request confirmed in the review queue.`,
            actor: actorOf(reviewer),
            evidence: { reviewItemId: item.id, ...(typeof item.evidence.messageId === 'string' ? { messageId: item.evidence.messageId } : {}) },
          });
        }
        const appended = await ledger.append(changes);
        eventIds = [...appended.inserted.map((e) => e.id), ...appended.duplicates];
      }

      const resolution: StoredResolution = { decision: input.decision, reason, eventIds };
      await doc.incrementalPatch({
        state: 'resolved',
        resolvedAt: now().toISOString(),
        resolvedBy: reviewer.id,
        resolution: JSON.stringify(resolution),
      });
      await audit.record('review.resolve', reviewer, { reviewItemId: item.id, kind: item.kind, decision: input.decision, eventIds });
      events.emit({ type: 'review:changed' });
      const fresh = await db.review_items.findOne(item.id).exec();
      const [result] = await view([fresh ? (fresh.toMutableJSON() as ReviewItemDoc) : item]);
      if (!result) throw new AppError('internal', 'The resolved item could not be read back.');
      return result;
    },
  };
}
