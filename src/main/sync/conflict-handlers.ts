import type { RxConflictHandler, WithDeleted } from 'rxdb';
import { personalWeight } from '../erasure/personal-weight';
import type { AppDatabase } from '../store/database';
import { mergeByField, sameDocument, type MergeDoc } from './field-merge';
import { SYNCED_COLLECTIONS, syncedCollectionNames, type SyncedCollection } from './sync-collections';

const asDoc = (d: unknown) => d as MergeDoc;

/*
 * What the server answers to a push that met a conflict (its "master state") is checked like a
 * pulled copy before it can count (DESIGN "Trust boundaries"): false keeps it out, and it is
 * then kept aside by the checker. Without one (unit tests of the merge) every state counts.
 */
export type MasterStateCheck = (doc: unknown) => Promise<boolean>;
const trustAll: MasterStateCheck = async () => true;

// A master state that fails the checks is not merged: the local state stands, and the next
// push (against that state's revision) puts it back on the server.
export function fieldLwwConflictHandler<T>(primaryKey: string, check: MasterStateCheck = trustAll): RxConflictHandler<T> {
  return {
    isEqual: (a, b) => sameDocument(asDoc(a), asDoc(b)),
    resolve: async (i) =>
      (await check(i.realMasterState))
        ? (mergeByField(asDoc(i.newDocumentState), asDoc(i.realMasterState), i.assumedMasterState && asDoc(i.assumedMasterState), primaryKey) as unknown as WithDeleted<T>)
        : i.newDocumentState,
  };
}

// Insert-only records: two copies with one id are one record. The local copy always
// stays (a device's hash chain covers its own copy); when the server already holds a copy,
// the local one is not pushed over it (`skipPush` feeds the push modifier).
export type InsertOnlyHandler<T> = { handler: RxConflictHandler<T>; skipPush(id: string): boolean };

// Told about every such pair (the local copy, the server's), e.g. to file both copies of a chain link.
export type KeptCopyListener = (collection: string, local: unknown, server: unknown) => void;

// The one change such a record may see is the removal of personal data (erasure, retention):
// the copy holding less is the newer one and wins both ways (erasure/personal-weight.ts).
// A server copy that fails the checks is not filed as the other copy of a chain link, and
// does not count as "the server holds it": the local record is pushed again.
export function insertOnlyConflictHandler<T>(
  primaryKey: string,
  onKept?: (local: T, server: T) => void,
  collection = '',
  check: MasterStateCheck = trustAll,
): InsertOnlyHandler<T> {
  const knownOnServer = new Set<string>();
  const weight = (doc: unknown) => personalWeight(collection, doc);
  return {
    handler: {
      // Only ever asked about two states of one id.
      isEqual: (a, b) => weight(a) === weight(b),
      resolve: async (i) => {
        if (!(await check(i.realMasterState))) return i.newDocumentState;
        const local = weight(i.newDocumentState);
        const server = weight(i.realMasterState);
        if (local < server) return i.newDocumentState;
        if (server < local) return i.realMasterState;
        const id = asDoc(i.newDocumentState)[primaryKey];
        if (typeof id === 'string') knownOnServer.add(id);
        onKept?.(i.newDocumentState, i.realMasterState);
        return i.newDocumentState;
      },
    },
    skipPush: (id) => knownOnServer.delete(id),
  };
}

export type InstalledHandlers = { skipPush(collection: string, id: string): boolean };

// The collection's conflict handler is only consulted by replication, so the sync
// module installs it on the shared collections before any replication starts.
export function installConflictHandlers(
  db: AppDatabase,
  onKept?: KeptCopyListener,
  checkMasterState?: (collection: SyncedCollection, doc: unknown) => Promise<boolean>,
): InstalledHandlers {
  const insertOnly = new Map<string, InsertOnlyHandler<unknown>>();
  for (const name of syncedCollectionNames()) {
    const collection = db.collections[name];
    const primaryKey = collection.schema.primaryPath as string;
    const check: MasterStateCheck | undefined = checkMasterState && ((doc) => checkMasterState(name, doc));
    if (SYNCED_COLLECTIONS[name] === 'insert_only') {
      const h = insertOnlyConflictHandler<unknown>(primaryKey, onKept && ((local, server) => onKept(name, local, server)), name, check);
      insertOnly.set(name, h);
      (collection as { conflictHandler: RxConflictHandler<unknown> }).conflictHandler = h.handler;
    } else {
      (collection as { conflictHandler: RxConflictHandler<unknown> }).conflictHandler = fieldLwwConflictHandler<unknown>(primaryKey, check);
    }
  }
  return { skipPush: (collection, id) => insertOnly.get(collection)?.skipPush(id) ?? false };
}
