import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { openSealedBytes, sealBytes } from '../secrets/sealed-file';
import type { ChangeCheckpoint } from '../ledger/store-scan';
import { HISTORY_INDEX_FIELDS, type HistoryIndexState } from './history-index';

/*
 * The history index saved beside the store, so a restart with a million events does not
 * read them all again before the first page (7.4 s and 638 MB at 1M): the index's typed
 * arrays as raw bytes, its dictionaries and ids, and the point of the store's change index
 * it reached. A start loads it and reads only the changes after that point. The file is a
 * cache: anything unexpected in it (another version, a short file, bad JSON) makes the
 * caller rebuild from the store, never a failed start.
 *
 * Layout: "CDHIDX01", u32 header length, header JSON, the ids joined by NUL, padding to 8,
 * times (f64 × count), one u32 column per field (× count), order (u32 × count).
 */
const MAGIC = 'CDHIDX01';
const SEPARATOR = '\u0000';

type Header = {
  count: number;
  fields: string[];
  dictionaries: Record<string, string[]>;
  actorNames: Array<[string, string]>;
  checkpoint: ChangeCheckpoint | null;
  // Ill-formed events the index leaves out: with `count`, what the store's count must be.
  skipped: number;
  idsBytes: number;
};

export type IndexSnapshot = { state: HistoryIndexState; checkpoint: ChangeCheckpoint | null; skipped: number };

const pad8 = (n: number) => (n + 7) & ~7;

// Written aside and renamed into place: a crash leaves the old file or the new one, whole.
// False (and nothing written) when an id holds the separator: such a store simply rebuilds.
// `key`: the file is sealed with it (it holds event ids, names and explanations), plain without.
export function writeIndexSnapshot(path: string, state: HistoryIndexState, checkpoint: ChangeCheckpoint | null, skipped: number, key?: Buffer): boolean {
  if (state.ids.some((id) => id.includes(SEPARATOR))) return false;
  const ids = Buffer.from(state.ids.join(SEPARATOR), 'utf8');
  const header: Header = { count: state.count, fields: [...HISTORY_INDEX_FIELDS], dictionaries: state.dictionaries, actorNames: state.actorNames, checkpoint, skipped, idsBytes: ids.length };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const lengths = Buffer.alloc(4);
  lengths.writeUInt32LE(json.length);
  const head = Buffer.concat([Buffer.from(MAGIC, 'latin1'), lengths, json, ids]);
  const parts: Buffer[] = [head, Buffer.alloc(pad8(head.length) - head.length)];
  const bytes = (a: Float64Array | Uint32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  parts.push(bytes(state.times));
  for (const f of HISTORY_INDEX_FIELDS) parts.push(bytes(state.codes[f] ?? new Uint32Array(state.count)));
  parts.push(bytes(state.order));
  const tmp = `${path}.tmp`;
  const plain = Buffer.concat(parts);
  writeFileSync(tmp, key ? sealBytes(key, plain) : plain);
  renameSync(tmp, path);
  return true;
}

export function readIndexSnapshot(path: string, key?: Buffer): IndexSnapshot | null {
  let file: Buffer;
  try {
    const raw = readFileSync(path);
    const opened = key ? openSealedBytes(key, raw) : raw;
    if (!opened) return null;
    file = opened;
  } catch {
    return null;
  }
  try {
    if (file.length < 12 || file.toString('latin1', 0, 8) !== MAGIC) return null;
    const jsonLength = file.readUInt32LE(8);
    const header = JSON.parse(file.toString('utf8', 12, 12 + jsonLength)) as Header;
    const { count } = header;
    if (!Number.isSafeInteger(count) || count < 0 || header.fields.join(',') !== HISTORY_INDEX_FIELDS.join(',')) return null;
    const idsStart = 12 + jsonLength;
    let at = pad8(idsStart + header.idsBytes);
    if (file.length !== at + count * 8 + count * 4 * (HISTORY_INDEX_FIELDS.length + 1)) return null;
    const ids = count === 0 ? [] : file.toString('utf8', idsStart, idsStart + header.idsBytes).split(SEPARATOR);
    if (ids.length !== count) return null;
    // Copies, so the arrays are aligned and the file's buffer can go.
    const take = <T>(bytes: number, make: (b: ArrayBuffer) => T): T => {
      const copy = new Uint8Array(bytes);
      copy.set(file.subarray(at, at + bytes));
      at += bytes;
      return make(copy.buffer);
    };
    const times = take(count * 8, (b) => new Float64Array(b));
    const codes: Record<string, Uint32Array> = {};
    for (const f of HISTORY_INDEX_FIELDS) codes[f] = take(count * 4, (b) => new Uint32Array(b));
    const order = take(count * 4, (b) => new Uint32Array(b));
    for (const f of HISTORY_INDEX_FIELDS) {
      const size = header.dictionaries[f]?.length ?? 0;
      for (const code of codes[f] ?? []) if (code >= size) return null;
    }
    for (const p of order) if (p >= count) return null;
    return { state: { count, times, codes, dictionaries: header.dictionaries, actorNames: header.actorNames, ids, order }, checkpoint: header.checkpoint, skipped: Number.isSafeInteger(header.skipped) ? header.skipped : 0 };
  } catch {
    return null;
  }
}

