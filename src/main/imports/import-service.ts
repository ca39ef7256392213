import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import type { ConsentStateRow, User } from '../../shared/domain';
import { analyzeHead, HEAD_BYTES, type HeadFormat } from '../../shared/imports/analyze-head';
import type { CsvEncoding, NotCsvReason } from '../../shared/imports/csv-detect';
import { checkMapping, headerLayoutKey, suggestMapping, type ImportMapping } from '../../shared/imports/import-mapping';
import type { DryRunReport, ImportAnalysis, ImportJobInfo, ImportJobState, ImportRecord, ImportSummary, ImportUndoResult } from '../../shared/imports/import-report';
import { AppError } from '../app-error';
import type { AuditLog } from '../audit/audit-log';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { EventHub } from '../events/event-hub';
import type { ConsentLedger } from '../ledger/ledger-service';
import type { Logger } from '../logger';
import type { SettingsService } from '../settings/settings-service';
import type { AppDatabase } from '../store/database';
import { withoutStorageFields } from '../store/plain-documents';
import type { ImportJobDoc } from '../store/schemas/operations-schemas';
import type { TypeService } from '../subscription-types/type-service';
import type { CsvExport } from '../../shared/api/exports-channels';
import type { CsvWriteOptions } from '../../shared/imports/csv-write';
import type { RowIssue } from '../../shared/imports/row-issues';
import { compileMapping } from '../../shared/imports/row-validate';
import type { CsvSource } from './csv-row-stream';
import { scanConflictingDuplicates } from './duplicate-scan';
import { checkUtf8 } from './encoding-check';
import { createImportSpool } from './import-spool';
import { collectSkippedRows, problemRowsCsv, type IssueLabels } from './problem-rows';
import { runPass, type PassResult } from './import-pass';
import { eventIdsFor, planSlice, stateKeysFor, type PlanContext } from './import-plan';
import { createImportUndo, isUndone } from './import-undo';
import { writeSlice } from './import-write';

// The CSV import (SPEC 6): upload in chunks → analyze → dry run → apply in slices, with
// progress, cancel and resume after a crash. Every consent change goes through the
// ledger with a deterministic id, so a repeated or resumed import records nothing twice.

export type ImportService = {
  begin(input: { fileName: string; size: number }, user: User): Promise<{ jobId: string }>;
  chunk(input: { jobId: string; index: number; data: string }): Promise<{ received: number }>;
  analyze(input: { jobId: string; format?: Partial<HeadFormat> }): Promise<ImportAnalysis>;
  dryRun(input: { jobId: string; mapping: ImportMapping }): Promise<DryRunReport>;
  problemRows(input: { jobId: string; mapping?: ImportMapping; delimiter?: CsvWriteOptions['delimiter']; bom: boolean; labels: IssueLabels }): Promise<CsvExport>;
  apply(input: { jobId: string; mapping: ImportMapping; confirmOwnOptOutRows: number[] }, user: User): Promise<ImportSummary>;
  resume(jobId: string, user: User): Promise<ImportSummary>;
  cancel(jobId: string): Promise<{ cancelled: boolean }>;
  list(): Promise<ImportJobInfo[]>;
  recent(limit: number): Promise<ImportRecord[]>;
  undo(jobId: string, explanation: string, user: User): Promise<ImportUndoResult>;
  discard(jobId: string, user: User): Promise<void>;
};

type JobOptions = {
  size: number;
  format?: HeadFormat;
  bomLength?: number;
  headers?: string[];
  mapping?: ImportMapping;
  importId?: string;
  confirmedRows?: number[];
  actor?: { id: string; name: string };
};

const NOT_CSV_MESSAGES: Record<NotCsvReason, string> = {
  empty: 'The file is empty.',
  binary: 'This is not a CSV text file: it contains binary data.',
  pdf: 'This is a PDF document, not a CSV file. Export the spreadsheet as CSV.',
  spreadsheet: 'This is an Excel or OpenDocument workbook, not CSV. Save it as "CSV UTF-8" first.',
  header_only: 'The file has a header row but no data rows.',
  garbled: 'This file is not text in any encoding the import reads (UTF-8, Windows-1250, UTF-16): most of its bytes are not letters, digits or punctuation.',
  line_too_long: 'The first line of this file is longer than 64 KB: it is not a spreadsheet export, or its line breaks are missing.',
};

