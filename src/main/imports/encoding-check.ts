import { createReadStream } from 'node:fs';
import type { SpoolReader } from './import-spool';

// The whole file's encoding, checked before any row is read into the store: a guess made
// from the first 64 KB must hold to the last byte, or no row of the file would be decoded
// right. UTF-8 is checked by hand (not with TextDecoder) to learn two things: where the
// first byte that is not UTF-8 sits, and whether real multi-byte UTF-8 came before it.
// With none before it, the file is plain ASCII up to there and is read whole as
// Windows-1250; with some, it mixes two encodings and no single one reads it right.

export type Utf8Check = { invalidAt: number | null; multiByteBefore: boolean };

// `file` is a path, or a reader of a sealed spool (import-spool.ts).
export async function checkUtf8(file: string | SpoolReader, from: number): Promise<Utf8Check> {
  let need = 0;
  let lo = 0x80;
  let hi = 0xbf;
  let seqStart = 0;
  let multiByte = false;
  let offset = from;
  const input = typeof file === 'string' ? createReadStream(file, { start: from, highWaterMark: 256 * 1024 }) : file(from, 256 * 1024);
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i] ?? 0;
        if (need > 0) {
          if (b < lo || b > hi) return { invalidAt: seqStart, multiByteBefore: multiByte };
          lo = 0x80;
          hi = 0xbf;
          need -= 1;
          if (need === 0) multiByte = true;
          continue;
        }
        if (b < 0x80) continue;
        seqStart = offset + i;
        if (b >= 0xc2 && b <= 0xdf) need = 1;
        else if (b >= 0xe0 && b <= 0xef) {
          need = 2;
          if (b === 0xe0) lo = 0xa0;
          else if (b === 0xed) hi = 0x9f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          need = 3;
          if (b === 0xf0) lo = 0x90;
          else if (b === 0xf4) hi = 0x8f;
        } else return { invalidAt: seqStart, multiByteBefore: multiByte };
      }
      offset += chunk.length;
    }
  } finally {
    input.destroy();
  }
  // A sequence cut off by the end of the file.
  return need > 0 ? { invalidAt: seqStart, multiByteBefore: multiByte } : { invalidAt: null, multiByteBefore: multiByte };
}
