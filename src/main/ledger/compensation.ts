import { performance } from 'node:perf_hooks';
import type { ConsentEvent, ConsentStateRow, ConsentStatus, LegalBasis } from '../../shared/domain';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { AppDatabase } from '../store/database';
import { queryPlain } from '../store/plain-documents';
import type { ConsentChange, ConsentLedger } from './ledger-service';
import { stateId } from './projection';

// Undo by compensation, never by deletion (bulk actions, imports): each undone event's
// contact and type go back to the status that event replaced, with the legal basis it had
// then, but only where the event is still the latest for them. A later change (the
// contact's own STOP, another user's edit) wins and is left alone.
//
// The undone events are read and compensated a page at a time, in the order of their ids:
// an import of 100,000 rows is never held in memory at once, and the main process gets a
// turn between pages. A run the app was killed in runs again to the same result (see planPage).

// Pages start small and follow how long the last one took (reading, sealing and writing it),
// aimed at PAGE_MS, so a page never holds the main process for long, on a busy machine
// either. Lower than the import's 40 ms slices: an undo page also reads its events.
const PAGE_MS = 30;
const MIN_PAGE = 50;
const MAX_PAGE = 1000;
const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

export type Restore = { status: ConsentStatus; legalBasis: LegalBasis | '' };
export type ChangeFor = (event: ConsentEvent, restore: Restore) => ConsentChange & { id: string };
// Up to `sample` of the contacts whose status changed again since (left alone), by name.
export type UndoOutcome = { restored: number; skipped: number; skippedContacts: Array<{ contactId: string; name: string }> };

// The events whose ids start with `prefix` (a bulk action's or an import's share one), compensated.
export async function undoByCompensation(
  deps: { db: AppDatabase; ledger: ConsentLedger; directory: ContactDirectory },
  prefix: string,
  changeFor: ChangeFor,
  options: { sample: number; onProgress?: (done: number) => void },
): Promise<UndoOutcome> {
  const { db, ledger, directory } = deps;
  // Ids are compared by code unit: the prefix with its last character bumped ends the range.
  const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  const outcome: UndoOutcome = { restored: 0, skipped: 0, skippedContacts: [] };
  let after = '';
  let pageSize = 250;
  for (let done = 0; ; ) {
    const started = performance.now();
    const id = after ? { $gt: after, $lt: end } : { $gte: prefix, $lt: end };
    // The primary key named: RxDB's planner would otherwise pick another index and read the
    // whole ledger for every page (1.9 s a page at 100,000 events).
    const page = await queryPlain(db.consent_events, { selector: { id }, sort: [{ id: 'asc' }], limit: pageSize, index: ['_deleted', 'id'] });
    if (page.length === 0) break;
    const { changes, superseded } = await planPage(db, page, changeFor);
    if (changes.length) await ledger.append(changes);
    outcome.restored += changes.length;
    outcome.skipped += superseded.length;
    for (const e of superseded.slice(0, Math.max(0, options.sample - outcome.skippedContacts.length))) {
      outcome.skippedContacts.push({ contactId: e.contactId, name: directory.get(e.contactId)?.name ?? '' });
    }
    done += page.length;
    options.onProgress?.(done);
    if (page.length < pageSize) break;
    after = page[page.length - 1]?.id ?? end;
    const fit = Math.floor(page.length * (PAGE_MS / Math.max(performance.now() - started, 1)));
    pageSize = Math.max(MIN_PAGE, Math.min(MAX_PAGE, fit, pageSize * 2));
    await yieldNow();
  }
  return outcome;
}

async function planPage(db: AppDatabase, undone: readonly ConsentEvent[], changeFor: ChangeFor) {
  // The event before is read only for the legal basis a restored subscription takes back.
  const priorIds = undone.filter((e) => e.previousStatus === 'subscribed' && e.basedOn).map((e) => e.basedOn);
  const prior = new Map<string, ConsentEvent>();
  for (const d of await db.consent_events.storageInstance.findDocumentsById(priorIds, false)) prior.set(d.id, d);
  const states = new Map<string, ConsentStateRow>();
  const keys = undone.map((e) => stateId(e.contactId, e.typeId));
  for (const d of await db.consent_state.storageInstance.findDocumentsById(keys, false)) states.set(d.id, d);
  const changes: ConsentChange[] = [];
  const superseded: ConsentEvent[] = [];
  for (const e of undone) {
    const before = e.basedOn ? prior.get(e.basedOn) : undefined;
    const legalBasis = e.previousStatus === 'subscribed' ? (before?.legalBasis ?? '') : '';
    const change = changeFor(e, { status: e.previousStatus, legalBasis });
    // Already compensated by an undo that stopped before it was noted (the app was killed):
    // planned again, so the count is right; the ledger records an id only once.
    const last = states.get(stateId(e.contactId, e.typeId))?.lastEventId;
    if (last === e.id || last === change.id) changes.push(change);
    else superseded.push(e);
  }
  return { changes, superseded };
}
