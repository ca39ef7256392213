import { join } from 'node:path';
import type { Subscription } from 'rxjs';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import { AppError } from '../app-error';
import type { Logger } from '../logger';
import { createSerialQueue } from '../ledger/serial-queue';
import type { AppDatabase } from '../store/database';
import { openConnection, type CipherKey, type CipherScheme } from '../store/rx-storage-sqlite/sqlite-driver';
import { DATABASE_NAME } from '../store/database';
import { onDocChanges } from '../store/doc-changes';
import { queryPlain } from '../store/plain-documents';
import type { AuditLogDoc } from '../store/schemas/operations-schemas';
import { scrubContact, type ScrubCounts } from './contact-scrub';
import { settleLatest } from '../settle-latest';

/*
 * Erasure of a contact's personal data (GDPR Art. 17), docs/erasure.md.
 *
 * The erasure record is an audit entry `contact.erased` (who, when, why, which contact; no
 * personal data). Audit entries replicate insert-only to every device, and every device that
 * holds such a record scrubs that contact's documents — at start, when the record arrives,
 * and whenever a document of that contact arrives or changes later (a device that was
 * offline during the erasure pushing its old copies, an old edit winning a field merge).
 * So the values can come back for a moment as a copy in transit, never to stay: every
 * device, and through their pushes the server, ends with the erased form.
 *
 * The number is not kept in any form, not even a keyed digest: every device would need the
 * key, and a digest of a phone number with a known key is reversed by trying every number.
 * A later import of the same number therefore makes a new contact, unaware of the erasure.
 */

export const ERASURE_ACTION = 'contact.erased';

export type ErasureRecord = { contactId: string; erasedAt: string; actorId: string; actorName: string; reason: string; deviceId: string };
export type ErasureResult = ScrubCounts & { contactId: string; erasedAt: string; alreadyErased: boolean };

export type ContactErasure = {
  erase(contactId: string, reason: string, actor: AuditActor): Promise<ErasureResult>;
  // The erasure record of a contact, if it was erased on any device this one has heard from.
  recordOf(contactId: string): Promise<ErasureRecord | undefined>;
  // Scrubs every erased contact again (at start and after documents arrive); resolves when done.
  reapply(): Promise<number>;
  settled(): Promise<void>;
  close(): void;
};

const asRecord = (doc: AuditLogDoc): ErasureRecord | undefined => {
  const d = doc.details;
  if (typeof d.contactId !== 'string' || d.contactId === '') return undefined;
  return { contactId: d.contactId, erasedAt: doc.at, actorId: doc.actorId, actorName: doc.actorName, reason: typeof d.reason === 'string' ? d.reason : '', deviceId: doc.deviceId };
};

type Watched = { contactId?: unknown; action?: unknown; details?: unknown };

