import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import type { CsvDelimiter, CsvEncoding } from '../../shared/imports/csv-detect';

export type CsvSource = { path: string; encoding: CsvEncoding; bomLength: number; delimiter: CsvDelimiter };
export type CsvRecord = { row: number; cells: string[] };

// Bytes read per step: each is decoded and parsed once.
const READ_BYTES = 64 * 1024;
// An open quote that never closes would otherwise carry the rest of the file along (and
// re-parse it at every step): past this, the carried text is taken as one record, whose
// cell is far too long to import and is reported as such, and reading goes on after it.
const CARRY_MAX = 1024 * 1024;

type Newline = '\r\n' | '\n' | '\r';

// papaparse's own guess (ParserHandle.guessLineEndings), made once on the first text read.
function guessNewline(text: string): Newline {
  const outsideQuotes = text.slice(0, 1024 * 1024).replace(/"([^]*?)"/gm, '');
  const r = outsideQuotes.split('\r');
  const n = outsideQuotes.split('\n');
  if (r.length === 1 || (n.length > 1 && (n[0] ?? '').length < (r[0] ?? '').length)) return '\n';
  const withN = r.filter((part) => part[0] === '\n').length;
  return withN >= r.length / 2 ? '\r\n' : '\r';
}

// Streams the records of a spooled CSV file with papaparse's parser; the file is never
// read whole. Records are numbered from 1 as a spreadsheet numbers its rows (a cell with
// a line break makes its record one row, as in Excel).
//
// papaparse's Node stream mode is not used: it pauses whenever its 16-record output
// buffer is full and, on resuming, splits the whole rest of its chunk again, which made
// reading a file several times the cost of parsing it. Here each piece of text is
// parsed once, up to its last complete record; the incomplete tail (possibly inside a
// quoted cell) is carried over to the next piece, as papaparse's own streamers do.
export async function* csvRecords(source: CsvSource): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder(source.encoding);
  const input = createReadStream(source.path, { highWaterMark: READ_BYTES, start: source.bomLength });
  let newline: Newline | null = null;
  let carried = '';
  let skipped = 0;
  let row = 0;
  const parse = (text: string, complete: boolean) => {
    newline ??= guessNewline(text);
    const result = new Papa.Parser({ delimiter: source.delimiter, newline, quoteChar: '"' }).parse(text, 0, !complete);
    carried = complete ? '' : text.slice(result.meta.cursor);
    return result.data as string[][];
  };
  try {
    let first = true;
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let text = carried + decoder.decode(chunk, { stream: true });
      if (first) {
        first = false;
        // Excel's "sep=;" line names the delimiter; it is not a record.
        const sep = /^sep=.\r?\n/i.exec(text);
        if (sep) {
          text = text.slice(sep[0].length);
          skipped = 1;
        }
      }
      for (const cells of parse(text, false)) yield { row: ++row + skipped, cells };
      if (carried.length > CARRY_MAX) for (const cells of parse(carried, true)) yield { row: ++row + skipped, cells };
    }
    const rest = carried + decoder.decode();
    if (rest) for (const cells of parse(rest, true)) yield { row: ++row + skipped, cells };
  } finally {
    input.destroy();
  }
}
