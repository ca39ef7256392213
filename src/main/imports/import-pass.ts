import { performance } from 'node:perf_hooks';
import { detach } from '../../shared/imports/csv-values';
import type { RowIssue } from '../../shared/imports/row-issues';
import { compileMapping, isBlankRow, validateRow, type DuplicateIndex, type RowPlan } from '../../shared/imports/row-validate';
import type { ImportMapping } from '../../shared/imports/import-mapping';
import type { PassCounts, RowDiff } from '../../shared/imports/import-report';
import type { SlicePlan } from './import-plan';
import { csvRecords, type CsvSource } from './csv-row-stream';

// One streaming pass over a spooled file: every record is validated; valid rows are
// handed on in slices (to be planned and shown, or planned and written). Slices are
// cut by size and by time so the main process never stalls, and the size follows how
// long the last slice took, so a slower machine gets smaller slices.

export const emptyCounts = (): PassCounts => ({
  rows: 0,
  valid: 0,
  invalid: 0,
  blank: 0,
  issues: {},
  contacts: { create: 0, update: 0, same: 0 },
  statuses: { change: 0, unchanged: 0, own_opt_out: 0, needs_confirmation: 0, already_imported: 0 },
});

export const ISSUE_LIST_LIMIT = 500;

export type PassInput = {
  source: CsvSource;
  hasHeader: boolean;
  headers: string[];
  mapping: ImportMapping;
  defaultCountry: string;
  // Rows before this one were written by an earlier, interrupted run: validated again
  // (duplicates are found across the whole file) but not handed on.
  startRow: number;
  // Numbers whose rows disagree about a status (scanConflictingDuplicates): all skipped.
  conflicts: ReadonlyMap<string, readonly number[]>;
  // The largest slice; slices start smaller and grow while they stay quick.
  sliceRows: number;
  isCancelled: () => boolean;
  // Plans a slice (and writes it, when applying); returns what it decided.
  onSlice: (rows: RowPlan[]) => Promise<SlicePlan>;
  // Called after a slice is done, at most every PROGRESS_MS and once at the end (an import
  // saves where it stands here: after each call, every row before lastRow + 1 is written).
  onProgress?: (rowsSeen: number, lastRow: number) => Promise<void>;
  // Every issue found, warnings included (the result lists only the first ISSUE_LIST_LIMIT).
  onIssues?: (issues: readonly RowIssue[]) => void;
};

export type PassResult = { counts: PassCounts; issues: RowIssue[]; diffs: RowDiff[]; cancelled: boolean; lastRow: number };

// Reading and validating rows between slices; a slice's own writes are each one store
// transaction, aimed at SLICE_WRITE_MS for the whole slice. A slice writes in at least three
// transactions (contacts, events, status rows) with a turn of the event loop after each, so
// the longest stall is about a third of it; every store call also has a fixed cost (a
// commit, change events, lookups), so slices are as large as that stall allows.
const SLICE_MS = 25;
const SLICE_WRITE_MS = 90;
const MIN_SLICE_ROWS = 50;
const PROGRESS_MS = 200;
const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runPass(input: PassInput): Promise<PassResult> {
  const counts = emptyCounts();
  const issues: RowIssue[] = [];
  const diffs: RowDiff[] = [];
  const compiled = compileMapping(input.mapping, input.headers);
  const duplicates: DuplicateIndex = { first: new Map(), conflicts: input.conflicts };
  let batch: RowPlan[] = [];
  let headerSkipped = !input.hasHeader;
  let lastRow = 0;
  let sliceStart = performance.now();
  let sliceRows = Math.min(input.sliceRows, 250);
  let progressAt = performance.now();

  const note = (list: RowIssue[]) => {
    if (list.length) input.onIssues?.(list);
    for (const i of list) {
      counts.issues[i.code] = (counts.issues[i.code] ?? 0) + 1;
      issues.push(i);
    }
    if (issues.length > 2 * ISSUE_LIST_LIMIT) keepFirstIssues();
  };
  // The list holds the issues of the first rows, whatever the order they were found in:
  // problems found while planning arrive a slice later than those found while reading,
  // and slices are cut by time, so "the first 500 found" would differ between runs.
  const keepFirstIssues = () => {
    issues.sort((a, b) => a.row - b.row);
    issues.length = Math.min(issues.length, ISSUE_LIST_LIMIT);
  };
  const flush = async (last: boolean) => {
    if (batch.length > 0) {
      const rows = batch;
      batch = [];
      // The rows were read in one go (up to SLICE_MS): a turn before the slice is planned and
      // written keeps the reading and the first write from adding up to one stall.
      await yieldNow();
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      const plan = await input.onSlice(rows);
      // The work the slice took: its wall time, or its CPU time when that is less. On a
      // machine busy with other processes, the wall time counts the turns they took; sizing
      // by it shrank slices to 50 rows, and the fixed cost of each store call (a commit,
      // change events, lookups) then made the whole import slower, not any stall shorter.
      const cpu = process.cpuUsage(cpuStart);
      const took = Math.min(performance.now() - started, (cpu.user + cpu.system) / 1000);
      if (rows.length >= sliceRows) {
        const fit = Math.floor(rows.length * (SLICE_WRITE_MS / Math.max(took, 1)));
        sliceRows = Math.max(MIN_SLICE_ROWS, Math.min(input.sliceRows, fit, sliceRows * 2));
      }
      note(plan.issues);
      counts.invalid += plan.issues.length;
      counts.valid -= plan.issues.length;
      for (const d of plan.diffs) {
        counts.contacts[d.contact] += 1;
        for (const s of d.statuses) counts.statuses[s.outcome] += 1;
        if (diffs.length < ISSUE_LIST_LIMIT && (d.contact !== 'same' || d.statuses.some((s) => s.outcome !== 'unchanged'))) diffs.push(d);
      }
    }
    // Read once: a cancel that arrives later is seen after the next slice, so what was
    // reported before stopping is always saved.
    const stop = last || input.isCancelled();
    if (stop || performance.now() - progressAt >= PROGRESS_MS) {
      await input.onProgress?.(counts.rows, lastRow);
      progressAt = performance.now();
    }
    await yieldNow();
    sliceStart = performance.now();
    return stop;
  };

  const finish = (cancelled: boolean): PassResult => {
    // Problems found while planning (after the row was read) join the list in row order.
    keepFirstIssues();
    return { counts, issues, diffs, cancelled, lastRow };
  };

  let widthKnown = input.hasHeader;
  for await (const { row, cells, problem } of csvRecords(input.source)) {
    lastRow = row;
    if (problem) {
      // A record that could not be read is a row of its own, reported and skipped.
      headerSkipped = true;
      counts.rows += 1;
      counts.invalid += 1;
      note([{ row, code: problem, column: '', value: detach(cells.join(input.source.delimiter).slice(0, 120)) }]);
      continue;
    }
    if (isBlankRow(cells)) {
      counts.blank += 1;
      continue;
    }
    if (!headerSkipped) {
      headerSkipped = true;
      continue;
    }
    if (!widthKnown) {
      widthKnown = true;
      compiled.width = cells.length;
    }
    counts.rows += 1;
    const outcome = validateRow(row, cells, compiled, input.defaultCountry, duplicates);
    note(outcome.issues);
    if (!outcome.plan) counts.invalid += 1;
    else counts.valid += 1;
    if (outcome.plan && row >= input.startRow) batch.push(outcome.plan);
    if (batch.length >= sliceRows || performance.now() - sliceStart > SLICE_MS) {
      if (await flush(false)) return finish(true);
    }
  }
  await flush(true);
  return finish(false);
}
