import type { ProjectionDifference } from '../../shared/api/history-channels';
import { isWellFormedEvent } from '../../shared/consent/consent-fold';
import type { MangoQuerySelector, MangoQuerySortPart } from 'rxdb';
import type { ConsentEvent, ConsentStateRow } from '../../shared/domain';
import { counted, readDiscounts, type Discounts } from '../ledger/discounted-events';
import { byContactAndType, eventsForKey, rowFromFold, sameProjection, stateId } from '../ledger/projection';
import { scanStore } from '../ledger/store-scan';
import type { AppDatabase } from '../store/database';
import { queryPlain, withoutStorageFields } from '../store/plain-documents';
import { createTurnBudget, sortInTurns, type TurnBudget } from './turn-budget';

/*
 * The consent_state projection is what lists, filters and may-I-message read, so it is
 * checked like the ledger: every (contact, type) is folded again from its events and compared
 * with the stored row. A row edited in the file, a row whose events were deleted, a key with
 * no row: each is a difference. The caller repairs by rebuilding from the ledger (audited).
 * It runs on the main thread (it reads through the store, like the repair that may follow),
 * in turns of a few milliseconds (turn-budget.ts), so a million-event check never holds the
 * window: pages of SCAN_PAGE documents, key chunks of CHUNK (one paged range read each), the
 * keys' sort in turns, and a look at the clock between keys.
 */
const CHUNK = 200;
const SCAN_PAGE = 250;
const READ_PAGE = 250;
const byIndexOrder: MangoQuerySortPart<ConsentEvent>[] = [{ contactId: 'asc' }, { typeId: 'asc' }, { occurredAt: 'asc' }];

/*
 * The events of a chunk of keys (sorted), read as one walk over the contact range they span in
 * the (contactId, typeId, occurredAt) index, in pages with a turn between them: the list of
 * keys holds every key of the ledger, so the range holds no other key's events (but those of a
 * contact shared with the next chunk, which are left out). A key the walk did not find (a row
 * edited in the file so its data no longer says where it sits) is read on its own, as the
 * ledger's eventsForKeys does. Unlike that one, this read is not capped: a chunk's range is
 * never someone else's, and one query per key, awaited back to back, would hold the thread.
 */
async function eventsOfChunk(db: AppDatabase, chunk: readonly (readonly [string, string])[], discounts: Discounts, budget: TurnBudget): Promise<Map<string, ConsentEvent[]>> {
  const wanted = new Map<string, ConsentEvent[]>();
  for (const [contactId, typeId] of chunk) wanted.set(stateId(contactId, typeId), []);
  const contacts = chunk.map(([contactId]) => contactId).sort();
  const found = new Set<string>();
  const selector = { contactId: { $gte: contacts[0], $lte: contacts[contacts.length - 1] } } as MangoQuerySelector<ConsentEvent>;
  for (let skip = 0; ; skip += READ_PAGE) {
    const page = await queryPlain(db.consent_events, { selector, sort: byIndexOrder, skip, limit: READ_PAGE });
    for (const event of page) {
      const key = stateId(event.contactId, event.typeId);
      const list = wanted.get(key);
      if (list) {
        // As the ledger folds: a revoked device's events after its revocation's last seq do not count.
        if (counted(event, discounts)) list.push(event);
        found.add(key);
      }
    }
    if (page.length < READ_PAGE) break;
    await budget.next();
  }
  for (const [contactId, typeId] of chunk) {
    const key = stateId(contactId, typeId);
    if (found.has(key)) continue;
    wanted.set(key, await eventsForKey(db, contactId, typeId, discounts));
    if (budget.due()) await budget.next();
  }
  return wanted;
}

export type ProjectionComparison = { keys: number; differenceCount: number; differences: ProjectionDifference[] };

export async function compareProjection(db: AppDatabase, maxListed = 100, options: { chunk?: number; budget?: TurnBudget } = {}): Promise<ProjectionComparison> {
  const chunkSize = options.chunk ?? CHUNK;
  const budget = options.budget ?? createTurnBudget();
  const keys = new Map<string, [string, string]>();
  await scanStore(
    db.consent_events,
    (d) => {
      if (isWellFormedEvent(d)) keys.set(stateId(d.contactId, d.typeId), [d.contactId, d.typeId]);
    },
    undefined,
    SCAN_PAGE,
  );
  const stored = new Map<string, ConsentStateRow>();
  await scanStore(
    db.consent_state,
    (d) => {
      stored.set(d.id, withoutStorageFields(d));
    },
    undefined,
    SCAN_PAGE,
  );
  const differences: ProjectionDifference[] = [];
  let differenceCount = 0;
  const note = (d: ProjectionDifference) => {
    differenceCount += 1;
    if (differences.length < maxListed) differences.push(d);
  };
  const list = await sortInTurns([...keys.values()], byContactAndType, budget);
  const discounts = await readDiscounts(db);
  for (let i = 0; i < list.length; i += chunkSize) {
    if (budget.due()) await budget.next();
    const chunk = list.slice(i, i + chunkSize);
    const byKey = await eventsOfChunk(db, chunk, discounts, budget);
    for (const [contactId, typeId] of chunk) {
      const id = stateId(contactId, typeId);
      const { row } = rowFromFold(contactId, typeId, byKey.get(id) ?? [], '');
      const have = stored.get(id);
      if (!have || !sameProjection(have, row)) {
        note({ contactId, typeId, stored: have?.status ?? 'none', ledger: row.status, storedLastEventId: have?.lastEventId ?? '', ledgerLastEventId: row.lastEventId });
      }
      if (budget.due()) await budget.next();
    }
  }
  for (const [id, row] of stored) {
    if (budget.due()) await budget.next();
    if (!keys.has(id)) note({ contactId: row.contactId, typeId: row.typeId, stored: row.status, ledger: 'none', storedLastEventId: row.lastEventId, ledgerLastEventId: '' });
  }
  return { keys: keys.size, differenceCount, differences };
}