export function createContactErasure(deps: { db: AppDatabase; audit: AuditLog; dataDir?: string; dataKey?: CipherKey; dataScheme?: CipherScheme; log: Logger; now: () => Date }): ContactErasure {
  const { db, audit, log, now } = deps;
  const serial = createSerialQueue();
  const erased = new Set<string>();
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;

  const loadRecords = async () => {
    const docs = await queryPlain<AuditLogDoc>(db.audit_log, { selector: { action: ERASURE_ACTION } });
    for (const d of docs) {
      const r = asRecord(d);
      if (r) erased.add(r.contactId);
    }
    return docs;
  };

  // Old page images of the changed rows stay in the WAL file until a checkpoint copies the
  // new ones over them; TRUNCATE then empties the WAL. Freed space in the main file is zeroed
  // by secure_delete (set on every connection, database-file.ts).
  const flushWal = () => {
    if (!deps.dataDir) return;
    const file = openConnection(join(deps.dataDir, `${DATABASE_NAME}.sqlite`), { timeoutMs: 5000, fileMustExist: true, key: deps.dataKey, scheme: deps.dataScheme });
    try {
      file.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      file.close();
    }
  };

  const scrub = (contactIds: Iterable<string>) => {
    const ids = [...contactIds];
    const run = serial(async () => {
      if (closed) return 0;
      let changed = 0;
      const at = now().toISOString();
      for (const id of ids) {
        const c = await scrubContact(db, id, at);
        changed += (c.contact ? 1 : 0) + c.events + c.inboundMessages + c.reviewItems;
      }
      if (ids.length > 0) flushWal();
      return changed;
    });
    tail = run.catch((e: unknown) => log.error('erasure: scrubbing failed', e));
    return run;
  };

  // Whatever arrives or changes for an erased contact is scrubbed again; a new erasure record
  // (from another device) scrubs its contact here.
  const onAudit = (doc: Watched) => {
    if (doc.action !== ERASURE_ACTION || !doc.details || typeof doc.details !== 'object') return;
    const id = (doc.details as { contactId?: unknown }).contactId;
    // An id already known was recorded here (erase() scrubs it) or scrubbed before.
    if (typeof id === 'string' && id !== '' && !erased.has(id)) {
      erased.add(id);
      void scrub([id]);
    }
  };
  // A burst of arrivals for one contact (a sync batch) queues one scrub, not one per document.
  const queued = new Set<string>();
  const onContactDoc = (id: unknown) => {
    if (typeof id !== 'string' || !erased.has(id) || queued.has(id)) return;
    queued.add(id);
    void scrub([id]).finally(() => queued.delete(id));
  };
  let subscriptions: Subscription[] = [];
  const ready = loadRecords().then(() => {
    if (closed) return 0;
    subscriptions = [
      onDocChanges(db.audit_log, (c) => c.operation !== 'DELETE' && onAudit(c.documentData as Watched)),
      onDocChanges(db.contacts, (c) => c.operation !== 'DELETE' && onContactDoc(c.documentId)),
      onDocChanges(db.consent_events, (c) => c.operation !== 'DELETE' && onContactDoc((c.documentData as Watched).contactId)),
      onDocChanges(db.inbound_messages, (c) => c.operation !== 'DELETE' && onContactDoc((c.documentData as Watched).contactId)),
      onDocChanges(db.review_items, (c) => c.operation !== 'DELETE' && onContactDoc((c.documentData as Watched).contactId)),
    ];
    return scrub(erased);
  });
  tail = ready.catch((e: unknown) => log.error('erasure: start failed', e));

  return {
    async erase(contactId, reason, actor) {
      await ready;
      const contact = await db.contacts.findOne(contactId).exec();
      if (!contact) throw new AppError('not_found', `No contact ${contactId}.`);
      const alreadyErased = erased.has(contactId);
      if (!alreadyErased) {
        // The record first: a crash after it still erases at the next start.
        erased.add(contactId);
        try {
          await audit.record(ERASURE_ACTION, actor, { contactId, reason });
        } catch (error) {
          erased.delete(contactId);
          throw error;
        }
      }
      const at = now().toISOString();
      const counts = await serial(async () => {
        const c = await scrubContact(db, contactId, at);
        flushWal();
        return c;
      });
      return { ...counts, contactId, erasedAt: at, alreadyErased };
    },
    async recordOf(contactId) {
      const docs = await queryPlain<AuditLogDoc>(db.audit_log, { selector: { action: ERASURE_ACTION } });
      const records = docs.map(asRecord).filter((r): r is ErasureRecord => r?.contactId === contactId);
      return records.sort((a, b) => a.erasedAt.localeCompare(b.erasedAt))[0];
    },
    async reapply() {
      await ready;
      await loadRecords();
      return scrub(erased);
    },
    async settled() {
      await ready.catch(() => undefined);
      await settleLatest(() => tail);
    },
    close() {
      closed = true;
      for (const sub of subscriptions) sub.unsubscribe();
    },
  };
}
