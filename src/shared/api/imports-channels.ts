import { z } from 'zod';
import { CSV_DELIMITERS, CSV_ENCODINGS } from '../imports/csv-detect';
import { importMapping } from '../imports/import-mapping';
import { ROW_ISSUES } from '../imports/row-issues';
import type { DryRunReport, ImportAnalysis, ImportJobInfo, ImportRecord, ImportSummary, ImportUndoResult } from '../imports/import-report';
import { ADMIN_ONLY, channel } from './channel';
import type { CsvExport } from './exports-channels';

const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not an import id');

export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;
// Base64 of a 1 MB slice is about 1.4 MB; a little room above that.
const MAX_CHUNK_BASE64 = 6 * 1024 * 1024;

export const importsChannels = {
  'imports:begin': channel<{ jobId: string }>()({
    input: z.object({ fileName: z.string().trim().min(1).max(255), size: z.number().int().min(0).max(MAX_IMPORT_BYTES) }).strict(),
    access: ADMIN_ONLY,
    summary: 'Start uploading a CSV file: the renderer then sends it in slices with imports:chunk. Main spools it to the data folder.',
    returns: '{ jobId }',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'imports:chunk': channel<{ received: number }>()({
    input: z.object({ jobId, index: z.number().int().min(0), data: z.string().max(MAX_CHUNK_BASE64) }).strict(),
    access: ADMIN_ONLY,
    summary: 'One slice of the uploaded file, base64-encoded, in order (index 0, 1, 2 …).',
    returns: '{ received } (bytes spooled so far)',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'conflict'],
  }),
  'imports:analyze': channel<ImportAnalysis>()({
    input: z
      .object({
        jobId,
        // Overrides what was detected; omitted fields keep the detection.
        format: z
          .object({ encoding: z.enum(CSV_ENCODINGS).optional(), delimiter: z.enum(CSV_DELIMITERS).optional(), hasHeader: z.boolean().optional() })
          .strict()
          .optional(),
      })
      .strict(),
    access: ADMIN_ONLY,
    summary:
      'Finish the upload and read the file: encoding (UTF-8 with or without BOM, Windows-1250), delimiter (comma, semicolon, tab), header row, sample rows and a column mapping (remembered per header layout, else guessed).',
    returns: 'ImportAnalysis',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'conflict', 'not_csv'],
  }),
  'imports:dryRun': channel<DryRunReport>()({
    input: z.object({ jobId, mapping: importMapping }).strict(),
    access: ADMIN_ONLY,
    summary:
      'Validate every row and compute what applying would change, writing nothing: issues by row number, contacts created/updated, status changes, rows skipped because of a contact\'s own opt-out and rows that need confirmation.',
    returns: 'DryRunReport',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'conflict'],
  }),
  'imports:apply': channel<ImportSummary>()({
    input: z
      .object({
        jobId,
        mapping: importMapping,
        // Rows (from the dry run) whose resubscription over a contact's own opt-out the user confirmed.
        confirmOwnOptOutRows: z.array(z.number().int().min(1)).max(100_000).default([]),
      })
      .strict(),
    access: ADMIN_ONLY,
    summary:
      'Apply the import in slices (progress events, kind "import"); resolves when finished or cancelled. Events are recorded with source csv_import, ids csv:<importId>:<row>:<typeId>, and the file and row as evidence, so re-importing the same file records nothing.',
    returns: 'ImportSummary',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'conflict'],
  }),
  'imports:problemRows': channel<CsvExport>()({
    input: z
      .object({
        jobId,
        // Omitted: the mapping the import was applied with.
        mapping: importMapping.optional(),
        // Omitted: the delimiter of the uploaded file, so the rows open as the file did.
        delimiter: z.enum(CSV_DELIMITERS).optional(),
        bom: z.boolean().default(true),
        // The problems in the user's language (the renderer's translations); a code without one is written as is.
        labels: z.partialRecord(z.enum(ROW_ISSUES), z.string().trim().max(200)).default({}),
      })
      .strict(),
    access: ADMIN_ONLY,
    summary:
      'The rows of the file that would be (or were) skipped, as CSV: each row\'s own cells, then its row number and its problems (columns import_row and import_problems, which an import of the fixed file ignores). Checks the file again against the store as it is now.',
    returns: 'CsvExport { fileName, content, rows }',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'conflict'],
  }),
  'imports:cancel': channel<{ cancelled: boolean }>()({
    input: z.object({ jobId }).strict(),
    access: ADMIN_ONLY,
    summary: 'Stop a running import after its current slice; what was applied stays and the rest can be resumed.',
    returns: '{ cancelled } (false when it was not running)',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'imports:resume': channel<ImportSummary>()({
    input: z.object({ jobId }).strict(),
    access: ADMIN_ONLY,
    summary: 'Continue an interrupted (the app stopped) or cancelled import from the row where it stopped.',
    returns: 'ImportSummary',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'conflict'],
  }),
  'imports:list': channel<ImportJobInfo[]>()({
    input: z.object({}).strict(),
    access: ADMIN_ONLY,
    summary: 'Unfinished imports (interrupted, cancelled or failed), newest first.',
    returns: 'ImportJobInfo[]',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'imports:recent': channel<ImportRecord[]>()({
    input: z.object({ limit: z.number().int().min(1).max(100).default(10) }).strict(),
    access: ADMIN_ONLY,
    summary: 'Finished and cancelled imports, newest first: who ran them, what they recorded, and whether their consent changes were undone.',
    returns: 'ImportRecord[]',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'imports:undo': channel<ImportUndoResult>()({
    input: z.object({ jobId, explanation: z.string().trim().max(2000).default('') }).strict(),
    access: ADMIN_ONLY,
    summary:
      'Undo the consent changes of a finished or cancelled import by compensating events (source csv_import, evidence undoOf) that restore each status it changed, only where its event is still the latest; nothing is deleted, and contacts it created or updated stay. Progress events, kind "import-undo".',
    returns: 'ImportUndoResult',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'conflict'],
  }),
  'imports:discard': channel<{ discarded: true }>()({
    input: z.object({ jobId }).strict(),
    access: ADMIN_ONLY,
    summary: 'Forget an unfinished import and its spooled file. Rows already applied stay recorded.',
    returns: '{ discarded: true }',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'conflict'],
  }),
};
