// Reads the first bytes of an uploaded file into what the wizard shows: the format it
// guessed (which the user may override), the header and a few sample rows.
import { decodeHead, detectDelimiter, detectEncoding, looksGarbled, looksLikeHeader, sepLine, sniffNotText, type CsvDelimiter, type CsvEncoding, type NotCsvReason } from './csv-detect';
import { scanText } from './csv-scan';
import { isBlankRow } from './row-validate';

export const HEAD_BYTES = 64 * 1024;
export const SAMPLE_ROWS = 10;

export type HeadFormat = { encoding: CsvEncoding; delimiter: CsvDelimiter; hasHeader: boolean };

export type HeadAnalysis =
  | {
      ok: true;
      format: HeadFormat;
      detected: HeadFormat;
      bomLength: number;
      headers: string[];
      columnCount: number;
      sample: Array<{ row: number; cells: string[] }>;
    }
  | { ok: false; reason: NotCsvReason };

const BOMS: Record<CsvEncoding, number[]> = { 'utf-8': [0xef, 0xbb, 0xbf], 'utf-16le': [0xff, 0xfe], 'utf-16be': [0xfe, 0xff], 'windows-1250': [] };

const bomLengthFor = (head: Uint8Array, encoding: CsvEncoding) => {
  const bom = BOMS[encoding];
  return bom.length > 0 && bom.every((b, i) => head[i] === b) ? bom.length : 0;
};

export function analyzeHead(head: Uint8Array, fileSize: number, override?: Partial<HeadFormat>): HeadAnalysis {
  const notText = sniffNotText(head);
  if (notText) return { ok: false, reason: notText };
  const guess = detectEncoding(head);
  if (!override?.encoding && looksGarbled(head, guess.encoding)) return { ok: false, reason: 'garbled' };
  const encoding = override?.encoding ?? guess.encoding;
  const bomLength = bomLengthFor(head, encoding);
  const rawText = decodeHead(head, { encoding, bomLength });
  const delimiter = override?.delimiter ?? detectDelimiter(rawText);
  const declared = sepLine(rawText);
  const text = declared ? rawText.replace(/^sep=.(\r\n|\n|\r)/i, '') : rawText;
  const firstRow = declared ? 2 : 1;
  const truncated = head.length < fileSize;
  // The last record of a cut sample may be cut too: the scanner leaves it out.
  const records = scanText(text, delimiter, !truncated, firstRow).slice(0, SAMPLE_ROWS * 4 + 1);
  const nonBlank = records.filter((r) => !isBlankRow(r.cells));
  const first = nonBlank[0];
  // Not one line break in the first 64 KB: no spreadsheet export looks like that.
  if (!first) return { ok: false, reason: truncated ? 'line_too_long' : 'empty' };
  const detectedHeader = looksLikeHeader(first.cells, nonBlank[1]?.cells);
  const hasHeader = override?.hasHeader ?? detectedHeader;
  const data = hasHeader ? nonBlank.slice(1) : nonBlank;
  if (data.length === 0 && !truncated) return { ok: false, reason: hasHeader ? 'header_only' : 'empty' };
  const columnCount = Math.max(first.cells.length, ...data.map((r) => r.cells.length));
  return {
    ok: true,
    format: { encoding, delimiter, hasHeader },
    detected: { encoding: guess.encoding, delimiter: declared ?? detectDelimiter(rawText), hasHeader: detectedHeader },
    bomLength,
    headers: hasHeader ? first.cells.map((c) => c.trim()) : [],
    columnCount,
    sample: data.slice(0, SAMPLE_ROWS),
  };
}
