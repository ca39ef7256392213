import { createReadStream } from 'node:fs';
import type { CsvDelimiter, CsvEncoding } from '../../shared/imports/csv-detect';
import { createCsvScanner, type ScannedRecord } from '../../shared/imports/csv-scan';
import { AppError } from '../app-error';
import type { SpoolReader } from './import-spool';

// `open`, when given, reads the file's bytes (a sealed spool decrypts them); else `path` is read.
export type CsvSource = { path: string; open?: SpoolReader; encoding: CsvEncoding; bomLength: number; delimiter: CsvDelimiter };
export type CsvRecord = ScannedRecord;

// Bytes read per step: each is decoded and scanned once.
const READ_BYTES = 64 * 1024;

const ENCODING_NAMES: Record<CsvEncoding, string> = { 'utf-8': 'UTF-8', 'windows-1250': 'Windows-1250', 'utf-16le': 'UTF-16', 'utf-16be': 'UTF-16' };

// Streams the records of a spooled CSV file; the file is never read whole. Records are
// numbered from 1 as a spreadsheet numbers its rows (a cell with a line break makes its
// record one row, as in Excel); a record that cannot be read comes with its problem.
//
// Decoding is strict: bytes that are not text in the chosen encoding stop the reading
// with an error instead of being stored as U+FFFD. The import's analysis checks the
// whole file before anything is written, so this only fires for a file changed since.
export async function* csvRecords(source: CsvSource): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder(source.encoding, { fatal: true });
  const input = source.open ? source.open(source.bomLength, READ_BYTES) : createReadStream(source.path, { highWaterMark: READ_BYTES, start: source.bomLength });
  let scanner: ReturnType<typeof createCsvScanner> | null = null;
  let offset = source.bomLength;
  const decode = (chunk?: Buffer) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new AppError('invalid_input', `The file is not valid ${ENCODING_NAMES[source.encoding]} text (after byte ${offset.toLocaleString('en')}): choose another encoding.`);
    }
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let text = decode(chunk);
      offset += chunk.length;
      if (!scanner) {
        // Excel's "sep=;" line names the delimiter; it is not a record.
        const sep = /^sep=.(\r\n|\n|\r)/i.exec(text);
        if (sep) text = text.slice(sep[0].length);
        scanner = createCsvScanner(source.delimiter, { firstRow: sep ? 2 : 1 });
      }
      yield* scanner.push(text);
    }
    scanner ??= createCsvScanner(source.delimiter);
    const rest = decode();
    if (rest) yield* scanner.push(rest);
    yield* scanner.end();
  } finally {
    input.destroy();
  }
}
