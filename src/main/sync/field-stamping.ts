import type { RxCollection } from 'rxdb';
import type { AppDatabase } from '../store/database';
import { currentChangeAuthor, isArrivalWrite } from './change-author';
import { fieldStamp, UNSTAMPED_FIELDS, type FieldClock } from './field-clock';
import { sameValue } from './field-merge';
import { changeMessage, fieldSignature, isSignedCollection, signedFieldsOf, type FieldSignatures } from './signed-changes';
import { SYNCED_COLLECTIONS, syncedCollectionNames } from './sync-collections';


type Data = Record<string, unknown> & { fieldClock?: FieldClock; fieldSigs?: FieldSignatures };

// This device's signing key (device-keys.ts); absent where no key could be loaded.
export type ChangeSigner = { sign(message: string): string };

// Every local update of a mutable shared document stamps the fields it changed, whoever
// the writer is (services, imports, bulk edits, settings upserts): RxDB runs pre-save hooks
// on every document update through the collection, and never on writes the replication
// makes, so documents arriving from the server keep their own stamps.
// In the collections whose changes are signed (signed-changes.ts), each stamped field is also
// signed by this device for the change's author; a new document gets real stamps on every
// field at insert, so its signatures never depend on a stamp derived from updatedAt.
export function installFieldStamping(db: AppDatabase, deviceId: string, now: () => Date, signer?: ChangeSigner): void {
  for (const name of syncedCollectionNames()) {
    if (SYNCED_COLLECTIONS[name] !== 'field_lww') continue;
    const collection = db.collections[name] as unknown as RxCollection<Data>;
    const primaryKey = collection.schema.primaryPath as string;
    const signing = signer && isSignedCollection(name) ? signer : undefined;
    const signFields = (doc: Data, fields: readonly string[], author: string) => {
      if (!signing) return;
      const sigs: FieldSignatures = { ...(doc.fieldSigs ?? {}) };
      const id = String(doc[primaryKey]);
      for (const f of fields) {
        const stamp = doc.fieldClock?.[f];
        if (stamp !== undefined) sigs[f] = fieldSignature(deviceId, author, signing.sign(changeMessage(name, id, f, doc[f], stamp, author)));
      }
      doc.fieldSigs = sigs;
    };
    if (signing) {
      collection.preInsert((doc: Data) => {
        if (isArrivalWrite()) return;
        const at = typeof doc.createdAt === 'string' ? doc.createdAt : typeof doc.updatedAt === 'string' ? doc.updatedAt : now().toISOString();
        const fields = signedFieldsOf(doc, primaryKey);
        const clock: FieldClock = { ...(doc.fieldClock ?? {}) };
        for (const f of fields) clock[f] ??= fieldStamp(at, deviceId);
        doc.fieldClock = clock;
        // The first administrator creates their own profile before anyone is signed in.
        const author = currentChangeAuthor() || (name === 'users' && doc.role === 'admin' ? String(doc[primaryKey]) : '');
        signFields(doc, fields, author);
      }, false);
    }
    collection.preSave((next: Data, previous: unknown) => {
      if (isArrivalWrite()) return;
      const before = previous as Data;
      if (before.fieldSigs && !next.fieldSigs) next.fieldSigs = before.fieldSigs;
      const changed = Object.keys({ ...before, ...next }).filter(
        (k) => k !== primaryKey && !UNSTAMPED_FIELDS.has(k) && !sameValue(before[k], next[k]),
      );
      if (changed.length === 0) {
        if (before.fieldClock && !next.fieldClock) next.fieldClock = before.fieldClock;
        return;
      }
      const clock: FieldClock = { ...(before.fieldClock ?? {}), ...(next.fieldClock ?? {}) };
      const at = typeof next.updatedAt === 'string' && next.updatedAt !== before.updatedAt ? next.updatedAt : now().toISOString();
      for (const f of changed) {
        // A writer that stamped the field itself (the contact service) keeps its stamp.
        if (next.fieldClock?.[f] !== undefined && next.fieldClock[f] !== before.fieldClock?.[f]) continue;
        clock[f] = fieldStamp(at, deviceId);
      }
      next.fieldClock = clock;
      signFields(next, changed, currentChangeAuthor());
    }, false);
  }
}
