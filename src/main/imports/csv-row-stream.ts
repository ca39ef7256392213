import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import Papa from 'papaparse';
import type { CsvDelimiter, CsvEncoding } from '../../shared/imports/csv-detect';

export type CsvSource = { path: string; encoding: CsvEncoding; bomLength: number; delimiter: CsvDelimiter };
export type CsvRecord = { row: number; cells: string[] };

// Bytes → text in the file's encoding, chunk by chunk (a character split across two
// chunks is carried over), dropping the BOM and Excel's "sep=" line.
function decoder(source: CsvSource): { transform: Transform; skippedLines: () => number } {
  const text = new TextDecoder(source.encoding);
  let first = true;
  let skipped = 0;
  const transform = new Transform({
    decodeStrings: true,
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      let bytes: Uint8Array = chunk;
      if (first && source.bomLength) bytes = bytes.subarray(source.bomLength);
      let out = text.decode(bytes, { stream: true });
      if (first) {
        first = false;
        const sep = /^sep=.\r?\n/i.exec(out);
        if (sep) {
          out = out.slice(sep[0].length);
          skipped = 1;
        }
      }
      done(null, out);
    },
    flush(done) {
      done(null, text.decode());
    },
  });
  return { transform, skippedLines: () => skipped };
}

// Streams the records of a spooled CSV file with papaparse; the file is never read
// whole. Records are numbered from 1 as a spreadsheet numbers its rows (a cell with a
// line break makes its record one row, as in Excel).
export async function* csvRecords(source: CsvSource): AsyncGenerator<CsvRecord> {
  const { transform, skippedLines } = decoder(source);
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter: source.delimiter, skipEmptyLines: false }) as unknown as NodeJS.ReadableStream &
    NodeJS.WritableStream;
  // Small reads: papaparse re-scans the rest of its current chunk each time the consumer
  // pauses it, so large chunks cost quadratic time.
  const input = createReadStream(source.path, { highWaterMark: 16 * 1024 });
  input.on('error', (e) => parser.emit('error', e));
  input.pipe(transform).pipe(parser);
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      row += 1;
      yield { row: row + skippedLines(), cells };
    }
  } finally {
    input.destroy();
  }
}
