import type { ConsentEvent, ConsentStateRow, ConsentStatus, LegalBasis } from '../../shared/domain';
import type { AppDatabase } from '../store/database';
import type { ConsentChange } from './ledger-service';
import { stateId } from './projection';

// Undo by compensation, never by deletion (bulk actions, imports): each undone event's
// contact and type go back to the status that event replaced, with the legal basis it had
// then, but only where the event is still the latest for them. A later change (the
// contact's own STOP, another user's edit) wins and is left alone.

const SLICE = 1000;

// The ledger's events whose ids start with `prefix`: a bulk action's or an import's share one.
export async function eventsWithIdPrefix(db: AppDatabase, prefix: string): Promise<ConsentEvent[]> {
  // Ids are compared by code unit: the prefix with its last character bumped ends the range.
  const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  const docs = await db.consent_events.find({ selector: { id: { $gte: prefix, $lt: end } } }).exec();
  return docs.map((d) => d.toMutableJSON() as ConsentEvent);
}

export type Restore = { status: ConsentStatus; legalBasis: LegalBasis | '' };

export async function planCompensation(
  db: AppDatabase,
  undone: readonly ConsentEvent[],
  changeFor: (event: ConsentEvent, restore: Restore) => ConsentChange,
): Promise<{ changes: ConsentChange[]; superseded: ConsentEvent[] }> {
  const prior = await db.consent_events.findByIds(undone.map((e) => e.basedOn).filter(Boolean)).exec();
  const states = new Map<string, ConsentStateRow>();
  for (let i = 0; i < undone.length; i += SLICE) {
    const keys = undone.slice(i, i + SLICE).map((e) => stateId(e.contactId, e.typeId));
    for (const [id, doc] of await db.consent_state.findByIds(keys).exec()) states.set(id, doc.toMutableJSON() as ConsentStateRow);
  }
  const changes: ConsentChange[] = [];
  const superseded: ConsentEvent[] = [];
  for (const e of undone) {
    const before = e.basedOn ? prior.get(e.basedOn) : undefined;
    const legalBasis = e.previousStatus === 'subscribed' ? (before?.legalBasis ?? '') : '';
    const change = changeFor(e, { status: e.previousStatus, legalBasis });
    // Already compensated by an undo that stopped before it was noted (the app was killed):
    // planned again, so the count is right; the ledger records an id only once.
    const last = states.get(stateId(e.contactId, e.typeId))?.lastEventId;
    if (last === e.id || (change.id !== undefined && last === change.id)) changes.push(change);
    else superseded.push(e);
  }
  return { changes, superseded };
}
