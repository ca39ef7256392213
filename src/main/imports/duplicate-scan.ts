import { performance } from 'node:perf_hooks';
import type { ConsentStatus } from '../../shared/domain';
import { isBlankRow, readRowKey, type CompiledMapping } from '../../shared/imports/row-validate';
import { csvRecords, type CsvSource } from './csv-row-stream';

// Before any row of a file is applied (or shown in a dry run), the whole file is read
// once for its numbers: rows that share a number and disagree about a status (one says
// "tak", a later one "nie") are a conflict the file does not settle. All of them are
// then skipped and reported, so the contact keeps the status it has; rows that share a
// number and agree are ordinary duplicates (the first applies, the others are reported).

const SCAN_MS = 20;

type Group = { rows: number[]; byType: Map<string, ConsentStatus>; conflict: boolean };

export async function scanConflictingDuplicates(input: {
  source: CsvSource;
  hasHeader: boolean;
  compiled: CompiledMapping;
  defaultCountry: string;
}): Promise<Map<string, number[]>> {
  const firstOf = new Map<string, { row: number; statuses: ReadonlyArray<readonly [string, ConsentStatus]> }>();
  const groups = new Map<string, Group>();
  let headerSkipped = !input.hasHeader;
  let since = performance.now();
  for await (const { row, cells, problem } of csvRecords(input.source)) {
    if (problem) {
      headerSkipped = true;
      continue;
    }
    if (isBlankRow(cells)) continue;
    if (!headerSkipped) {
      headerSkipped = true;
      continue;
    }
    // The scan runs on main's event loop: other work gets a turn at least every SCAN_MS
    // (checking a number costs 30-150 µs, so a count of rows would stall a loaded machine).
    if (performance.now() - since > SCAN_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    }
    const key = readRowKey(cells, input.compiled, input.defaultCountry);
    if (!key) continue;
    const prior = firstOf.get(key.waNumber);
    if (!prior) {
      firstOf.set(key.waNumber, { row, statuses: key.statuses });
      continue;
    }
    let group = groups.get(key.waNumber);
    if (!group) {
      group = { rows: [prior.row], byType: new Map(prior.statuses), conflict: false };
      groups.set(key.waNumber, group);
    }
    group.rows.push(row);
    for (const [typeId, status] of key.statuses) {
      const had = group.byType.get(typeId);
      if (had === undefined) group.byType.set(typeId, status);
      else if (had !== status) group.conflict = true;
    }
  }
  const conflicts = new Map<string, number[]>();
  for (const [number, group] of groups) if (group.conflict) conflicts.set(number, group.rows);
  return conflicts;
}
