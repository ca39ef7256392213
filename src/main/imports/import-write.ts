import type { Contact } from '../../shared/domain';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { EventHub } from '../events/event-hub';
import type { ConsentLedger } from '../ledger/ledger-service';
import type { AppDatabase } from '../store/database';
import { insertDocuments, upsertDocuments } from '../store/insert-documents';
import type { SlicePlan } from './import-plan';

// Contacts per store write: one transaction each, with a turn of the event loop between,
// so a slice never holds the main process for long. As many as a slice has rows at most
// (import-pass.ts sizes slices by time): one store call for the slice's contacts, as for its
// events and its status rows.
const CONTACT_CHUNK = 1000;
const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

// Writes one planned slice: contacts first (in chunks, noted in the directory at once
// so the next slice finds them by number), then the consent events. A crash between
// the two is harmless: the resumed slice finds the contacts and records the events.
export async function writeSlice(
  deps: { db: AppDatabase; directory: ContactDirectory; ledger: ConsentLedger; events: EventHub },
  plan: SlicePlan,
): Promise<{ created: number; updated: number; events: number }> {
  const { db, directory, ledger, events } = deps;
  let created = 0;
  // The slice's new contacts: no status rows to look up for them (see AppendOptions).
  const newContacts = new Set<string>();
  for (let i = 0; i < plan.inserts.length; i += CONTACT_CHUNK) {
    const chunk = plan.inserts.slice(i, i + CONTACT_CHUNK);
    // Only `error` is read: RxDB builds an RxDocument per row when `success` is touched.
    const { error } = await insertDocuments(db.contacts, chunk);
    const failed = new Set(error.map((e) => e.documentId));
    for (const c of chunk) {
      if (failed.has(c.id)) continue;
      directory.noteContact(c);
      newContacts.add(c.id);
    }
    created += chunk.length - failed.size;
    await yieldNow();
  }
  if (plan.updates.length) {
    await upsertDocuments(db.contacts, plan.updates);
    for (const c of plan.updates) directory.noteContact(c as Contact);
  }
  const appended = plan.changes.length ? await ledger.append(plan.changes, { newContacts }) : { inserted: [] };
  const ids = [...plan.inserts, ...plan.updates].map((c) => c.id);
  if (ids.length) events.emit({ type: 'contacts:changed', ids });
  return { created, updated: plan.updates.length, events: appended.inserted.length };
}
