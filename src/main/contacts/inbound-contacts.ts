import { createHash } from 'node:crypto';
import type { Contact } from '../../shared/domain';
import type { AppDatabase } from '../store/database';
import { insertDocuments } from '../store/insert-documents';

// Contacts made for senders seen for the first time in an inbound message (relay inbox,
// file or API). Two devices online at the same instant can both take the first message of
// a new sender before either has synced the other's work, so such a contact gets an id
// derived from its number, and a document derived from the message alone: both devices
// write the same document under the same id, and sync finds nothing to merge. Contacts
// created by hand or by an import keep their random ids; senders are looked up by number
// first (inbound-senders.ts), so an older contact of the number is always the one used.

// What the message says about a sender it makes a contact for.
export type InboundContactRequest = {
  // The sender's canonical E.164 number (wa-id.ts: one form for every spelling of a wa_id).
  waNumber: string;
  name: string;
  // The oldest message time of this sender in the batch: the contact dates from it.
  firstSeenAt: string;
  // The newest message time that opens the 24-hour window ('' when none does).
  lastInboundAt: string;
};

const PREFIX = 'c-wa-';
// Digest characters kept: 128 bits, far past any chance of two numbers meeting.
const DIGEST_CHARS = 32;
// A number whose id is held by a contact whose number was since edited takes the next one.
const MAX_ATTEMPTS = 8;

export function inboundContactId(waNumber: string, attempt = 0): string {
  const key = attempt === 0 ? waNumber : `${waNumber}#${attempt}`;
  return PREFIX + createHash('sha256').update(key, 'utf8').digest('hex').slice(0, DIGEST_CHARS);
}

const contactFor = (id: string, r: InboundContactRequest): Contact => ({
  id,
  name: r.name,
  email: '',
  phoneInput: r.waNumber,
  waNumber: r.waNumber,
  phoneValid: true,
  properties: {},
  tags: [],
  createdAt: r.firstSeenAt,
  updatedAt: r.firstSeenAt,
  lastInboundAt: r.lastInboundAt,
});

// Writes the contacts not in the store yet and returns one contact per number: the one
// written here, or the one already stored under the number's id (written by sync from
// another device, or earlier here while the in-memory directory had not loaded it).
export async function writeInboundContacts(db: AppDatabase, requests: readonly InboundContactRequest[]): Promise<{ created: Contact[]; existing: Contact[] }> {
  const created: Contact[] = [];
  const existing: Contact[] = [];
  type Pending = { r: InboundContactRequest; attempt: number; id: string };
  const at = (r: InboundContactRequest, attempt: number): Pending => ({ r, attempt, id: inboundContactId(r.waNumber, attempt) });
  let pending = requests.map((r) => at(r, 0));
  // Each round either settles a request or moves it to its next id; a write lost to sync
  // between the read and the write is read again in the next round.
  for (let round = 0; pending.length > 0; round += 1) {
    if (round > MAX_ATTEMPTS * 2) throw new Error(`Could not store contacts for ${pending.map((p) => p.r.waNumber).join(', ')}.`);
    const stored = await db.contacts.findByIds(pending.map((p) => p.id)).exec();
    const toWrite: Pending[] = [];
    const next: Pending[] = [];
    for (const p of pending) {
      const held = stored.get(p.id)?.toMutableJSON() as Contact | undefined;
      if (!held) toWrite.push(p);
      else if (held.waNumber === p.r.waNumber) existing.push(held);
      else if (p.attempt + 1 < MAX_ATTEMPTS) next.push(at(p.r, p.attempt + 1));
    }
    if (toWrite.length > 0) {
      const docs = toWrite.map((p) => contactFor(p.id, p.r));
      const { error } = await insertDocuments(db.contacts, docs);
      const taken = new Set(error.filter((e) => e.status === 409).map((e) => e.documentId));
      const failed = error.find((e) => e.status !== 409);
      if (failed) throw new Error(`Could not store the contact ${failed.documentId} (status ${failed.status}).`);
      for (const [i, p] of toWrite.entries()) {
        const doc = docs[i];
        if (taken.has(p.id)) next.push(p);
        else if (doc) created.push(doc);
      }
    }
    pending = next;
  }
  return { created, existing };
}
