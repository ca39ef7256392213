import type { User } from '../../shared/domain';
import type { ImportJobState, ImportRecord, ImportSummary, ImportUndoResult } from '../../shared/imports/import-report';
import { AppError } from '../app-error';
import type { AuditLog } from '../audit/audit-log';
import { actorOf } from '../consent/consent-service';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { EventHub } from '../events/event-hub';
import { undoByCompensation } from '../ledger/compensation';
import type { ConsentLedger } from '../ledger/ledger-service';
import type { AppDatabase } from '../store/database';
import type { ImportJobDoc } from '../store/schemas/operations-schemas';

// Imports that ended (finished, or cancelled part way) and undoing their consent changes.
// An import's events share the id prefix csv:<importId>:, so its undo finds them all;
// compensating events restore each status it changed where nothing changed it since.
// Contacts it created or updated stay: undoing an import is about consent.

// Imports that recorded what they recorded: their consent changes can be undone.
const ENDED: readonly string[] = ['finished', 'cancelled'];
const SAMPLE = 100;

type StoredSummary = Omit<ImportSummary, 'issues'> & { undone?: ImportRecord['undone'] };
const summaryOf = (job: ImportJobDoc) => job.summary as Partial<StoredSummary>;
export const isUndone = (job: ImportJobDoc): boolean => !!summaryOf(job).undone;
const actorNameOf = (job: ImportJobDoc) => (job.options as { actor?: { name: string } }).actor?.name ?? '';
const appliedImportIdOf = (job: ImportJobDoc) => (job.options as { importId?: string }).importId ?? '';

export function createImportUndo(deps: {
  db: AppDatabase;
  ledger: ConsentLedger;
  directory: ContactDirectory;
  events: EventHub;
  audit: AuditLog;
  now: () => Date;
  job: (jobId: string) => Promise<ImportJobDoc>;
  save: (job: ImportJobDoc, patch: Partial<ImportJobDoc>) => Promise<void>;
  isRunning: (jobId: string) => boolean;
}) {
  const { db, ledger, directory, events, audit, now } = deps;
  return {
    async recent(limit: number): Promise<ImportRecord[]> {
      const docs = await db.import_jobs.find({ selector: { state: { $in: [...ENDED] } } }).exec();
      return docs
        .map((d) => d.toMutableJSON() as ImportJobDoc)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
        .slice(0, limit)
        .map((j) => {
          const summary = summaryOf(j);
          return {
            jobId: j.id, fileName: j.fileName, state: j.state as ImportJobState, at: j.updatedAt, byName: actorNameOf(j),
            rows: summary.counts?.rows ?? 0, skipped: summary.counts?.invalid ?? 0, eventsRecorded: summary.eventsRecorded ?? 0,
            contactsCreated: summary.contactsCreated ?? 0, contactsUpdated: summary.contactsUpdated ?? 0, undone: summary.undone ?? null,
          };
        });
    },

    async undo(jobId: string, explanation: string, user: User): Promise<ImportUndoResult> {
      const job = await deps.job(jobId);
      const importId = appliedImportIdOf(job);
      if (deps.isRunning(jobId) || !ENDED.includes(job.state) || !importId) throw new AppError('conflict', 'Only a finished or cancelled import can be undone.');
      if (isUndone(job)) throw new AppError('conflict', 'This import was already undone.');
      const total = summaryOf(job).eventsRecorded ?? 0;
      const progress = (done: number, state: 'running' | 'finished') => events.emit({ type: 'progress', jobId, kind: 'import-undo', done, total: Math.max(total, done), state });
      const outcome = await undoByCompensation({ db, ledger, directory }, `csv:${importId}:`, (e, restore) => ({
        // csv:<importId>:<row>:<typeId> → csvundo:<importId>:<row>:<typeId>: undoing twice records nothing twice.
        id: `csvundo:${e.id.slice('csv:'.length)}`,
        contactId: e.contactId,
        typeId: e.typeId,
        status: restore.status,
        source: 'csv_import',
        legalBasis: restore.legalBasis,
        explanation: explanation || `Undo of the import of ${job.fileName}`,
        actor: actorOf(user),
        evidence: { undoOf: importId, fileName: job.fileName, fileHash: job.fileHash },
        basedOn: e.id,
      }), { sample: SAMPLE, onProgress: (done) => progress(done, 'running') });
      // Noted after the ledger write: a kill in between leaves the undo to be run again, to the same result.
      const undone = { at: now().toISOString(), byName: user.name, restored: outcome.restored, skipped: outcome.skipped };
      await deps.save(job, { summary: { ...job.summary, undone } });
      await audit.record('import.undone', user, { jobId, fileName: job.fileName, fileHash: job.fileHash, importId, restored: undone.restored, skipped: undone.skipped });
      progress(undone.restored + undone.skipped, 'finished');
      return { jobId, restored: undone.restored, skipped: undone.skipped, skippedContacts: outcome.skippedContacts };
    },
  };
}