const ENCODING_NAMES: Record<CsvEncoding, string> = { 'utf-8': 'UTF-8', 'windows-1250': 'Windows-1250', 'utf-16le': 'UTF-16 LE', 'utf-16be': 'UTF-16 BE' };

// The largest slice. Each store call of a slice (its contacts, its events, its status rows) is
// one transaction in one turn: at about 0.1-0.15 ms of CPU per document with its index keys
// (more on a loaded machine), 1,000 rows made turns of 100-150 ms of CPU (stall probe); 500
// keeps the longest near half that, and slices are still sized down by time below it.
const SLICE_ROWS = 500;
const RESUMABLE: readonly string[] = ['applying', 'cancelled', 'failed'];

export function createImportService(deps: {
  db: AppDatabase;
  dataDir: string;
  // Seals the spooled uploads (import-spool.ts); without it they are written plain.
  spoolKey?: Buffer;
  directory: ContactDirectory;
  ledger: ConsentLedger;
  settings: SettingsService;
  types: TypeService;
  events: EventHub;
  audit: AuditLog;
  deviceId: string;
  now: () => Date;
  log: Logger;
  // Called once an import has finished, with the contacts its rows touched ("import
  // finished" trigger of the automation rules). For a resumed import, the rows of this run.
  onFinished?: (importId: string, contactIds: readonly string[]) => Promise<unknown>;
}): ImportService {
  const { db, directory, ledger, settings, types, events, audit, deviceId, now } = deps;
  const spool = createImportSpool(deps.dataDir, deps.spoolKey);
  const uploads = new Map<string, { nextIndex: number; received: number; size: number }>();
  const running = new Map<string, { cancelled: boolean }>();

  const jobOrThrow = async (jobId: string) => {
    const doc = await db.import_jobs.findOne(jobId).exec();
    if (!doc) throw new AppError('not_found', 'No such import.');
    return doc.toMutableJSON() as ImportJobDoc;
  };
  const optionsOf = (job: ImportJobDoc) => job.options as JobOptions;
  const save = async (job: ImportJobDoc, patch: Partial<ImportJobDoc>) => {
    Object.assign(job, patch, { updatedAt: now().toISOString() });
    await db.import_jobs.upsert(job);
  };
  const history = createImportUndo({ ...deps, job: jobOrThrow, save, isRunning: (jobId) => running.has(jobId) });

  const statesFor = async (ids: string[]) => {
    const out = new Map<string, ConsentStateRow>();
    if (ids.length === 0) return out;
    // Plain reads from the storage: no RxDocuments or cached queries for rows looked up once.
    for (const doc of await db.consent_state.storageInstance.findDocumentsById(ids, false)) {
      const row = withoutStorageFields(doc);
      out.set(row.id, row);
    }
    return out;
  };

  const NONE_RECORDED: ReadonlySet<string> = new Set();
  const recordedOf = async (ids: string[]) =>
    new Set(ids.length ? (await db.consent_events.storageInstance.findDocumentsById(ids, false)).map((d) => d.id) : []);
  const hasEventsOf = async (importId: string) => {
    const prefix = `csv:${importId}:`;
    const found = await db.consent_events.findOne({ selector: { id: { $gte: prefix, $lt: `${prefix}\uffff` } } }).exec();
    return found !== null;
  };

  const assertMapping = async (job: ImportJobDoc, mapping: ImportMapping) => {
    const o = optionsOf(job);
    if (job.state === 'uploading' || !o.format) throw new AppError('conflict', 'Analyze the file before mapping its columns.');
    const typeIds = new Set((await types.list()).map((t) => t.id));
    const problems = checkMapping(mapping, typeIds);
    if (problems.length) {
      throw new AppError('invalid_input', `The column mapping cannot be used: ${problems.join(', ').replace(/_/g, ' ')}.`, { problems });
    }
    return o as Required<Pick<JobOptions, 'format' | 'bomLength' | 'headers'>> & JobOptions;
  };

  // The format is guessed from the first 64 KB; the encoding is then checked over the whole
  // file before anything is read into the store. A file that turns out not to be UTF-8
  // further on is read whole as Windows-1250 (what Polish Excel writes), and the wizard
  // says so; an encoding the user chose that does not fit the file is refused.
  const analyzeWholeFile = async (jobId: string, head: Uint8Array, size: number, override: Partial<HeadFormat> | undefined) => {
    const first = analyzeHead(head, size, override);
    if (!first.ok) throw new AppError('not_csv', NOT_CSV_MESSAGES[first.reason], { reason: first.reason });
    if (first.format.encoding === 'utf-8') {
      const check = await checkUtf8(spool.reader(jobId), first.bomLength);
      if (check.invalidAt === null) return { ...first, encodingChange: null };
      const at = check.invalidAt.toLocaleString('en');
      if (override?.encoding) {
        throw new AppError('invalid_input', `The file is not valid UTF-8 text (byte ${at} is not); choose another encoding.`, { reason: 'encoding_mismatch', atByte: check.invalidAt });
      }
      if (check.multiByteBefore) {
        throw new AppError(
          'invalid_input',
          `The file mixes two encodings: it is UTF-8 up to byte ${at} and not from there on, so no encoding reads every row right. Save it again from the spreadsheet as "CSV UTF-8".`,
          { reason: 'mixed_encodings', atByte: check.invalidAt },
        );
      }
      const again = analyzeHead(head, size, { ...override, encoding: 'windows-1250' });
      if (!again.ok) throw new AppError('not_csv', NOT_CSV_MESSAGES[again.reason], { reason: again.reason });
      return {
        ...again,
        detected: { ...again.detected, encoding: 'windows-1250' as const },
        encodingChange: { from: 'utf-8' as const, to: 'windows-1250' as const, atByte: check.invalidAt },
      };
    }
    const bad = await spool.firstUndecodable(jobId, first.format.encoding, first.bomLength);
    if (bad === null) return { ...first, encodingChange: null };
    throw new AppError(
      'invalid_input',
      `The file is not valid ${ENCODING_NAMES[first.format.encoding]} text (after byte ${bad.toLocaleString('en')}); choose another encoding.`,
      { reason: 'encoding_mismatch', encoding: first.format.encoding, atByte: bad },
    );
  };

  const sourceOf = (job: ImportJobDoc): CsvSource => {
    const o = optionsOf(job);
    const format = o.format as HeadFormat;
    return { path: spool.pathOf(job.id), open: spool.reader(job.id), encoding: format.encoding, bomLength: o.bomLength ?? 0, delimiter: format.delimiter };
  };

  // The conflicting duplicates of a file under a mapping: one scan of the whole file,
  // kept for the job, so the import after its dry run does not read the file twice.
  const conflictCache = new Map<string, { key: string; conflicts: Map<string, number[]> }>();
  const conflictsOf = async (job: ImportJobDoc, mapping: ImportMapping, defaultCountry: string) => {
    const o = optionsOf(job);
    const format = o.format as HeadFormat;
    const key = JSON.stringify([job.fileHash, format, o.bomLength ?? 0, mapping, defaultCountry]);
    const cached = conflictCache.get(job.id);
    if (cached?.key === key) return cached.conflicts;
    const compiled = compileMapping(mapping, o.headers ?? []);
    // Read to the end even when the import is cancelled meanwhile: a partial list would
    // let the first slice (written before the cancel is seen) apply a conflicting row.
    const conflicts = await scanConflictingDuplicates({ source: sourceOf(job), hasHeader: format.hasHeader, compiled, defaultCountry });
    conflictCache.set(job.id, { key, conflicts });
    return conflicts;
  };

  const importIdOf = (fileHash: string, format: HeadFormat, mapping: ImportMapping) =>
    createHash('sha256').update(JSON.stringify([fileHash, format, mapping])).digest('hex').slice(0, 24);

  const pass = async (
    job: ImportJobDoc,
    mapping: ImportMapping,
    startRow: number,
    ctx: Omit<PlanContext, 'states' | 'directory' | 'recorded'>,
    write: boolean,
    control: { cancelled: boolean },
    onProgress?: (rowsSeen: number, lastRow: number) => Promise<void>,
    onIssues?: (issues: readonly RowIssue[]) => void,
  ): Promise<PassResult & { written: { events: number; created: number; updated: number; contactIds: Set<string> }; needsConfirmation: DryRunReport['needsConfirmation'] }> => {
    await directory.ready;
    const o = optionsOf(job);
    const format = o.format as HeadFormat;
    const written = { events: 0, created: 0, updated: 0, contactIds: new Set<string>() };
    const needsConfirmation: DryRunReport['needsConfirmation'] = [];
    const defaultCountry = await settings.defaultCountry();
    // An import that never ran has no events to look up, row by row.
    const mayHaveRecorded = await hasEventsOf(ctx.importId);
    const result = await runPass({
      source: sourceOf(job),
      hasHeader: format.hasHeader,
      headers: o.headers ?? [],
      mapping,
      defaultCountry,
      startRow,
      conflicts: await conflictsOf(job, mapping, defaultCountry),
      sliceRows: SLICE_ROWS,
      isCancelled: () => control.cancelled,
      onSlice: async (rows) => {
        const recorded = mayHaveRecorded ? await recordedOf(eventIdsFor(rows, ctx.importId)) : NONE_RECORDED;
        const plan = planSlice(rows, { ...ctx, directory, states: await statesFor(stateKeysFor(rows, directory)), recorded });
        for (const d of plan.diffs) {
          for (const s of d.statuses) {
            if (s.outcome === 'needs_confirmation' && needsConfirmation.length < 10_000) needsConfirmation.push({ row: d.row, name: d.name, typeId: s.typeId });
          }
        }
        if (write) {
          const w = await writeSlice({ db, directory, ledger, events }, plan);
          written.events += w.events;
          written.created += w.created;
          written.updated += w.updated;
          for (const d of plan.diffs) if (d.contactId) written.contactIds.add(d.contactId);
        }
        return plan;
      },
      onProgress,
      onIssues,
    });
    return { ...result, written, needsConfirmation };
  };

  const contextFor = (job: ImportJobDoc, importId: string, actor: { id: string; name: string }, confirmed: number[]) => ({
    importId,
    fileName: job.fileName,
    fileHash: job.fileHash,
    deviceId,
    at: now().toISOString(),
    actor: { kind: 'user' as const, id: actor.id, name: actor.name },
    confirmedRows: new Set(confirmed),
  });

  const run = async (job: ImportJobDoc, user: User): Promise<ImportSummary> => {
    if (running.has(job.id)) throw new AppError('conflict', 'This import is already running.');
    const control = { cancelled: false };
    running.set(job.id, control);
    const o = optionsOf(job);
    const mapping = o.mapping as ImportMapping;
    const importId = o.importId ?? '';
    const before = job.summary as { eventsRecorded?: number; contactsCreated?: number; contactsUpdated?: number };
    const emit = (done: number, state: 'running' | 'finished' | 'cancelled' | 'failed') =>
      events.emit({ type: 'progress', jobId: job.id, kind: 'import', done, total: Math.max(job.totalRows, done), state });
    try {
      await save(job, { state: 'applying' });
      emit(0, 'running');
      const ctx = contextFor(job, importId, o.actor ?? user, o.confirmedRows ?? []);
      const result = await pass(job, mapping, job.nextRow, ctx, true, control, async (rowsSeen, lastRow) => {
        if (lastRow + 1 > job.nextRow) await save(job, { nextRow: lastRow + 1 });
        emit(rowsSeen, 'running');
      });
      const state: ImportJobState = result.cancelled ? 'cancelled' : 'finished';
      const summary: ImportSummary = {
        jobId: job.id,
        importId,
        state,
        counts: result.counts,
        eventsRecorded: (before.eventsRecorded ?? 0) + result.written.events,
        contactsCreated: (before.contactsCreated ?? 0) + result.written.created,
        contactsUpdated: (before.contactsUpdated ?? 0) + result.written.updated,
        issues: result.issues,
      };
      const { issues: _issues, ...stored } = summary;
      void _issues;
      await save(job, { state, summary: stored, totalRows: Math.max(job.totalRows, result.counts.rows) });
      if (state === 'finished' && deps.onFinished) {
        // A rule failing must not turn a finished import into a failed one; rules log their own runs.
        await deps.onFinished(importId, [...result.written.contactIds]).catch((e: unknown) => deps.log.error('import: automation after import failed', e));
      }
      await audit.record(`import.${state}`, user, { fileName: job.fileName, fileHash: job.fileHash, ...stored });
      emit(result.counts.rows, state);
      return summary;
    } catch (e) {
      await save(job, { state: 'failed' }).catch(() => undefined);
      emit(0, 'failed');
      throw e;
    } finally {
      running.delete(job.id);
    }
  };

  return {
    async begin(input, user) {
      const jobId = ulid();
      await spool.create(jobId);
      const at = now().toISOString();
      await db.import_jobs.insert({
        id: jobId, fileName: input.fileName, fileHash: '', state: 'uploading', nextRow: 0, totalRows: 0,
        options: { size: input.size } satisfies JobOptions, summary: {}, createdAt: at, updatedAt: at, createdBy: user.id,
      });
      uploads.set(jobId, { nextIndex: 0, received: 0, size: input.size });
      return { jobId };
    },

    async chunk(input) {
      const upload = uploads.get(input.jobId);
      if (!upload) throw new AppError('not_found', 'This upload is not open (the app restarted or it finished); choose the file again.');
      if (input.index !== upload.nextIndex) throw new AppError('conflict', `Expected chunk ${upload.nextIndex}, got ${input.index}.`);
      const bytes = Buffer.from(input.data, 'base64');
      if (upload.received + bytes.length > upload.size) throw new AppError('invalid_input', 'The file is larger than announced.');
      upload.received = await spool.append(input.jobId, bytes);
      upload.nextIndex += 1;
      return { received: upload.received };
    },

    async analyze(input) {
      const job = await jobOrThrow(input.jobId);
      const upload = uploads.get(job.id);
      if (job.state === 'uploading') {
        if (!upload || upload.received !== upload.size) throw new AppError('conflict', 'The file has not been uploaded completely.');
        uploads.delete(job.id);
        await save(job, { state: 'ready', fileHash: await spool.hash(job.id) });
      }
      if (job.state !== 'ready') throw new AppError('conflict', 'This import has already been applied.');
      const size = await spool.size(job.id);
      const head = await spool.head(job.id, HEAD_BYTES);
      const analysis = await analyzeWholeFile(job.id, head, size, input.format);
      const { format, bomLength, headers } = analysis;
      await save(job, { options: { ...optionsOf(job), format, bomLength, headers } satisfies JobOptions });
      const layoutKey = headerLayoutKey(format.hasHeader ? headers : new Array<string>(analysis.columnCount).fill(''), format.hasHeader);
      const remembered = await settings.get<string[] | null>(layoutKey, null);
      const typeList = await types.list();
      const usable = remembered && remembered.length === analysis.columnCount;
      const labels = format.hasHeader ? headers : Array.from({ length: analysis.columnCount }, () => '');
      return {
        jobId: job.id,
        fileName: job.fileName,
        size,
        fileHash: job.fileHash,
        format,
        detected: analysis.detected,
        headers,
        columnCount: analysis.columnCount,
        sample: analysis.sample,
        mapping: usable ? remembered : suggestMapping(labels.concat(new Array<string>(Math.max(0, analysis.columnCount - labels.length)).fill('')), typeList, analysis.sample.map((r) => r.cells)),
        remembered: !!usable,
        encodingChange: analysis.encodingChange,
      };
    },

    async dryRun(input) {
      const job = await jobOrThrow(input.jobId);
      const o = await assertMapping(job, input.mapping);
      const importId = importIdOf(job.fileHash, o.format, input.mapping);
      const control = { cancelled: false };
      const result = await pass(job, input.mapping, 0, contextFor(job, importId, { id: '', name: '' }, []), false, control, async (rowsSeen) => {
        events.emit({ type: 'progress', jobId: job.id, kind: 'import-check', done: rowsSeen, total: Math.max(job.totalRows, rowsSeen), state: 'running' });
      });
      await save(job, { totalRows: result.counts.rows });
      return { jobId: job.id, importId, counts: result.counts, issues: result.issues, diffs: result.diffs, needsConfirmation: result.needsConfirmation };
    },

    async problemRows(input) {
      const job = await jobOrThrow(input.jobId);
      const mapping = input.mapping ?? optionsOf(job).mapping;
      if (!mapping) throw new AppError('conflict', 'Map the columns first: this import has not been applied yet.');
      const o = await assertMapping(job, mapping);
      const importId = importIdOf(job.fileHash, o.format, mapping);
      // The same checks as the dry run, against the store as it is now: after an import,
      // the rows it skipped (the rows it applied now find nothing to do and no problem).
      const skipped = collectSkippedRows();
      await pass(job, mapping, 0, contextFor(job, importId, { id: '', name: '' }, []), false, { cancelled: false }, undefined, skipped.add);
      const options = { delimiter: input.delimiter ?? o.format.delimiter, bom: input.bom };
      const file = await problemRowsCsv(sourceOf(job), { hasHeader: o.format.hasHeader, headers: o.headers }, skipped.rows, input.labels, options);
      const base = job.fileName.replace(/\.[^.]*$/, '') || 'import';
      return { fileName: `${base}-rows-to-fix.csv`, content: file.content, rows: file.rows };
    },

    async apply(input, user) {
      const job = await jobOrThrow(input.jobId);
      if (job.state !== 'ready') throw new AppError('conflict', 'This import was already started; resume it from the list of unfinished imports.');
      const o = await assertMapping(job, input.mapping);
      const importId = importIdOf(job.fileHash, o.format, input.mapping);
      const layoutKey = headerLayoutKey(o.format.hasHeader ? o.headers : new Array<string>(input.mapping.columns.length).fill(''), o.format.hasHeader);
      await settings.set(layoutKey, input.mapping.columns);
      await save(job, {
        options: { ...o, mapping: input.mapping, importId, confirmedRows: input.confirmOwnOptOutRows, actor: { id: user.id, name: user.name } } satisfies JobOptions,
        nextRow: 0,
      });
      return run(job, user);
    },

    async resume(jobId, user) {
      const job = await jobOrThrow(jobId);
      if (!RESUMABLE.includes(job.state) || !optionsOf(job).importId) throw new AppError('conflict', 'Only an interrupted or cancelled import can be resumed.');
      if (isUndone(job)) throw new AppError('conflict', 'This import was undone; import the file again instead.');
      return run(job, user);
    },

    async cancel(jobId) {
      const control = running.get(jobId);
      if (control) control.cancelled = true;
      return { cancelled: !!control };
    },

    async list() {
      const docs = await db.import_jobs.find({ selector: { state: { $in: [...RESUMABLE] } } }).exec();
      return docs
        .map((d) => d.toMutableJSON() as ImportJobDoc)
        // A cancelled import whose changes were undone is not to be carried on.
        .filter((j) => !isUndone(j))
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
        .map((j) => ({
          jobId: j.id, fileName: j.fileName, state: j.state as ImportJobState, resumable: !running.has(j.id), nextRow: j.nextRow,
          totalRows: j.totalRows, createdAt: j.createdAt, updatedAt: j.updatedAt, createdBy: j.createdBy,
        }));
    },

    recent: (limit) => history.recent(limit),
    undo: (jobId, explanation, user) => history.undo(jobId, explanation, user),

    async discard(jobId, user) {
      const job = await jobOrThrow(jobId);
      if (running.has(jobId)) throw new AppError('conflict', 'Cancel the import before discarding it.');
      uploads.delete(jobId);
      conflictCache.delete(jobId);
      await spool.remove(jobId);
      await db.import_jobs.findOne(jobId).remove();
      await audit.record('import.discarded', user, { jobId, fileName: job.fileName, nextRow: job.nextRow });
    },
  };
}
