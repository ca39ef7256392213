// The CSV tokenizer behind the import's reading and the wizard's preview. papaparse
// settles on one line ending per file, so a file that mixes CRLF, LF and CR (rows pasted
// together from several exports) had rows merged; and an unclosed quote or an over-long
// record had no row of its own to be reported on. Here every CR, LF or CRLF outside a
// quoted cell ends a record, a quote opens a quoted cell only at the start of a cell (as
// in Excel), and a record that cannot be read becomes one problem record with its own
// row number, after which reading goes on with exact row numbers.
//
// The scanner is fed text piece by piece (push) and told when the text ends (end); it
// keeps only the incomplete record at the end of what it was given, and never more than
// recordMax characters of it.

export const SCAN_PROBLEMS = ['unclosed_quote', 'record_too_long'] as const;
export type ScanProblem = (typeof SCAN_PROBLEMS)[number];

export type ScannedRecord = { row: number; cells: string[]; problem?: ScanProblem };

// Longer than any contact row could be (cells are at most 2,000 characters each).
export const RECORD_MAX = 1024 * 1024;
// What a problem record keeps of its first line, for the report and the rows-to-fix file.
const PROBLEM_LINE_MAX = 10_000;

const QUOTE = 34;
const CR = 13;
const LF = 10;

type ReadResult = { cells: string[]; end: number } | null | 'malformed';

// One record starting at `start`, or null when the text ends before the record does
// (when `final`, only inside a quoted cell that never closes), or 'malformed' when a
// quoted cell runs over a line break and its closing quote is followed by more text:
// that is a stray quote paired with a later stray quote, and the lines between them are
// rows, not one cell. (On one line, `"Anna" Nowak` is read as Excel reads it.)
function readRecord(text: string, start: number, delim: number, final: boolean): ReadResult {
  const len = text.length;
  const cells: string[] = [];
  let i = start;
  for (;;) {
    if (i >= len) {
      if (!final) return null;
      cells.push('');
      return { cells, end: len };
    }
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        // The closing quote, or a doubled one, may come with the next piece.
        if (q < 0 || (q + 1 >= len && !final)) return null;
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      // Text between the closing quote and the next delimiter is kept as it is.
      const rest = i;
      while (i < len) {
        const c = text.charCodeAt(i);
        if (c === delim || c === CR || c === LF) break;
        i++;
      }
      if (i > rest) {
        if (value.includes('\n') || value.includes('\r')) return 'malformed';
        value += text.slice(rest, i);
      }
    } else {
      const from = i;
      while (i < len) {
        const c = text.charCodeAt(i);
        if (c === delim || c === CR || c === LF) break;
        i++;
      }
      value = text.slice(from, i);
    }
    cells.push(value);
    if (i >= len) {
      if (!final) return null;
      return { cells, end: len };
    }
    const c = text.charCodeAt(i);
    if (c === delim) {
      i++;
      continue;
    }
    if (c === CR) {
      // A CR that ends the piece may be the first half of a CRLF.
      if (i + 1 >= len && !final) return null;
      return { cells, end: text.charCodeAt(i + 1) === LF ? i + 2 : i + 1 };
    }
    return { cells, end: i + 1 };
  }
}

// Where the physical line starting at `from` ends: the index of its CR or LF, or -1.
function lineBreak(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CR || c === LF) return i;
  }
  return -1;
}

const firstLineCells = (text: string, from: number, delimiter: string) => {
  const nl = lineBreak(text, from);
  return text.slice(from, nl < 0 ? Math.min(text.length, from + PROBLEM_LINE_MAX) : Math.min(nl, from + PROBLEM_LINE_MAX)).split(delimiter);
};

export type CsvScanner = { push(text: string): ScannedRecord[]; end(): ScannedRecord[] };

export function createCsvScanner(delimiter: string, options: { firstRow?: number; recordMax?: number } = {}): CsvScanner {
  const delim = delimiter.charCodeAt(0);
  const recordMax = options.recordMax ?? RECORD_MAX;
  let row = (options.firstRow ?? 1) - 1;
  let buf = '';
  // Inside an over-long line: text is dropped up to its line break.
  let skipping = false;
  // The last piece ended with a CR that ended a line: an LF starting the next is its pair.
  let dropLf = false;

  const skipLine = (text: string): string | null => {
    const nl = lineBreak(text, 0);
    if (nl < 0) return null;
    skipping = false;
    if (text.charCodeAt(nl) === CR && nl + 1 >= text.length) dropLf = true;
    return text.slice(text.charCodeAt(nl) === CR && text.charCodeAt(nl + 1) === LF ? nl + 2 : nl + 1);
  };

  // A record that cannot be read, at `pos`: reported as one row; reading goes on at the
  // next line (an unclosed quote then swallows nothing) or after the over-long line.
  const problemAt = (pos: number, out: ScannedRecord[]): number => {
    const nl = lineBreak(buf, pos);
    out.push({ row: ++row, cells: firstLineCells(buf, pos, delimiter), problem: nl < 0 && buf.length - pos > recordMax ? 'record_too_long' : 'unclosed_quote' });
    if (nl < 0) {
      skipping = true;
      return buf.length;
    }
    if (buf.charCodeAt(nl) === CR && nl + 1 >= buf.length) dropLf = true;
    return buf.charCodeAt(nl) === CR && buf.charCodeAt(nl + 1) === LF ? nl + 2 : nl + 1;
  };

  return {
    push(piece) {
      let text = piece;
      if (dropLf && text.length > 0) {
        dropLf = false;
        if (text.charCodeAt(0) === LF) text = text.slice(1);
      }
      if (skipping) {
        const rest = skipLine(text);
        if (rest === null) return [];
        text = rest;
      }
      buf += text;
      const out: ScannedRecord[] = [];
      let pos = 0;
      while (pos < buf.length) {
        const r = readRecord(buf, pos, delim, false);
        if (r === 'malformed') {
          pos = problemAt(pos, out);
          continue;
        }
        if (r) {
          out.push({ row: ++row, cells: r.cells });
          pos = r.end;
          continue;
        }
        if (buf.length - pos <= recordMax) break;
        pos = problemAt(pos, out);
      }
      buf = skipping ? '' : buf.slice(pos);
      return out;
    },
    end() {
      const out: ScannedRecord[] = [];
      if (!skipping) {
        let pos = 0;
        while (pos < buf.length) {
          const r = readRecord(buf, pos, delim, true);
          if (r && r !== 'malformed') {
            out.push({ row: ++row, cells: r.cells });
            pos = r.end;
          } else {
            pos = problemAt(pos, out);
          }
        }
      }
      buf = '';
      skipping = false;
      return out;
    },
  };
}

// A whole text at once (the wizard's preview of the file's first bytes); `complete`
// says whether the text is the whole file (else its last, possibly cut, record is left out).
export function scanText(text: string, delimiter: string, complete: boolean, firstRow = 1): ScannedRecord[] {
  const scanner = createCsvScanner(delimiter, { firstRow });
  const records = scanner.push(text);
  return complete ? records.concat(scanner.end()) : records;
}
