import type { AppDatabase } from '../store/database';
import { changesSince, type ChangeCheckpoint } from './store-scan';

// How far the consent_state projection is known to be complete, as a position in the
// ledger's change stream. Saved when the ledger is idle; at start-up every event
// changed since then is re-folded, so a crash between writing an event and writing its
// projection (or before an event that arrived by sync was projected) heals itself.
const META_ID = 'projection.checkpoint';

export const laterCheckpoint = (a: ChangeCheckpoint | undefined, b: ChangeCheckpoint): ChangeCheckpoint =>
  !a || b.lwt > a.lwt || (b.lwt === a.lwt && b.id > a.id) ? b : a;

export async function loadCheckpoint(db: AppDatabase): Promise<ChangeCheckpoint | undefined> {
  const doc = await db.local_meta.findOne(META_ID).exec();
  const value = doc?.value as Partial<ChangeCheckpoint> | undefined;
  return value && typeof value.id === 'string' && typeof value.lwt === 'number' ? { id: value.id, lwt: value.lwt } : undefined;
}

export async function saveCheckpoint(db: AppDatabase, checkpoint: ChangeCheckpoint, at: string): Promise<void> {
  await db.local_meta.upsert({ id: META_ID, value: { ...checkpoint }, updatedAt: at });
}

// Keys (contactId, typeId) of every event changed after the checkpoint, and the newest position.
export async function changedSince(
  db: AppDatabase,
  checkpoint: ChangeCheckpoint | undefined,
): Promise<{ keys: Map<string, [string, string]>; latest: ChangeCheckpoint | undefined }> {
  const keys = new Map<string, [string, string]>();
  let latest = checkpoint;
  for await (const page of changesSince(db.consent_events, checkpoint, 2000)) {
    for (const d of page.documents) keys.set(`${d.contactId}|${d.typeId}`, [d.contactId, d.typeId]);
    latest = page.checkpoint;
  }
  return { keys, latest };
}
