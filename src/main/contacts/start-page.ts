import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { RxDocumentData } from 'rxdb';
import type { Contact } from '../../shared/domain';
import type { ChangeCheckpoint } from '../ledger/store-scan';
import { openSealedBytes, sealBytes } from '../secrets/sealed-file';
import { compareNames } from './name-compare';

/*
 * The contacts home opens on the first page by name. Answering it from the store means
 * reading every contact first (names sort by Polish collation, which no store index
 * holds): a second or more at 100,000 contacts. So the directory keeps, in a small file
 * next to the store, the first few hundred contacts by name and the point of the
 * contacts' change stream they reflect. At start the contacts changed since that point
 * are read (usually none) and merged in; the page is right as long as the merged list
 * still reaches past the page, because every contact that did not change sorts where it
 * sorted when the file was written: after the last one listed, if it is not listed.
 * Anything unusual (no file, a damaged one, a store older than the file, too many
 * changes) means "no start page": the window waits for the full load as before.
 */

export const START_PAGE_SIZE = 500;
const FORMAT = 1;

export type StartEntry = { id: string; name: string };
export type StartPageFile = { format: number; checkpoint: ChangeCheckpoint; entries: StartEntry[] };

// The directory's name order: the collation, then the id (slot-order.ts breaks ties the same way).
export const compareEntries = (a: StartEntry, b: StartEntry): number => compareNames(a.name, b.name) || a.id.localeCompare(b.id);

// With a key the file is sealed (it holds names: sealed-file.ts); one that does not open with
// the key (a plain file from before encryption, or damage) is deleted, being only a shortcut.
export function readStartPageFile(path: string, key?: Buffer): StartPageFile | null {
  let parsed: unknown;
  try {
    const bytes = readFileSync(path);
    const plain = key ? openSealedBytes(key, bytes) : bytes;
    if (!plain) {
      rmSync(path, { force: true });
      return null;
    }
    parsed = JSON.parse(plain.toString('utf8'));
  } catch {
    return null;
  }
  const file = parsed as Partial<StartPageFile> | null;
  const checkpoint = file?.checkpoint;
  if (
    !file || file.format !== FORMAT || !Array.isArray(file.entries) ||
    !checkpoint || typeof checkpoint.id !== 'string' || typeof checkpoint.lwt !== 'number'
  ) return null;
  const entries = file.entries.filter((e): e is StartEntry => !!e && typeof e.id === 'string' && typeof e.name === 'string');
  if (entries.length !== file.entries.length) return null;
  for (let i = 1; i < entries.length; i++) {
    // Written in order; out of order means another collation (a different ICU) or damage.
    if (compareEntries(entries[i - 1] as StartEntry, entries[i] as StartEntry) >= 0) return null;
  }
  return { format: FORMAT, checkpoint: { id: checkpoint.id, lwt: checkpoint.lwt }, entries };
}

// Written whole to a temporary file and renamed over the old one: a crash leaves either.
export function writeStartPageFile(path: string, checkpoint: ChangeCheckpoint, entries: readonly StartEntry[], key?: Buffer): void {
  const tmp = `${path}.tmp`;
  const json = Buffer.from(JSON.stringify({ format: FORMAT, checkpoint, entries }), 'utf8');
  writeFileSync(tmp, key ? sealBytes(key, json) : json);
  renameSync(tmp, path);
}

/*
 * The ids of the first `wanted` contacts now, from the file's list and the contacts
 * changed since (live or deleted), or null when the merge cannot vouch for that many.
 * With `complete` (the file listed every contact there was) nothing unlisted exists.
 */
export function mergeStartPage(
  file: StartPageFile,
  changed: ReadonlyArray<RxDocumentData<Contact>>,
  wanted: number,
  complete: boolean,
): string[] | null {
  const touched = new Set(changed.map((d) => d.id));
  const candidates = file.entries.filter((e) => !touched.has(e.id));
  for (const d of changed) if (!d._deleted) candidates.push({ id: d.id, name: d.name });
  candidates.sort(compareEntries);
  const page = candidates.slice(0, wanted);
  const last = file.entries[file.entries.length - 1];
  if (!complete) {
    if (page.length < wanted || !last) return null;
    const boundary = page[page.length - 1] as StartEntry;
    // Past the last listed entry, contacts the file never listed could come first.
    if (compareEntries(boundary, last) > 0) return null;
  }
  return page.map((e) => e.id);
}
