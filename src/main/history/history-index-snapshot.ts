import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { openSealedFile, sealBytes } from '../secrets/sealed-file';
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
 * Layout: "CDHIDX02", u32 header length, header JSON, the ids' UTF-8 bytes, padding to 8,
 * times (f64 × count), one u32 column per field (× count), order (u32 × count), id offsets
 * (u32 × (count + 1)), positions sorted by id (u32 × count). The arrays are used in place,
 * as views of the file's bytes (history-id-table.ts says why): loading does no per-event work
 * beyond the bounds checks below.
 */
const MAGIC = 'CDHIDX02';

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
// `key`: the file is sealed with it (it holds event ids, names and explanations), plain without.
export function writeIndexSnapshot(path: string, state: HistoryIndexState, checkpoint: ChangeCheckpoint | null, skipped: number, key?: Buffer): void {
  const ids = state.ids.bytes;
  const header: Header = { count: state.count, fields: [...HISTORY_INDEX_FIELDS], dictionaries: state.dictionaries, actorNames: state.actorNames, checkpoint, skipped, idsBytes: ids.length };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const lengths = Buffer.alloc(4);
  lengths.writeUInt32LE(json.length);
  const head = Buffer.concat([Buffer.from(MAGIC, 'latin1'), lengths, json, ids]);
  const parts: Buffer[] = [head, Buffer.alloc(pad8(head.length) - head.length)];
  const bytes = (a: Float64Array | Uint32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  parts.push(bytes(state.times));
  for (const f of HISTORY_INDEX_FIELDS) parts.push(bytes(state.codes[f] ?? new Uint32Array(state.count)));
  parts.push(bytes(state.order), bytes(state.ids.offsets), bytes(state.ids.byId));
  const tmp = `${path}.tmp`;
  const plain = Buffer.concat(parts);
  writeFileSync(tmp, key ? sealBytes(key, plain) : plain);
  renameSync(tmp, path);
}

const inBounds = (values: Uint32Array, limit: number) => {
  for (let i = 0; i < values.length; i++) if ((values[i] ?? 0) >= limit) return false;
  return true;
};

export function readIndexSnapshot(path: string, key?: Buffer): IndexSnapshot | null {
  let file: Buffer;
  try {
    const opened = key ? openSealedFile(key, path) : readFileSync(path);
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
    const idsBytes = header.idsBytes;
    if (!Number.isSafeInteger(idsBytes) || idsBytes < 0) return null;
    let at = pad8(idsStart + idsBytes);
    if (file.length !== at + count * 8 + count * 4 * (HISTORY_INDEX_FIELDS.length + 1) + (count + 1) * 4 + count * 4) return null;
    // Views of the file's bytes where they are aligned (they are when the buffer starts on an
    // 8-byte boundary, as a whole-file buffer does); a copy otherwise.
    const take = <T>(bytes: number, make: (b: ArrayBuffer, offset: number, bytes: number) => T): T => {
      const start = file.byteOffset + at;
      at += bytes;
      if (start % 8 === 0) return make(file.buffer as ArrayBuffer, start, bytes);
      const copy = new Uint8Array(bytes);
      copy.set(file.subarray(at - bytes, at));
      return make(copy.buffer, 0, bytes);
    };
    const u32 = (n: number) => take(n * 4, (b, o, bytes) => new Uint32Array(b, o, bytes / 4));
    const times = take(count * 8, (b, o, bytes) => new Float64Array(b, o, bytes / 8));
    const codes: Record<string, Uint32Array> = {};
    for (const f of HISTORY_INDEX_FIELDS) codes[f] = u32(count);
    const order = u32(count);
    const offsets = u32(count + 1);
    const byId = u32(count);
    const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (!HISTORY_INDEX_FIELDS.every((f) => strings(header.dictionaries[f])) || !Array.isArray(header.actorNames) || !header.actorNames.every(strings)) return null;
    for (const f of HISTORY_INDEX_FIELDS) if (!inBounds(codes[f] ?? new Uint32Array(0), header.dictionaries[f]?.length ?? 0)) return null;
    if (!inBounds(order, count) || !inBounds(byId, count) || offsets[0] !== 0 || offsets[count] !== idsBytes) return null;
    for (let p = 0; p < count; p++) if ((offsets[p] ?? 0) > (offsets[p + 1] ?? 0)) return null;
    const ids = { bytes: file.subarray(idsStart, idsStart + idsBytes), offsets, byId };
    return { state: { count, times, codes, dictionaries: header.dictionaries, actorNames: header.actorNames, ids, order }, checkpoint: header.checkpoint, skipped: Number.isSafeInteger(header.skipped) ? header.skipped : 0 };
  } catch {
    return null;
  }
}

