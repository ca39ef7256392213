import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsentChange } from '../../../src/main/ledger/ledger-service';
import { eventsForKey, rowFromFold, stateId } from '../../../src/main/ledger/projection';
import { withoutStorageFields } from '../../../src/main/store/plain-documents';
import type { ConsentStatus } from '../../../src/shared/domain';
import { openTestApp, type TestApp } from '../../helpers/temp-app';

// ledger.append(changes, { newContacts }): an import says which contacts it has just created,
// and the ledger skips looking up their status rows. The projection must come out exactly as
// a full fold of each key's events says, also when the claim is wrong (a row exists).

const change = (contactId: string, status: ConsentStatus, minute: number, id?: string): ConsentChange => ({
  ...(id ? { id } : {}),
  contactId,
  typeId: 'mkt',
  status,
  source: 'csv_import',
  legalBasis: status === 'subscribed' ? 'consent_with_notice' : '',
  explanation: `row ${minute}`,
  actor: { kind: 'user', id: 'u1', name: 'Tester' },
  evidence: { fileName: 'x.csv', row: minute },
  occurredAt: new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString(),
});

let app: TestApp;
beforeEach(async () => {
  app = await openTestApp();
});
afterEach(async () => {
  await app.dispose();
});

async function expectProjectionIsTheFold(contactId: string): Promise<ConsentStatus> {
  const stored = await app.services.db.consent_state.storageInstance.findDocumentsById([stateId(contactId, 'mkt')], false);
  const folded = rowFromFold(contactId, 'mkt', await eventsForKey(app.services.db, contactId, 'mkt'), '');
  const row = stored[0];
  expect(row).toBeDefined();
  if (!row) return 'not_specified';
  expect({ ...withoutStorageFields(row), updatedAt: '' }).toEqual(folded.row);
  return folded.row.status;
}

describe('appending for contacts the caller has just created', () => {
  it('projects each new contact from its one event, and one with several events in the same batch', async () => {
    const result = await app.services.ledger.append(
      [change('n1', 'subscribed', 1), change('n2', 'unsubscribed', 2), change('n3', 'subscribed', 3), change('n3', 'unsubscribed', 4)],
      { newContacts: new Set(['n1', 'n2', 'n3']) },
    );
    expect(result.inserted).toHaveLength(4);
    expect(await expectProjectionIsTheFold('n1')).toBe('subscribed');
    expect(await expectProjectionIsTheFold('n2')).toBe('unsubscribed');
    expect(await expectProjectionIsTheFold('n3')).toBe('unsubscribed');
  });

  it('re-folds a contact wrongly called new: its own opt-out, recorded earlier, is not lost to the import', async () => {
    // The contact's own opt-out (a later time than the import's row) is already recorded.
    await app.services.ledger.append([{ ...change('old', 'unsubscribed', 30), source: 'keyword', actor: { kind: 'contact', id: 'old', name: 'old' } }]);
    expect(await expectProjectionIsTheFold('old')).toBe('unsubscribed');
    // An import that wrongly says the contact is new: its earlier "subscribed" must not win.
    const result = await app.services.ledger.append([change('old', 'subscribed', 10, 'csv:test:1:mkt')], { newContacts: new Set(['old']) });
    expect(result.inserted).toHaveLength(1);
    expect(await expectProjectionIsTheFold('old')).toBe('unsubscribed');
  });
});
