import type { ProjectionDifference } from '../../shared/api/history-channels';
import { isWellFormedEvent } from '../../shared/consent/consent-fold';
import type { ConsentStateRow } from '../../shared/domain';
import { byContactAndType, eventsForKeys, rowFromFold, sameProjection, stateId } from '../ledger/projection';
import { scanStore } from '../ledger/store-scan';
import type { AppDatabase } from '../store/database';
import { withoutStorageFields } from '../store/plain-documents';

/*
 * The consent_state projection is what lists, filters and may-I-message read, so it is
 * checked like the ledger: every (contact, type) is folded again from its events and compared
 * with the stored row. A row edited in the file, a row whose events were deleted, a key with
 * no row: each is a difference. The caller repairs by rebuilding from the ledger (audited).
 */
const CHUNK = 1000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export type ProjectionComparison = { keys: number; differenceCount: number; differences: ProjectionDifference[] };

export async function compareProjection(db: AppDatabase, maxListed = 100): Promise<ProjectionComparison> {
  const keys = new Map<string, [string, string]>();
  await scanStore(db.consent_events, (d) => {
    if (isWellFormedEvent(d)) keys.set(stateId(d.contactId, d.typeId), [d.contactId, d.typeId]);
  });
  const stored = new Map<string, ConsentStateRow>();
  await scanStore(db.consent_state, (d) => {
    stored.set(d.id, withoutStorageFields(d));
  });
  const differences: ProjectionDifference[] = [];
  let differenceCount = 0;
  const note = (d: ProjectionDifference) => {
    differenceCount += 1;
    if (differences.length < maxListed) differences.push(d);
  };
  const list = [...keys.values()].sort(byContactAndType);
  for (let i = 0; i < list.length; i += CHUNK) {
    const chunk = list.slice(i, i + CHUNK);
    const byKey = await eventsForKeys(db, chunk);
    for (const [contactId, typeId] of chunk) {
      const id = stateId(contactId, typeId);
      const { row } = rowFromFold(contactId, typeId, byKey.get(id) ?? [], '');
      const have = stored.get(id);
      if (!have || !sameProjection(have, row)) {
        note({ contactId, typeId, stored: have?.status ?? 'none', ledger: row.status, storedLastEventId: have?.lastEventId ?? '', ledgerLastEventId: row.lastEventId });
      }
    }
    await yieldToEventLoop();
  }
  for (const [id, row] of stored) {
    if (!keys.has(id)) note({ contactId: row.contactId, typeId: row.typeId, stored: row.status, ledger: 'none', storedLastEventId: row.lastEventId, ledgerLastEventId: '' });
  }
  return { keys: keys.size, differenceCount, differences };
}
